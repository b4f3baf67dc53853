// Bundles the server, the workspace packages and their JavaScript
// dependencies into dist/ (one copy of Yjs): dist/main.js, the entry, and
// dist/chunks/, what it imports. Native and worker-thread modules stay
// external and load from node_modules. `node build.mjs <outdir>` writes
// elsewhere (tests); keep it under server/ so the external modules resolve.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const localesDir = fileURLToPath(new URL('../packages/i18n/locales/', import.meta.url));

/** Code for a replaced module: `root`, the URL of <outdir>/, whether the module lands in main.js or in a chunk. */
const OUTDIR_ROOT = `
  const here = new URL('.', import.meta.url);
  const root = here.pathname.endsWith('/chunks/') ? new URL('..', here) : here;`;

/**
 * Messages (SPEC O5): the bundle holds English, the fallback; every other
 * language is a file in <outdir>/locales/ that the translator reads the first
 * time it is asked for it (packages/i18n/src/messages.ts, replaced here), so
 * a server holds only the languages it has answered in.
 */
const lazyLocales = {
  name: 'lazy-locales',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/]i18n[\\/]src[\\/]messages\.ts$/ }, () => ({
      loader: 'js',
      resolveDir: localesDir,
      contents: `
        import fs from 'node:fs';
        import en from './en.json';
        ${OUTDIR_ROOT}
        const loaded = { en };
        export function messagesOf(language) {
          return (loaded[language] ??= JSON.parse(fs.readFileSync(new URL('locales/' + language + '.json', root), 'utf8')));
        }`,
    }));
  },
};

/**
 * The common-password list (SPEC A8) as a file the server reads when a
 * password is first set: <outdir>/common-passwords.txt, what
 * src/auth/commonPasswordText.ts computes from the package when run from
 * source (each entry once, sorted as \`<\` compares, joined by newlines). The
 * package's module is not bundled: loaded, it would keep 2.5 MiB (SPEC O5).
 */
const commonPasswords = {
  name: 'common-passwords',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]auth[\\/]commonPasswordText\.ts$/ }, () => ({
      loader: 'js',
      contents: `
        import fs from 'node:fs';
        ${OUTDIR_ROOT}
        export async function commonPasswordText() {
          return fs.promises.readFile(new URL('common-passwords.txt', root), 'utf8');
        }`,
    }));
  },
};

/**
 * iconv-lite's tables of East Asian encodings (SPEC O5): two versions of the
 * package are bundled (body-parser's and another dependency's), and their
 * tables, a quarter of the entry's 2 MB, are read only when a request body
 * in such a charset arrives. They are files in <outdir>/iconv-tables/, each
 * required where the package required it, so an idle server holds none.
 */
const ICONV_TABLES = '__iconv_tables__/';
/** File name in <outdir>/iconv-tables/ → the package's file. */
const iconvTables = new Map();
const lazyIconvTables = {
  name: 'lazy-iconv-tables',
  setup(b) {
    b.onResolve({ filter: /^\.\/tables\/[^/]+\.json$/ }, (args) => {
      if (!/[\\/]iconv-lite[\\/]encodings$/.test(args.resolveDir)) return null;
      const source = path.join(args.resolveDir, args.path);
      const name = `${createHash('sha1').update(fs.readFileSync(source)).digest('hex').slice(0, 10)}-${path.basename(source)}`;
      iconvTables.set(name, source);
      return { path: `${ICONV_TABLES}${name}`, external: true };
    });
  },
};

function commonPasswordText() {
  const words = createRequire(import.meta.url)('@zxcvbn-ts/language-common').dictionary['passwords-common'];
  return [...new Set(words)].sort().join('\n');
}

const outdir = process.argv[2] ?? 'dist';
// Chunks are named by their hash: the ones of an earlier build would pile up.
fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/main.ts'],
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Memory at idle (SPEC O5): what the server imports only on first use
  // (`await import(…)`: DOCX export, the importers, mail, PostgreSQL, Redis,
  // the password dictionary) goes into chunks of its own that are not even
  // read until then — V8 keeps the source of every module it has loaded.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Read lazily by src/lib/lazySourceMaps.ts when a stack trace is first
  // formatted; without the sources' text it is a quarter of the size.
  sourcemap: true,
  sourcesContent: false,
  external: ['better-sqlite3', 'pino', 'pino-pretty', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS modules call require(); give every ESM chunk one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyLocales, commonPasswords, lazyIconvTables],
  // V8 keeps a module's source for as long as the process runs, as one byte
  // per character only when every character is ASCII (else two). Without
  // comments and indentation, and with non-ASCII escaped, it is less than
  // half the size. Names stay, and stacks are mapped.
  charset: 'ascii',
  minifyWhitespace: true,
});
// esbuild leaves non-ASCII inside regular expression literals (a few, from
// editor extensions the schema uses); \uXXXX means the same there and in strings.
// The iconv tables' requires name them from the file that holds the code (the entry or a chunk).
for (const file of Object.keys(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const code = fs.readFileSync(file, 'utf8');
  const tables = path.relative(path.dirname(file), path.join(outdir, 'iconv-tables')).split(path.sep).join('/');
  const ascii = code
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll(ICONV_TABLES, `${tables.startsWith('.') ? tables : `./${tables}`}/`);
  if (ascii !== code) fs.writeFileSync(file, ascii);
}
fs.mkdirSync(path.join(outdir, 'iconv-tables'));
for (const [name, source] of iconvTables) fs.copyFileSync(source, path.join(outdir, 'iconv-tables', name));
if (!fs.existsSync(path.join(outdir, 'main.js'))) throw new Error(`no ${outdir}/main.js was written`);
fs.writeFileSync(path.join(outdir, 'common-passwords.txt'), commonPasswordText());
fs.mkdirSync(path.join(outdir, 'locales'));
for (const file of fs.readdirSync(localesDir)) {
  if (file.endsWith('.json') && file !== 'en.json') {
    fs.writeFileSync(path.join(outdir, 'locales', file), JSON.stringify(JSON.parse(fs.readFileSync(path.join(localesDir, file), 'utf8'))));
  }
}
