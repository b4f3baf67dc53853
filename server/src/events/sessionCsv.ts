import { Email, LONE_SURROGATE, REGIONS, type Region, SESSION_TYPES, type SessionType, type Speaker, STAKEHOLDER_GROUPS, type StakeholderGroup, TEXT_CONTROLS, trackKey } from '@rapporteur/protocol';
import { CsvError, parse } from 'csv-parse/sync';
import type { MessageRef } from '../errors';

/**
 * The session CSV (issue 11, SPEC EV3): bytes in, one checked row per
 * session out, with every problem by line. Nothing here touches storage;
 * `SessionImport` compares the rows with the event and writes them.
 */

/** At most this many sessions in one file. */
export const MAX_SESSION_ROWS = 5000;
/** At most this many bytes (the route answers 413 above it). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

export const REQUIRED_COLUMNS = ['code', 'title', 'type', 'track', 'start', 'end', 'rapporteur'] as const;
export const OPTIONAL_COLUMNS = ['organisers', 'speakers'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** A problem of the file, by line (1 is the header). */
export interface CsvProblem {
  readonly line: number;
  readonly message: MessageRef;
}

/** A session as a row gave it, checked. Times are local (the event's zone), `YYYY-MM-DDTHH:mm[:ss]`. */
export interface SessionRow {
  readonly line: number;
  readonly code: string;
  readonly title: string;
  readonly type: SessionType;
  readonly trackId: string;
  readonly start: LocalTime;
  readonly end: LocalTime;
  readonly organisers: readonly string[];
  readonly speakers: readonly Speaker[];
  /** Lower-case addresses, in the file's order, without repeats. */
  readonly rapporteurs: readonly string[];
}

export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface ParsedCsv {
  readonly rows: readonly SessionRow[];
  readonly errors: readonly CsvProblem[];
  readonly warnings: readonly CsvProblem[];
}

export interface CsvContext {
  /** The event's tracks. */
  readonly tracks: readonly { readonly id: string; readonly name: string }[];
}

const msg = (key: string, values?: Record<string, unknown>): MessageRef => ({ key: `server.events.import.${key}`, ...(values ? { values } : {}) });

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): refused, whichever column. */
const FORMULA_START = /^[=+\-@\t\r]/;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const SPEAKER = /^(.+?)\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)$/;

/** A local date and time as the CSV (or the add-session form) writes it, or null when it is not one or does not exist. */
export function parseLocalTime(value: string): LocalTime | null {
  const m = LOCAL_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

export function formatLocalTime(t: LocalTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}${t.second ? `:${p(t.second)}` : ''}`;
}

const compareLocal = (a: LocalTime, b: LocalTime): number => formatLocalTime(a).localeCompare(formatLocalTime(b));

/** `open forum`, `Open_Forum`, `open-forum` → `open-forum`. */
function sessionType(value: string): SessionType | null {
  const key = value.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return (SESSION_TYPES as readonly string[]).includes(key) ? (key as SessionType) : null;
}

const split = (value: string): string[] =>
  value
    .split('|')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * The text of the file, or the lines where it is not UTF-8. A UTF-8 byte
 * order mark is dropped; UTF-16 (what some spreadsheets call "Unicode
 * text") is refused as a whole.
 */
function decode(bytes: Uint8Array): { text: string } | { problems: CsvProblem[] } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { problems: [{ line: 1, message: msg('utf16') }] };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    // Find the lines that are not UTF-8, so the person can see which.
    const problems: CsvProblem[] = [];
    const strict = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= body.length && problems.length < 10; i++) {
      if (i === body.length || body[i] === 0x0a) {
        try {
          strict.decode(body.subarray(start, i));
        } catch {
          problems.push({ line, message: msg('notUtf8') });
        }
        line++;
        start = i + 1;
      }
    }
    return { problems };
  }
}

/** Comma or semicolon, whichever the header line holds more of outside quotes (comma on a tie). */
function delimiterOf(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Parses and checks the session CSV (SPEC EV3): header columns in any order
 * (unknown ones warned about and ignored), every row checked — formula-like
 * cells, control characters, empty required cells, unknown type or track,
 * times that do not exist, an end not after the start, malformed speakers
 * and e-mail addresses, a code repeated in the file — each error with its
 * line. More than 5,000 rows is one error and nothing else is checked.
 */
export function parseSessionCsv(bytes: Uint8Array, context: CsvContext): ParsedCsv {
  const decoded = decode(bytes);
  if ('problems' in decoded) return { rows: [], errors: decoded.problems, warnings: [] };
  const text = decoded.text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { rows: [], errors: [{ line: 1, message: msg('empty') }], warnings: [] };

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: delimiterOf(text), info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as unknown as { lines: number }).lines : 1;
      return { rows: [], errors: [{ line, message: msg('malformed', { reason: error.message }) }], warnings: [] };
    }
    throw error;
  }
  const errors: CsvProblem[] = [];
  const warnings: CsvProblem[] = [];
  const lineOf = (r: { record: string[]; info: { lines: number } }) => r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

  // The header.
  const [header, ...body] = records;
  const columns = new Map<Column, number>();
  header!.record.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if ((REQUIRED_COLUMNS as readonly string[]).includes(name) || (OPTIONAL_COLUMNS as readonly string[]).includes(name)) {
      if (columns.has(name as Column)) errors.push({ line: 1, message: msg('duplicateColumn', { column: name }) });
      else columns.set(name as Column, index);
    } else if (name !== '') {
      warnings.push({ line: 1, message: msg('unknownColumn', { column: raw.trim() }) });
    }
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) errors.push({ line: 1, message: msg('missingColumns', { columns: missing }) });
  if (body.length > MAX_SESSION_ROWS) {
    errors.push({ line: lineOf(body[MAX_SESSION_ROWS]!), message: msg('tooManyRows', { max: MAX_SESSION_ROWS, rows: body.length }) });
    return { rows: [], errors, warnings };
  }
  if (missing.length > 0 || errors.length > 0) return { rows: [], errors, warnings };
  if (body.length === 0) warnings.push({ line: 1, message: msg('noRows') });

  const tracks = new Map(context.tracks.map((t) => [trackKey(t.name), t.id]));
  const trackNames = context.tracks.map((t) => t.name);
  const codes = new Map<string, number>();
  const rows: SessionRow[] = [];
  for (const r of body) {
    const line = lineOf(r);
    const before = errors.length;
    const fail = (key: string, values?: Record<string, unknown>) => errors.push({ line, message: msg(key, values) });
    const cell = (column: Column): string => {
      const index = columns.get(column);
      return index === undefined ? '' : (r.record[index] ?? '').normalize('NFC');
    };
    for (const column of columns.keys()) {
      const value = cell(column);
      if (FORMULA_START.test(value)) fail('formula', { column, start: value.slice(0, 1).replace(/[\t\r]/, ' ') });
      else if (TEXT_CONTROLS.test(value) || LONE_SURROGATE.test(value) || (value.includes('\n') && column !== 'speakers' && column !== 'organisers')) fail('control', { column });
    }
    if (errors.length > before) continue;
    const required = (column: Column, max: number): string => {
      const value = cell(column).trim();
      if (value === '') fail('required', { column });
      else if ([...value].length > max) fail('tooLong', { column, max });
      return value;
    };
    const code = required('code', 40);
    const title = required('title', 300);
    const typeText = required('type', 60);
    const trackText = required('track', 100);
    const startText = required('start', 30);
    const endText = required('end', 30);
    const rapporteurText = required('rapporteur', 2000);
    if (errors.length > before) continue;

    if (codes.has(code)) fail('duplicateCode', { code, other: codes.get(code) });
    else codes.set(code, line);
    const type = sessionType(typeText);
    if (!type) fail('unknownType', { type: typeText, types: [...SESSION_TYPES] });
    const trackId = tracks.get(trackKey(trackText));
    if (!trackId) fail('unknownTrack', { track: trackText, tracks: trackNames });
    const start = parseLocalTime(startText);
    if (!start) fail('badTime', { column: 'start', value: startText });
    const end = parseLocalTime(endText);
    if (!end) fail('badTime', { column: 'end', value: endText });
    if (start && end && compareLocal(end, start) <= 0) fail('endBeforeStart', { start: startText, end: endText });

    const organisers = split(cell('organisers'));
    for (const o of organisers) if ([...o].length > 200) fail('tooLong', { column: 'organisers', max: 200 });
    const speakers: Speaker[] = [];
    for (const s of split(cell('speakers').replace(/\n/g, '|'))) {
      const m = SPEAKER.exec(s);
      if (!m) {
        fail('badSpeaker', { speaker: s });
        continue;
      }
      const group = m[2]!.toLowerCase();
      const region = m[3]!.toLowerCase();
      if (!(STAKEHOLDER_GROUPS as readonly string[]).includes(group)) fail('badGroup', { speaker: m[1], group: m[2], groups: [...STAKEHOLDER_GROUPS] });
      else if (!(REGIONS as readonly string[]).includes(region)) fail('badRegion', { speaker: m[1], region: m[3], regions: [...REGIONS] });
      else speakers.push({ name: m[1]!.slice(0, 200), stakeholderGroup: group as StakeholderGroup, region: region as Region });
    }
    const rapporteurs: string[] = [];
    for (const address of split(rapporteurText)) {
      const parsed = Email.safeParse(address);
      if (!parsed.success) fail('badEmail', { email: address });
      else if (!rapporteurs.includes(parsed.data)) rapporteurs.push(parsed.data);
    }
    if (rapporteurs.length === 0 && errors.length === before) fail('required', { column: 'rapporteur' });
    if (rapporteurs.length > 10) fail('tooManyRapporteurs', { max: 10 });
    if (errors.length > before) continue;
    rows.push({ line, code, title, type: type!, trackId: trackId!, start: start!, end: end!, organisers, speakers, rapporteurs });
  }
  return { rows, errors, warnings };
}
