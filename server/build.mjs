// Bundles the server, the workspace packages and their JavaScript
// dependencies into dist/main.js (one copy of Yjs). Native and
// worker-thread modules stay external and load from node_modules.
// `node build.mjs <outfile>` writes elsewhere (tests); keep it under server/
// so the external modules resolve.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: process.argv[2] ?? 'dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Read lazily by src/lib/lazySourceMaps.ts when a stack trace is first
  // formatted; without the sources' text it is a quarter of the size.
  sourcemap: true,
  sourcesContent: false,
  external: ['better-sqlite3', 'pino', 'pino-pretty', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS modules call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
