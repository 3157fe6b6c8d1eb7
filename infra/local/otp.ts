/** `npm run otp`: the demo host's current TOTP code, for signing in to the local cloud. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEndpoints } from './endpoints.ts';
import { totpFor } from './sign-in.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stateDir = process.env.LOCKSTAY_STATE_DIR ?? join(projectRoot, '.lockstay');

const endpoints = await readEndpoints(stateDir).catch(() => undefined);
if (!endpoints?.demo) {
  console.error('lockstay: no demo host yet; run `npm start` first.');
  process.exit(1);
}
const totp = totpFor(endpoints.demo.totpSecret);
const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${totp.generate()}   (${endpoints.demo.username}; valid for ${secondsLeft} s more)`);
