import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/**
 * How the server sends bytes to slow links (SPEC W1–W3):
 *
 * - W1 Dynamic answers (API JSON, exports, the app shell) are compressed
 *   on the fly, Brotli when the client accepts it, else gzip; event streams
 *   are not (a compressor would hold events back until its buffer fills).
 * - W2 The built editor's files are served precompressed: the build writes
 *   `.br` and `.gz` beside each text asset, and the variant the client
 *   accepts is sent as it is, with `Vary: Accept-Encoding`. Files under
 *   `/assets/` carry a content hash in their name, so they are `immutable`
 *   for a year; the app shell is `no-cache` (revalidated each time, so a new
 *   release reaches people at once); anything else for an hour.
 * - W3 Source maps are never served: the build writes them without a
 *   reference in the bundles (for whoever runs the server to use), and a
 *   request for one is 404.
 */
export function compressResponses(): RequestHandler {
  return compression({
    filter: (req: Request, res: Response) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('text/event-stream')) return false;
      return compression.filter(req, res);
    },
  });
}

/** A year, the longest lifetime caches honour. */
export const IMMUTABLE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export function staticAssets(dir: string): RequestHandler[] {
  const refuseSourceMaps: RequestHandler = (req, res, next) => {
    if (req.path.endsWith('.map')) res.status(404).type('text/plain').send('Not found');
    else next();
  };
  const serve = expressStaticGzip(dir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: {
      index: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControlFor(dir, file)),
    },
  });
  return [refuseSourceMaps, serve];
}

/** The Cache-Control of a built file (W2), by where it lies in the build. */
export function cacheControlFor(dir: string, file: string): string {
  // A precompressed copy is cached as the file it is a copy of.
  const original = file.replace(/\.(br|gz)$/, '');
  const relative = path.relative(dir, original).split(path.sep);
  if (original.endsWith('.html')) return 'no-cache';
  if (relative[0] === 'assets') return `public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, immutable`;
  return 'public, max-age=3600';
}

/** Whether `dir` holds a built editor. */
export function hasBuiltEditor(dir: string | null): dir is string {
  return dir !== null && fs.existsSync(path.join(dir, 'index.html'));
}

interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}

/** The editor page's module in the editor's sources, as Vite's manifest names it. */
const EDITOR_PAGE = 'src/pages/EditorPage.tsx';
const manifests = new Map<string, { mtimeMs: number; chunks: Record<string, ManifestChunk> }>();

/**
 * `<link>`s for the editor page's chunks (and their styles) that `shell`
 * does not name already, from Vite's `.vite/manifest.json` (none without
 * one; `serve-static` never serves that directory). A document's HTML
 * carries them, so the browser fetches and compiles the editor while it
 * reads the page instead of after the app's first script has run and asked
 * for it (issue 14: 775 KB of script, a few hundred ms on a slow machine).
 */
export function editorPreloads(dir: string, shell: string): string {
  const file = path.join(dir, '.vite', 'manifest.json');
  let manifest = manifests.get(dir);
  try {
    const { mtimeMs } = fs.statSync(file);
    if (manifest?.mtimeMs !== mtimeMs) {
      manifest = { mtimeMs, chunks: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ManifestChunk> };
      manifests.set(dir, manifest);
    }
  } catch {
    return '';
  }
  const links: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest.chunks[key];
    if (!chunk || seen.has(key) || key === 'index.html') return;
    seen.add(key);
    const href = `/${chunk.file}`;
    if (!shell.includes(`"${href}"`)) links.push(`<link rel="modulepreload" crossorigin href="${href}">`);
    for (const css of chunk.css ?? []) if (!shell.includes(`"/${css}"`)) links.push(`<link rel="stylesheet" crossorigin href="/${css}">`);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit(EDITOR_PAGE);
  return links.join('');
}

/** `shell` with the editor page's chunks preloaded (`editorPreloads`) at the end of its head. */
export function withEditorPreloads(dir: string, shell: string): string {
  const links = editorPreloads(dir, shell);
  return links === '' ? shell : shell.replace('</head>', () => `${links}</head>`);
}
