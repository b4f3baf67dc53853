// Bundles the server, the workspace packages and their JavaScript
// dependencies into dist/main.js (one copy of Yjs). Native and
// worker-thread modules stay external and load from node_modules.
// `node build.mjs <outfile>` writes elsewhere (tests); keep it under server/
// so the external modules resolve.
import fs from 'node:fs';
import { build } from 'esbuild';

const outfile = process.argv[2] ?? 'dist/main.js';
await build({
  entryPoints: ['src/main.ts'],
  outfile,
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
  // Memory at idle (SPEC O5): V8 keeps the bundle's source for as long as the
  // process runs, as one byte per character only when every character is
  // ASCII (else two). Without comments and indentation, and with non-ASCII
  // escaped, it is 5 MB instead of 13. Names stay, and stacks are mapped.
  charset: 'ascii',
  minifyWhitespace: true,
});
// esbuild leaves non-ASCII inside regular expression literals (a few, from
// editor extensions the schema uses); \uXXXX means the same there and in strings.
const code = fs.readFileSync(outfile, 'utf8');
const ascii = code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (ascii !== code) fs.writeFileSync(outfile, ascii);
