import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Readable stack traces for the bundled server (dist/main.js and the chunks
 * it loads from dist/chunks/) without the memory of a decoded source map
 * (SPEC O5).
 *
 * `node --enable-source-maps` decodes the bundle's whole map at start — every
 * segment of every bundled dependency — which doubles the server's memory at
 * idle. Here, when an error's `stack` is formatted, only the frames in the
 * bundle's files are looked up, by scanning each file's map's `mappings`
 * string for their lines; nothing is decoded ahead of time or kept. Does
 * nothing when Node maps stacks itself (tsx, `--enable-source-maps`) or when
 * there is no map beside the entry.
 */
export function installLazySourceMaps(bundleUrl: string): void {
  if (process.sourceMapsEnabled) return;
  const bundle = toPath(bundleUrl);
  if (!fs.existsSync(`${bundle}.map`)) return;
  const dir = path.dirname(bundle) + path.sep;
  // Read for each stack formatted, not kept: stacks are rare (errors, and
  // a library's one-off check at start), and a map is megabytes.
  const load = (mapFile: string): RawSourceMap | null => {
    try {
      const raw = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RawSourceMap;
      const root = path.resolve(path.dirname(mapFile), raw.sourceRoot ?? '');
      return { mappings: raw.mappings, sources: raw.sources.map((s) => (s.startsWith('file:') ? fileURLToPath(s) : path.resolve(root, s))) };
    } catch {
      return null;
    }
  };
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    const inBundle = frames.map((f): BundlePosition | null => {
      const name = f.getFileName();
      const file = name ? toPath(name) : null;
      const line = f.getLineNumber();
      const column = f.getColumnNumber();
      return file?.startsWith(dir) && file.endsWith('.js') && line !== null && column !== null ? { file, line: line - 1, column: column - 1 } : null;
    });
    const found = new Map<BundlePosition, string>();
    for (const file of new Set(inBundle.flatMap((p) => (p ? [p.file] : [])))) {
      const wanted = inBundle.filter((p): p is BundlePosition => p?.file === file);
      const m = load(`${file}.map`);
      if (!m) continue;
      originalPositions(m.mappings, wanted).forEach((original, i) => {
        const source = original ? m.sources[original.source] : undefined;
        if (original && source !== undefined) found.set(wanted[i]!, `${source}:${original.line + 1}:${original.column + 1}`);
      });
    }
    const lines = frames.map((frame, i) => {
      const position = inBundle[i];
      const where = position ? found.get(position) : undefined;
      if (!where) return `    at ${frame.toString()}`;
      const name = frame.getFunctionName() ?? frame.getMethodName();
      return `    at ${frame.isAsync() ? 'async ' : ''}${name ? `${name} (${where})` : where}`;
    });
    return [header(error), ...lines].join('\n');
  };
}

interface BundlePosition {
  readonly file: string;
  /** 0-based, as in a source map. */
  readonly line: number;
  readonly column: number;
}

function toPath(file: string): string {
  if (!file.startsWith('file:')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

interface RawSourceMap {
  readonly mappings: string;
  readonly sources: string[];
  readonly sourceRoot?: string;
}

export interface OriginalPosition {
  /** Index into the map's `sources`. */
  readonly source: number;
  /** 0-based line and column in the original source. */
  readonly line: number;
  readonly column: number;
}

const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[c.charCodeAt(0)] = i;

/**
 * Looks up generated positions (0-based line and column) in a source map's
 * `mappings` (VLQ, version 3) in one scan, without decoding it into memory:
 * for each, the original position of the last segment on its line that
 * starts at or before its column (as `SourceMap.findEntry` does), or null.
 */
export function originalPositions(
  mappings: string,
  positions: ReadonlyArray<{ readonly line: number; readonly column: number }>,
): Array<OriginalPosition | null> {
  const results: Array<OriginalPosition | null> = positions.map(() => null);
  const byLine = new Map<number, number[]>();
  positions.forEach((p, i) => byLine.set(p.line, [...(byLine.get(p.line) ?? []), i]));
  const lastLine = Math.max(-1, ...positions.map((p) => p.line));
  const fields = [0, 0, 0, 0, 0];
  let line = 0;
  let generatedColumn = 0;
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let i = 0;
  while (i < mappings.length && line <= lastLine) {
    const c = mappings.charCodeAt(i);
    if (c === 59 /* ; */) {
      line++;
      generatedColumn = 0;
      i++;
      continue;
    }
    if (c === 44 /* , */) {
      i++;
      continue;
    }
    let n = 0;
    while (i < mappings.length) {
      const d = mappings.charCodeAt(i);
      if (d === 44 || d === 59) break;
      let value = 0;
      let shift = 0;
      for (;;) {
        const digit = BASE64_VALUE[mappings.charCodeAt(i++)]!;
        value += (digit & 31) * 2 ** shift;
        shift += 5;
        if ((digit & 32) === 0) break;
      }
      if (n < 5) fields[n] = value % 2 === 1 ? -(value - 1) / 2 : value / 2;
      n++;
    }
    generatedColumn += fields[0]!;
    if (n >= 4) {
      source += fields[1]!;
      originalLine += fields[2]!;
      originalColumn += fields[3]!;
      const waiting = byLine.get(line);
      if (waiting) {
        for (const k of waiting) {
          if (generatedColumn <= positions[k]!.column) results[k] = { source, line: originalLine, column: originalColumn };
        }
      }
    }
  }
  return results;
}

function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}
