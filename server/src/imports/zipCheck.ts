import { Inflate } from 'fflate';

/**
 * Reading a ZIP archive (DOCX, ODT) without trusting it. Before any library
 * inflates it, the central directory is read (entry count, declared sizes),
 * and then every entry is inflated here in small steps, counting the bytes
 * it really gives against what it declared and against a total: a zip bomb
 * (a small file that inflates to gigabytes, entries that lie about their
 * size, many entries sharing the same compressed data) is refused before
 * it can fill memory. Expected failures are values, as ProseMirror's
 * StepResult: the caller maps them to its errors.
 */

export interface ZipLimits {
  /** Most bytes all entries together may inflate to. */
  readonly maxUnpackedBytes: number;
  /** Most entries the archive may have. */
  readonly maxEntries: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  /** The inflated bytes, kept only for the names asked for. */
  readonly data?: Uint8Array;
}

export type ZipReading =
  | { readonly ok: true; readonly entries: readonly ZipEntry[] }
  /** Not a ZIP archive, or a malformed one. */
  | { readonly ok: false; readonly reason: 'not-zip' }
  /** Over the limits: too many entries, or more bytes (declared or real) than allowed. */
  | { readonly ok: false; readonly reason: 'too-large' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STEP = 16 * 1024;

/** True when `bytes` starts as a ZIP archive does (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads every entry of the archive within `limits`, keeping the inflated
 * data of the entries named in `keep`. Encrypted entries, ZIP64 archives and
 * compression methods other than stored and deflate are `not-zip` (no
 * document format uses them).
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits, keep: ReadonlySet<string> = new Set()): ZipReading {
  if (!looksLikeZip(bytes)) return { ok: false, reason: 'not-zip' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end of central directory record: within the last 22 + 65,535 bytes (its comment).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i -= 1) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'not-zip' };
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) return { ok: false, reason: 'not-zip' };
  if (count > limits.maxEntries) return { ok: false, reason: 'too-large' };

  interface Central {
    name: string;
    method: number;
    compressed: number;
    size: number;
    offset: number;
  }
  const central: Central[] = [];
  let declared = 0;
  let at = cdOffset;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL) return { ok: false, reason: 'not-zip' };
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    if ((flags & 1) !== 0 || (method !== 0 && method !== 8) || compressed === 0xffffffff || size === 0xffffffff) return { ok: false, reason: 'not-zip' };
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    declared += size;
    if (declared > limits.maxUnpackedBytes) return { ok: false, reason: 'too-large' };
    central.push({ name, method, compressed, size, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }

  const entries: ZipEntry[] = [];
  let total = 0;
  for (const c of central) {
    if (c.offset + 30 > bytes.length || view.getUint32(c.offset, true) !== LOCAL) return { ok: false, reason: 'not-zip' };
    const start = c.offset + 30 + view.getUint16(c.offset + 26, true) + view.getUint16(c.offset + 28, true);
    if (start + c.compressed > bytes.length) return { ok: false, reason: 'not-zip' };
    const raw = bytes.subarray(start, start + c.compressed);
    const wanted = keep.has(c.name);
    if (c.method === 0) {
      if (c.compressed !== c.size) return { ok: false, reason: 'not-zip' };
      total += c.size;
      if (total > limits.maxUnpackedBytes) return { ok: false, reason: 'too-large' };
      entries.push({ name: c.name, size: c.size, ...(wanted ? { data: raw.slice() } : {}) });
      continue;
    }
    // Inflated in steps of 16 KiB of input (at most ~16 MiB out each), counting as it goes.
    let produced = 0;
    let over = false;
    const chunks: Uint8Array[] = [];
    const inflate = new Inflate((chunk) => {
      produced += chunk.length;
      if (produced > c.size || total + produced > limits.maxUnpackedBytes) over = true;
      else if (wanted) chunks.push(chunk);
    });
    try {
      for (let i = 0; i < raw.length && !over; i += STEP) inflate.push(raw.subarray(i, Math.min(raw.length, i + STEP)), i + STEP >= raw.length);
      if (raw.length === 0) inflate.push(new Uint8Array(0), true);
    } catch {
      return { ok: false, reason: 'not-zip' };
    }
    // An entry that gives more than it declared lies about its size: a bomb, whatever the total.
    if (over) return { ok: false, reason: 'too-large' };
    if (produced !== c.size) return { ok: false, reason: 'not-zip' };
    total += produced;
    let data: Uint8Array | undefined;
    if (wanted) {
      data = new Uint8Array(produced);
      let o = 0;
      for (const chunk of chunks) {
        data.set(chunk, o);
        o += chunk.length;
      }
    }
    entries.push({ name: c.name, size: produced, ...(data ? { data } : {}) });
  }
  return { ok: true, entries };
}
