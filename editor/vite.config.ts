import fs from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * English, bundled with the first load, leaves out the messages of pages
 * loaded later; each such page imports its part
 * (`@rapporteur/i18n/locales/en.json?catalog-part=<name>`) and adds it with
 * `addEnglishPart` as its chunk loads. The other languages are loaded whole,
 * when chosen.
 */
const english = JSON.parse(fs.readFileSync(new URL('../packages/i18n/locales/en.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
/** The keys of `group` but those the first load uses. */
const allBut = (group: string, kept: readonly string[]): string[] =>
  Object.keys(english[group] ?? {})
    .filter((k) => !kept.includes(k))
    .map((k) => `${group}.${k}`);
const LAZY_PARTS: Record<string, readonly string[]> = {
  events: ['events.list', 'events.create', 'events.page', 'events.import', 'events.addSession', 'events.organisers'],
  // The header's link stays; the page's words come with it.
  admin: allBut('admin', ['link']),
  // The button and the words of citations in the text stay; the panel's come with it.
  consolidation: allBut('consolidation', ['open', 'openCitations', 'loading', 'citation']),
  find: allBut('find', ['open']),
};

const LOCALE = /[\\/]packages[\\/]i18n[\\/]locales[\\/]([a-z]{2})\.json$/;
const PART = '?catalog-part=';

type Tree = Record<string, unknown>;

function take(tree: Tree, path: string, remove: boolean): unknown {
  const keys = path.split('.');
  let node: Tree | undefined = tree;
  for (const key of keys.slice(0, -1)) node = node?.[key] as Tree | undefined;
  const last = keys[keys.length - 1]!;
  const value = node?.[last];
  if (remove && node) delete node[last];
  return value;
}

function put(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Tree;
  node[keys[keys.length - 1]!] = value;
}

/**
 * The catalogs (packages/i18n/locales) hold the server's messages too —
 * e-mails, exports, the pages it renders: a fifth of each language, which
 * the browser never reads. They are left out of the editor's copy, and
 * English leaves out the LAZY_PARTS.
 */
function clientCatalogs(): Plugin {
  return {
    name: 'rapporteur-client-catalogs',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.includes(PART)) return null;
      const [file, name] = source.split(PART) as [string, string];
      return this.resolve(file, importer, { skipSelf: true }).then((r) => (r ? `\0${r.id}${PART}${name}` : null));
    },
    load(id) {
      if (!id.startsWith('\0') || !id.includes(PART)) return null;
      const [file, name] = id.slice(1).split(PART) as [string, string];
      const paths = LAZY_PARTS[name];
      if (!paths) throw new Error(`No catalog part ${name}`);
      const tree = JSON.parse(fs.readFileSync(file, 'utf8')) as Tree;
      const part: Tree = {};
      for (const path of paths) put(part, path, take(tree, path, false));
      return `export default ${JSON.stringify(part)};`;
    },
    transform(code, id) {
      const match = LOCALE.exec(id);
      if (!match) return null;
      const { server: _server, ...client } = JSON.parse(code) as Tree;
      if (match[1] === 'en') for (const paths of Object.values(LAZY_PARTS)) for (const path of paths) take(client, path, true);
      return { code: JSON.stringify(client), map: null };
    },
  };
}

// In development the API, health check and sync socket live on the server
// process; the dev server forwards them so the app can use its own origin.
const apiTarget = `http://127.0.0.1:${process.env.RAPPORTEUR_API_PORT ?? 8080}`;

export default defineConfig({
  plugins: [clientCatalogs(), react()],
  server: {
    proxy: {
      '/api': { target: apiTarget },
      '/healthz': { target: apiTarget },
      '/collab': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    // Maps are written for whoever runs the server, but the bundles do not
    // point at them and the server never serves them (SPEC W3).
    sourcemap: 'hidden',
    // `.vite/manifest.json`: the server names the editor page's chunks in a document's HTML (modulepreload), so the
    // browser fetches and compiles them while it reads the page, not after the first script has run (issue 14).
    manifest: true,
  },
});
