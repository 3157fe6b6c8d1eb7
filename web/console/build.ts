/**
 * Building the host console: a static Vite build plus its runtime `config.json`. The local cloud calls
 * `buildConsole` at start with the endpoints it has just opened; a deployment builds once (`npm run
 * build:console`) and writes `config.json` from the stack's outputs beside the same files.
 *
 *   node web/console/build.ts [outDir]    build without config (default web/console/dist)
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { type ConsoleConfig, configFileName, parseConfig } from './src/config.ts';

export type { ConsoleConfig } from './src/config.ts';

const consoleRoot = fileURLToPath(new URL('.', import.meta.url));
export const defaultOutDir = join(consoleRoot, 'dist');

/** Writes the runtime settings the built page reads at load; checked first, so a bad one fails here. */
export async function writeConsoleConfig(options: { outDir: string; config: ConsoleConfig }): Promise<void> {
  const { outDir, config } = options;
  await writeFile(join(outDir, configFileName), `${JSON.stringify(parseConfig(config), null, 2)}\n`);
}

/** Builds the console into `outDir` (emptied first) and, given a config, writes its `config.json`. */
export async function buildConsole(options: { outDir?: string; config?: ConsoleConfig } = {}): Promise<void> {
  const { outDir = defaultOutDir, config } = options;
  // Vite decides between a production and a development build from NODE_ENV, and sets it for the whole
  // process when unset: pin it for the build and put it back, so the rest of `npm start` is unaffected.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(consoleRoot, 'vite.config.ts'),
      mode: 'production',
      build: { outDir: resolve(outDir), emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (config) await writeConsoleConfig({ outDir, config });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? defaultOutDir;
  await buildConsole({ outDir });
  console.log(`Console built in ${outDir}; write its ${configFileName} before serving it.`);
}
