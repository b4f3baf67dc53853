// Bundles the server, the workspace packages and their JavaScript
// dependencies into dist/main.js (one copy of Yjs). Native and
// worker-thread modules stay external and load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['better-sqlite3', 'pino', 'pino-pretty', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS modules call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
