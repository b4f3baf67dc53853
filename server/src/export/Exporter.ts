import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExportFormat } from '@rapporteur/protocol';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { consensusTranslatorFor } from '../pages/consensusLabels';
import { formatDate, pageTranslator } from '../pages/labels';
import { documentMainHtml, type JSONContent, type PageHeader, renderPage } from '../pages/page';
import { escapeHtml, firstStrongDirection, jsonDocToMarkdown } from '@rapporteur/schema';
import {
  DEFAULT_ENGINE_LIMITS,
  type EngineLimits,
  EngineMissingError,
  ExportFailedError,
  findExecutable,
  Gate,
  inTempDir,
  readOutput,
  runEngine,
} from './engines';

/** A table that follows the text (a publication's disposition of comments), in every format. */
export interface ExportAppendix {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** What is exported: a document's body (ProseMirror JSON) and what its header says. */
export interface ExportSource {
  readonly json: JSONContent;
  readonly header: PageHeader;
  /** Plain-text notices shown before the text in every format (a publication's note, "this corrects publication 1"). */
  readonly notices?: readonly string[];
  readonly appendix?: ExportAppendix;
  /** The document's language (SPEC L8): the page's `<html lang dir>`. Default 'en'. */
  readonly lang?: string;
}

export interface ExportedFile {
  readonly format: ExportFormat;
  readonly contentType: string;
  readonly extension: string;
  readonly body: Buffer;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  pdf: 'application/pdf',
};

export interface ExporterOptions {
  /** pandoc, for ODT: a path, or a name looked up on PATH. */
  readonly pandocPath: string;
  /** Chromium, for PDF: a path, or a name looked up on PATH. */
  readonly chromiumPath: string;
  readonly limits?: EngineLimits;
}

/**
 * Renders a document in every export format (SPEC X1–X6). HTML is the one
 * page layer's page; Markdown comes from packages/schema; DOCX is written by
 * the `docx` library; ODT is pandoc converting the same HTML; PDF is the same
 * page printed by headless Chromium with scripts off and no network.
 */
export class Exporter {
  private readonly limits: EngineLimits;
  private readonly gate: Gate;

  constructor(private readonly options: ExporterOptions) {
    this.limits = options.limits ?? DEFAULT_ENGINE_LIMITS;
    this.gate = new Gate(this.limits.concurrency);
  }

  /** Which formats this server can make now (engines found), for the docs and diagnostics. */
  available(): Record<ExportFormat, boolean> {
    return {
      html: true,
      md: true,
      docx: true,
      odt: findExecutable(this.options.pandocPath) !== null,
      pdf: findExecutable(this.options.chromiumPath) !== null,
    };
  }

  async render(source: ExportSource, format: ExportFormat): Promise<ExportedFile> {
    const file = (body: Buffer): ExportedFile => ({ format, contentType: CONTENT_TYPES[format], extension: format, body });
    switch (format) {
      case 'html':
        return file(Buffer.from(this.page(source), 'utf8'));
      case 'md':
        return file(Buffer.from(markdown(source), 'utf8'));
      case 'docx': {
        // Loaded on the first DOCX export: the docx library is megabytes the server need not hold at idle (SPEC O5).
        const { renderDocx } = await import('./docx');
        return file(
          await renderDocx(
            source.json,
            source.header,
            { notices: source.notices ?? [], ...(source.appendix ? { appendix: source.appendix } : {}) },
            pageTranslator(source.lang ?? 'en'),
            consensusTranslatorFor(source.lang ?? 'en'),
          ),
        );
      }
      case 'odt':
        return file(await this.odt(source));
      case 'pdf':
        return file(await this.pdf(source));
    }
  }

  /** The styled standalone page: the HTML export, and what the PDF prints. */
  page(source: ExportSource): string {
    return renderPage({ header: source.header, main: mainHtml(source), t: pageTranslator(source.lang ?? 'en'), ...(source.lang ? { lang: source.lang } : {}) });
  }

  private engine(name: 'pandoc' | 'chromium'): string {
    const configured = name === 'pandoc' ? this.options.pandocPath : this.options.chromiumPath;
    const found = findExecutable(configured);
    if (!found) throw new EngineMissingError(name, `${name === 'pandoc' ? 'PANDOC_PATH' : 'CHROMIUM_PATH'}=${configured} is not an executable`);
    return found;
  }

  private checkInput(text: string): void {
    if (Buffer.byteLength(text, 'utf8') > this.limits.maxBytes) throw new ExportFailedError({ key: 'server.export.tooLarge', values: { bytes: this.limits.maxBytes } });
  }

  /**
   * ODT: pandoc reads the page's HTML (header as title, subtitle and date;
   * footnotes as EPUB notes, so they become ODT footnotes) and writes OpenDocument. pandoc's ODT writer ignores `dir`, so each
   * right-to-left paragraph goes in as a custom style, defined afterwards in
   * the file's styles.xml as right-to-left and aligned to its start.
   */
  private async odt(source: ExportSource): Promise<Buffer> {
    const pandoc = this.engine('pandoc');
    const html = pandocInput(source);
    this.checkInput(html);
    const raw = await this.gate.run(() =>
      inTempDir(async (dir) => {
        await fs.promises.writeFile(path.join(dir, 'in.html'), html);
        // epub_html_exts: EPUB's noteref links and footnote asides become real footnotes (SPEC FN3).
        await runEngine(pandoc, ['--from=html+epub_html_exts', '--to=odt', '--output=out.odt', 'in.html'], dir, this.limits);
        return readOutput(path.join(dir, 'out.odt'), this.limits);
      }),
    );
    return addRtlStyles(raw);
  }

  /**
   * PDF: the HTML page printed by headless Chromium from a file in a private
   * temporary directory. The page has no script and its own CSP
   * (`default-src 'none'`) lets none run and nothing load; on top of that
   * every host is unresolvable and the proxy goes nowhere. A throwaway
   * profile, and no header or footer added by the browser. (Chromium's
   * `scriptEnabled=false` blink setting would also stop headless printing.)
   */
  private async pdf(source: ExportSource): Promise<Buffer> {
    const chromium = this.engine('chromium');
    const html = this.page(source);
    this.checkInput(html);
    return this.gate.run(() =>
      inTempDir(async (dir) => {
        const input = path.join(dir, 'page.html');
        const output = path.join(dir, 'out.pdf');
        await fs.promises.writeFile(input, html);
        const args = [
          '--headless',
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
          '--disable-gpu',
          '--no-first-run',
          '--no-default-browser-check',
          '--disable-extensions',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--host-resolver-rules=MAP * ~NOTFOUND',
          '--proxy-server=127.0.0.1:9',
          '--proxy-bypass-list=<-loopback>',
          `--user-data-dir=${path.join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${output}`,
          pathToFileURL(input).href,
        ];
        await runEngine(chromium, args, dir, this.limits, { XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir });
        return readOutput(output, this.limits);
      }),
    );
  }
}

/**
 * The page's main content: notices, the document's text with its markers,
 * its footnotes and the consensus summary, then the appendix table. A
 * publication stores this exact string, so its page shows the text it was
 * published with. `noteStyle: 'pandoc'` writes footnotes as pandoc reads them
 * (for ODT).
 */
export function mainHtml(source: ExportSource, noteStyle: 'endnotes' | 'pandoc' = 'endnotes'): string {
  const notices = (source.notices ?? []).map((n) => `<p>${escapeHtml(n)}</p>`).join('');
  const parts = [
    notices === '' ? '' : `<div class="page-notice" role="note">${notices}</div>`,
    documentMainHtml(source.json, { language: source.lang ?? 'en', noteStyle }),
  ];
  const a = source.appendix;
  if (a) {
    parts.push(
      [
        '<section class="appendix" aria-labelledby="appendix-title">',
        `<h2 id="appendix-title">${escapeHtml(a.title)}</h2>`,
        '<table>',
        `<thead><tr>${a.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
        `<tbody>${a.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c).replace(/\n/g, '<br>')}</td>`).join('')}</tr>`).join('')}</tbody>`,
        '</table>',
        '</section>',
      ].join('\n'),
    );
  }
  return parts.filter((p) => p !== '').join('\n');
}

/** Markdown with the header as YAML front matter (title, date, version), as pandoc and static site tools read it. */
export function markdown(source: ExportSource): string {
  const h = source.header;
  const yaml = (s: string) => JSON.stringify(s);
  const front = ['---', `title: ${yaml(h.title)}`, `date: ${yaml(new Date(h.date).toISOString().slice(0, 10))}`, `version: ${yaml(h.label)}`, '---', ''].join('\n');
  const notices = (source.notices ?? []).map((n) => `> ${mdEscape(n)}\n\n`).join('');
  let appendix = '';
  const a = source.appendix;
  if (a) {
    const cell = (c: string) => mdEscape(c).replace(/\|/g, '\\|').replace(/\n/g, '<br>');
    const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
    appendix = `\n## ${mdEscape(a.title)}\n\n${[line(a.columns), line(a.columns.map(() => '---')), ...a.rows.map(line)].join('\n')}\n`;
  }
  return `${front}\n${notices}${jsonDocToMarkdown(source.json, { t: consensusTranslatorFor(source.lang ?? 'en') })}${appendix}`;
}

function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, '\\$&');
}

const RTL_STYLE = 'RapporteurRtl';

/** The page's HTML as pandoc should read it: header as metadata, right-to-left paragraphs in a custom style. */
function pandocInput(source: ExportSource): string {
  const h = source.header;
  const pageLabel = pageTranslator(source.lang ?? 'en');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // Paragraphs never nest and their text is escaped, so `</p>` closes the one that opened.
  const main = mainHtml(source, 'pandoc').replace(/<p(\s[^>]*\bdir="rtl"[^>]*)>([\s\S]*?)<\/p>/g, `<div data-custom-style="${RTL_STYLE}"><p$1>$2</p></div>`);
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${esc(h.title)}</title>`,
    `<meta name="subtitle" content="${esc(`${pageLabel('header.version')}: ${h.label}`)}">`,
    `<meta name="date" content="${esc(`${pageLabel('header.date')}: ${formatDate(h.date)}`)}">`,
    '</head><body>',
    main,
    '</body></html>',
  ].join('\n');
}

/** Defines the right-to-left paragraph style in an ODT's styles.xml; the archive is rewritten with `mimetype` first and stored, as ODF requires. */
function addRtlStyles(odt: Buffer): Buffer {
  const files = unzipSync(new Uint8Array(odt));
  const styles = files['styles.xml'];
  if (!styles) throw new ExportFailedError('pandoc wrote an ODT without styles.xml');
  const style =
    `<style:style style:name="${RTL_STYLE}" style:display-name="Right-to-left text" style:family="paragraph" style:parent-style-name="Text_20_body">` +
    '<style:paragraph-properties fo:text-align="start" style:writing-mode="rl-tb"/></style:style>';
  const xml = strFromU8(styles);
  if (!xml.includes('</office:styles>')) throw new ExportFailedError('pandoc wrote an ODT whose styles.xml has no office:styles');
  // pandoc keeps no custom style on headings: a heading whose text reads right to left gets a right-to-left copy of its level's style.
  const content = files['content.xml'];
  const levels = new Set<string>();
  if (content) {
    const rewritten = strFromU8(content).replace(
      /<text:h text:style-name="(Heading_20_[1-6])"([^>]*)>([\s\S]*?)<\/text:h>/g,
      (whole, name: string, rest: string, inner: string) => {
        if (firstStrongDirection(inner.replace(/<[^>]*>/g, '')) !== 'rtl') return whole;
        levels.add(name);
        return `<text:h text:style-name="${name}_RTL"${rest}>${inner}</text:h>`;
      },
    );
    files['content.xml'] = strToU8(rewritten);
  }
  const headingStyles = [...levels]
    .map(
      (name) =>
        `<style:style style:name="${name}_RTL" style:display-name="${name.replace(/_20_/g, ' ')} (right to left)" style:family="paragraph" style:parent-style-name="${name}">` +
        '<style:paragraph-properties fo:text-align="start" style:writing-mode="rl-tb"/></style:style>',
    )
    .join('');
  files['styles.xml'] = strToU8(xml.replace('</office:styles>', `${style}${headingStyles}</office:styles>`));
  const zippable: Zippable = {};
  const mimetype = files['mimetype'];
  if (mimetype) zippable['mimetype'] = [mimetype, { level: 0 }];
  for (const [name, data] of Object.entries(files)) if (name !== 'mimetype') zippable[name] = [data, { level: 6 }];
  return Buffer.from(zipSync(zippable));
}
