/**
 * Vite configuration of the host console. The build is static (HTML, one script, one stylesheet) and relative to
 * wherever it is served from (`/console/` on the local gateway, the root of a CloudFront distribution in AWS);
 * its runtime settings come from `config.json` beside it, so one build serves every environment.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // Vite 8 compiles JSX with Oxc; pointing it at Preact is all a Preact app needs (no Babel preset).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Small enough that one request each is the fastest first load.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
