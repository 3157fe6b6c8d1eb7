/**
 * What a host's browser downloads to open the console (the sign-in page): the HTML, the files it references and
 * `config.json`, each compressed as a CDN serves them (gzip, and Brotli where the browser accepts it), beside a
 * floor built the same way in the same run: an empty Vite + Preact page. What is loaded later (the enrolment's
 * QR encoder, the signed-in shell and each section's page) is reported apart, file by file.
 *
 *   npm run bench:console          or call `consoleSizeReport()` from another benchmark
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, mergeConfig, type UserConfig } from 'vite';
import { buildConsole } from '../web/console/build.ts';
import consoleViteConfig from '../web/console/vite.config.ts';

export interface TransferSize {
  readonly files: readonly {
    readonly path: string;
    readonly raw: number;
    readonly gzip: number;
    readonly brotli: number;
  }[];
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

const sampleConfig = {
  apiUrl: 'https://api.lockstay.example',
  region: 'eu-west-1',
  cognito: {
    endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
    userPoolId: 'eu-west-1_AbCdEfGhI',
    clientId: '1example23456789abcdefghij',
  },
};

async function sizes(dir: string, paths: readonly string[]): Promise<TransferSize> {
  const files = await Promise.all(
    paths.map(async (path) => {
      const content = await readFile(join(dir, path));
      return {
        path,
        raw: content.length,
        gzip: gzipSync(content, { level: 6 }).length,
        brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    }),
  );
  const sum = (key: 'raw' | 'gzip' | 'brotli') => files.reduce((total, file) => total + file[key], 0);
  return { files, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
}

/** The files a first visit loads: the page, what it references, and the runtime config when there is one. */
export async function firstLoad(dir: string): Promise<TransferSize> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="\.?\/?([^"]+)"/g)].map(
    (match) => match[1] as string,
  );
  const config = await stat(join(dir, 'config.json')).then(
    () => ['config.json'],
    () => [],
  );
  return sizes(dir, ['index.html', ...referenced, ...config]);
}

/** An empty Vite + Preact page with the console's own build settings: what any page of this stack costs. */
async function buildFloor(outDir: string): Promise<void> {
  // Inside the project, so `preact` resolves from its node_modules.
  const root = join(process.cwd(), 'node_modules', '.cache', 'lockstay-console-floor');
  await mkdir(root, { recursive: true });
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head><body><div id="app"></div><script type="module" src="./main.tsx"></script></body></html>\n',
  );
  await writeFile(
    join(root, 'main.tsx'),
    "import { render } from 'preact';\nconst root = document.getElementById('app');\nif (root) render(<p>Lockstay</p>, root);\n",
  );
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(
      mergeConfig(consoleViteConfig as UserConfig, {
        configFile: false,
        root,
        mode: 'production',
        build: { outDir, emptyOutDir: true },
      }),
    );
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function consoleSizeReport(): Promise<string[]> {
  const workDir = await mkdtemp(join(tmpdir(), 'lockstay-console-size-'));
  try {
    const consoleDir = join(workDir, 'console');
    const floorDir = join(workDir, 'floor');
    await buildConsole({ outDir: consoleDir, config: sampleConfig });
    await buildFloor(floorDir);
    const floor = await firstLoad(floorDir);
    const signInPage = await firstLoad(consoleDir);
    const lazy = await sizes(
      consoleDir,
      (await readdir(join(consoleDir, 'assets')))
        .map((name) => `assets/${name}`)
        .filter((path) => !signInPage.files.some((file) => file.path === path)),
    );
    const row = (label: string, size: Pick<TransferSize, 'raw' | 'gzip' | 'brotli'>) =>
      `  ${label.padEnd(44)} ${kilobytes(size.gzip).padStart(9)} gzip ${kilobytes(size.brotli).padStart(9)} br ${kilobytes(size.raw).padStart(9)} raw`;
    return [
      'Console first load (what a browser downloads to show the sign-in page):',
      row('floor: empty Vite + Preact page', floor),
      row('console: sign-in page, with config.json', signInPage),
      ...signInPage.files.map((file) => row(`  ${file.path}`, file)),
      row('loaded later: enrolment, signed-in pages', lazy),
      ...lazy.files.map((file) => row(`  ${file.path}`, file)),
    ];
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  console.log((await consoleSizeReport()).join('\n'));
}
