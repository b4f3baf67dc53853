// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the plugins ship no types; every program that reads this file needs their declarations
/// <reference path="./markdownItPlugins.d.ts" />
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, type ImportFormat, type ImportNotice } from '@rapporteur/protocol';
import { type ForeignElement, foreignHtmlToJSON } from '@rapporteur/schema';
import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import MarkdownIt, { type MarkdownIt as MarkdownParser } from 'markdown-it';
import markdownItFootnote from 'markdown-it-footnote';
import markdownItSub from 'markdown-it-sub';
import markdownItSup from 'markdown-it-sup';
import { AppError } from '../errors';
import type { JSONContent } from '../pages/page';
import { type EngineLimits, ENGINES, ExportFailedError, findExecutable, Gate, inTempDir, readOutput, runEngine } from '../export/engines';
import { claimedFormat, decodeText, looksLikeHtml } from './detect';
import { readZip, type ZipEntry } from './zipCheck';

/**
 * Turns an uploaded file into a document body (issue 14, SPEC IM1–IM6):
 * DOCX through mammoth, ODT through pandoc (the export engines' runner: no
 * shell, a temporary directory, time and size limits), Markdown through
 * markdown-it, HTML as it is — and every one of them, as HTML, through the
 * schema package's foreign-HTML transform, the one a paste goes through, so
 * an import keeps what a paste keeps and says the same about the rest.
 * Colours, which mammoth and pandoc drop without a word, are counted in the
 * file itself. Archives are read within limits before any library inflates
 * them (zipCheck).
 */

export interface ImportLimits {
  /** Largest file accepted (413 above). */
  readonly maxBytes: number;
  /** Most bytes an archive (DOCX, ODT) may inflate to. */
  readonly maxUnpackedBytes: number;
  /** Most entries an archive may have. */
  readonly maxEntries: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 20 * 1024 * 1024, maxUnpackedBytes: 200 * 1024 * 1024, maxEntries: 2000 };

export interface ImporterOptions {
  readonly pandocPath: string;
  /** pandoc's limits (time, output size, how many at once): the export engines'. */
  readonly engineLimits: EngineLimits;
  readonly limits?: ImportLimits;
}

export interface UploadedFile {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export interface ImportedBody {
  readonly format: ImportFormat;
  /** The body's blocks (ProseMirror JSON, no block ids yet). */
  readonly json: JSONContent;
  readonly notices: ImportNotice[];
}

const FORMAT_NAMES: Record<ImportFormat, string> = { docx: 'DOCX', odt: 'ODT', md: 'Markdown', html: 'HTML' };

function unsupported(): AppError {
  return new AppError(ErrorCode.importUnsupportedFormat, { key: 'server.imports.unsupported' });
}

function mismatch(format: ImportFormat): AppError {
  return new AppError(ErrorCode.importTypeMismatch, { key: 'server.imports.mismatch', values: { format: FORMAT_NAMES[format] } }, { format });
}

function unreadable(format: ImportFormat): AppError {
  return new AppError(ErrorCode.importUnreadable, { key: 'server.imports.unreadable', values: { format: FORMAT_NAMES[format] } }, { format });
}

export class Importer {
  readonly limits: ImportLimits;
  private readonly gate: Gate;

  constructor(private readonly options: ImporterOptions) {
    this.limits = options.limits ?? DEFAULT_IMPORT_LIMITS;
    this.gate = new Gate(options.engineLimits.concurrency);
  }

  /** The file's format from its name or media type; 415 `import_unsupported_format` when it names none we read. */
  formatOf(file: Pick<UploadedFile, 'name' | 'mediaType'>): ImportFormat {
    const format = claimedFormat(file.name, file.mediaType);
    if (!format) throw unsupported();
    return format;
  }

  /**
   * The body of `file`, and what could not be kept. Refuses (AppError) a file
   * whose content is not the format it claims (415 `import_type_mismatch`),
   * an archive over the limits (422 `import_archive_refused`), a file the
   * converter cannot read (422 `import_unreadable`), an ODT when pandoc is
   * missing (501 `import_engine_missing`).
   */
  async convert(file: UploadedFile): Promise<ImportedBody> {
    const format = this.formatOf(file);
    // At most as many conversions at once as export engines: mammoth and the parser take the CPU too.
    return this.gate.run(async () => {
      switch (format) {
        case 'docx':
          return this.docx(file.bytes);
        case 'odt':
          return this.odt(file.bytes);
        case 'md': {
          const text = decodeText(file.bytes);
          if (text === null) throw mismatch('md');
          return fromHtml('md', markdown().render(text), []);
        }
        case 'html': {
          const text = decodeText(file.bytes);
          if (text === null || !looksLikeHtml(text)) throw mismatch('html');
          return fromHtml('html', text, []);
        }
      }
    });
  }

  /** The archive's entries within the limits, with the data of `keep`; refusals as AppErrors. */
  private archive(bytes: Uint8Array, format: 'docx' | 'odt', keep: readonly string[]): Map<string, ZipEntry> {
    const reading = readZip(bytes, this.limits, new Set(keep));
    if (!reading.ok && reading.reason === 'not-zip') throw mismatch(format);
    if (!reading.ok) {
      throw new AppError(
        ErrorCode.importArchiveRefused,
        { key: 'server.imports.archive', values: { megabytes: Math.round(this.limits.maxUnpackedBytes / 1024 / 1024), entries: this.limits.maxEntries } },
        { maxUnpackedBytes: this.limits.maxUnpackedBytes, maxEntries: this.limits.maxEntries },
      );
    }
    return new Map(reading.entries.map((e) => [e.name, e]));
  }

  private async docx(bytes: Uint8Array): Promise<ImportedBody> {
    const entries = this.archive(bytes, 'docx', ['word/document.xml']);
    const document = entries.get('word/document.xml')?.data;
    if (!entries.has('[Content_Types].xml') || !document) throw mismatch('docx');
    let html: string;
    try {
      const result = await mammoth.convertToHtml(
        { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
        {
          styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Heading 7'] => h6:fresh", "p[style-name='Heading 8'] => h6:fresh", "p[style-name='Heading 9'] => h6:fresh", 'u => u'],
          // The picture's bytes are not kept (the notice says so), only its description.
          convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        },
      );
      html = result.value;
    } catch {
      throw unreadable('docx');
    }
    return fromHtml('docx', html, colourNotice(countDocxColours(new TextDecoder().decode(document))));
  }

  private async odt(bytes: Uint8Array): Promise<ImportedBody> {
    const entries = this.archive(bytes, 'odt', ['mimetype', 'content.xml']);
    const mimetype = entries.get('mimetype')?.data;
    const content = entries.get('content.xml')?.data;
    if (!mimetype || !content || new TextDecoder().decode(mimetype).trim() !== 'application/vnd.oasis.opendocument.text') throw mismatch('odt');
    const pandoc = findExecutable(this.options.pandocPath);
    if (!pandoc) {
      const e = ENGINES.pandoc;
      throw new AppError(ErrorCode.importEngineMissing, {
        key: 'server.imports.engineMissing',
        values: { format: 'ODT', engine: e.name, where: `PANDOC_PATH=${this.options.pandocPath} is not an executable`, package: e.debian, variable: e.variable },
      });
    }
    const limits = this.options.engineLimits;
    let html: string;
    try {
      html = await inTempDir(async (dir) => {
        await fs.promises.writeFile(path.join(dir, 'in.odt'), bytes);
        await runEngine(pandoc, ['--from=odt', '--to=html5', '--wrap=none', '--output=out.html', 'in.odt'], dir, limits);
        return (await readOutput(path.join(dir, 'out.html'), limits)).toString('utf8');
      });
    } catch (error) {
      if (error instanceof ExportFailedError) throw unreadable('odt');
      throw error;
    }
    return fromHtml('odt', html, colourNotice(countOdtColours(new TextDecoder().decode(content))));
  }
}

let markdownParser: MarkdownParser | undefined;

/** CommonMark with GFM tables and strikethrough, footnotes (`[^1]`), `^sup^` and `~sub~`; raw HTML passes to the transform, which keeps only what the schema has. */
function markdown(): MarkdownParser {
  markdownParser ??= new MarkdownIt({ html: true, linkify: true }).use(markdownItFootnote).use(markdownItSup).use(markdownItSub);
  return markdownParser;
}

/** HTML (a document or a fragment) as a body through the shared transform; `extra` notices come first (what the converter dropped). */
export function fromHtml(format: ImportFormat, html: string, extra: readonly ImportNotice[]): ImportedBody {
  const page = /<html[\s>]/i.test(html.slice(0, 4096)) ? html : `<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`;
  const { document } = parseHTML(page);
  const { json, notices } = foreignHtmlToJSON(document.body as unknown as ForeignElement);
  const merged = [...notices];
  for (const n of extra) if (!merged.some((m) => m.code === n.code)) merged.push(n);
  return { format, json, notices: merged };
}

function colourNotice(count: number): ImportNotice[] {
  return count > 0 ? [{ code: 'colours', count }] : [];
}

const NEUTRAL_HEX = /^(auto|none|transparent|000000|ffffff|([0-9a-f]{2})\2\2)$/i;

/** Runs of a DOCX's main part with a text colour, highlighting or shading other than black, white or grey. */
export function countDocxColours(xml: string): number {
  let n = 0;
  for (const m of xml.matchAll(/<w:rPr>([\s\S]*?)<\/w:rPr>/g)) {
    const props = m[1]!;
    const colour = /<w:color\b[^>]*\bw:val="([^"]+)"/.exec(props)?.[1];
    const highlight = /<w:highlight\b[^>]*\bw:val="([^"]+)"/.exec(props)?.[1];
    const shading = /<w:shd\b[^>]*\bw:fill="([^"]+)"/.exec(props)?.[1];
    if ([colour, highlight, shading].some((v) => v !== undefined && !NEUTRAL_HEX.test(v))) n += 1;
  }
  // Shaded table cells.
  for (const m of xml.matchAll(/<w:tcPr>([\s\S]*?)<\/w:tcPr>/g)) {
    const fill = /<w:shd\b[^>]*\bw:fill="([^"]+)"/.exec(m[1]!)?.[1];
    if (fill !== undefined && !NEUTRAL_HEX.test(fill)) n += 1;
  }
  return n;
}

/** Passages of an ODT's content that use an automatic style with a colour or background other than black, white or grey. */
export function countOdtColours(xml: string): number {
  const coloured = new Set<string>();
  for (const m of xml.matchAll(/<style:style\b[^>]*\bstyle:name="([^"]+)"[^>]*>([\s\S]*?)<\/style:style>/g)) {
    const props = m[2]!;
    const values = [...props.matchAll(/\bfo:(?:color|background-color)="#?([^"]+)"/g)].map((v) => v[1]!);
    if (values.some((v) => !NEUTRAL_HEX.test(v))) coloured.add(m[1]!);
  }
  if (coloured.size === 0) return 0;
  const body = xml.slice(xml.indexOf('<office:body'));
  let n = 0;
  for (const m of body.matchAll(/\btext:style-name="([^"]+)"/g)) if (coloured.has(m[1]!)) n += 1;
  return n;
}
