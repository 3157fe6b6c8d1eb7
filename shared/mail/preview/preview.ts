/**
 * `npm run mail:preview [-- --send]`: renders every email with sample data into .lockstay/mail-preview/ (an
 * .html and a .txt per email) and prints the paths. With `--send`, also sends them through the running local
 * cloud's SES twin, so that they show in its email viewer as a guest or host would receive them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { endpointsFile, readEndpoints } from '#infra/local/endpoints.ts';
import { createSesMailSender } from '#shared/adapters/ses-mail-sender.ts';
import { mailSamples } from './samples.ts';

const { values } = parseArgs({ options: { send: { type: 'boolean', default: false } } });

// The same state folder as `npm start`, so `--send` finds the local cloud it started.
const stateDir = process.env.LOCKSTAY_STATE_DIR ?? join(process.cwd(), '.lockstay');
const outDir = join(stateDir, 'mail-preview');
await mkdir(outDir, { recursive: true });

const samples = mailSamples({
  guestPageUrl: 'http://127.0.0.1:3000/stay/preview-only-not-a-real-link',
  consoleUrl: 'http://127.0.0.1:3000/',
});
const shown = (path: string) => (path.startsWith(process.cwd()) ? relative(process.cwd(), path) : path);
for (const { name, mail } of samples) {
  const htmlPath = join(outDir, `${name}.html`);
  const textPath = join(outDir, `${name}.txt`);
  await writeFile(htmlPath, mail.html);
  await writeFile(textPath, `Subject: ${mail.subject}\n\n${mail.text}`);
  console.log(`${shown(htmlPath)}  ${shown(textPath)}`);
}

if (values.send) {
  const endpoints = await readEndpoints(stateDir).catch(() => undefined);
  const ses = endpoints?.services.ses;
  const up =
    ses !== undefined &&
    (await fetch(`${ses}/health-check`)
      .then((answer) => answer.ok)
      .catch(() => false));
  if (!endpoints || !ses || !up) {
    console.error(
      `No local cloud answers (read ${endpointsFile(stateDir)}): start it with \`npm start\`, then retry.`,
    );
    process.exitCode = 1;
  } else {
    const sender = createSesMailSender({
      client: new SESv2Client({
        endpoint: ses,
        region: endpoints.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      from: process.env.MAIL_FROM ?? 'no-reply@lockstay.localhost',
    });
    const run = Date.now();
    for (const { name, to, mail } of samples) {
      await sender.send({ ...mail, to, idempotencyKey: `preview-${run}-${name}` });
    }
    console.log(`Sent ${samples.length} emails: ${endpoints.emailViewer}`);
  }
}
