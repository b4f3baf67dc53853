import { directionOf } from '@rapporteur/i18n';
import { consensusSummaryHtml, escapeHtml, jsonToHtml, resolveAutoDirections } from '@rapporteur/schema';
import { consensusTranslatorFor } from './consensusLabels';
import { footnoteLabelsFor, formatDate, pageLabel, type PageTranslate } from './labels';

/** ProseMirror JSON, as docToJSON gives it. */
export type JSONContent = Parameters<typeof jsonToHtml>[0];

/**
 * The one page layer of pages that need no JavaScript (DESIGN "Pages that
 * need no JavaScript are one module"): the styled standalone HTML export,
 * publications, and the PDF (which is this page printed). One stylesheet,
 * inline, so a saved page stands alone; print-ready; logical properties only,
 * so right-to-left blocks lay out correctly; tables with borders and header
 * cells. Nothing here runs a script.
 */

/** The stylesheet of every server-rendered page (screen and print). */
export const PAGE_CSS = `
:root { color-scheme: light; }
html { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #1a1a1a; background: #fff; }
body { max-inline-size: 48rem; margin-inline: auto; margin-block: 0; padding: 1.5rem; }
.page-header { border-block-end: 2px solid #1a1a1a; margin-block-end: 1.5rem; padding-block-end: 0.75rem; }
.page-header h1 { font-size: 1.8rem; margin-block: 0 0.5rem; }
.page-meta { margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; }
.page-meta div { display: flex; gap: 0.4rem; }
.page-meta dt { font-weight: bold; }
.page-meta dd { margin: 0; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin-block: 1.5em 0.5em; break-after: avoid; }
p { margin-block: 0 0.75em; }
a { color: #0a4a94; text-decoration: underline; }
a:focus-visible { outline: 3px solid #0a4a94; outline-offset: 2px; }
ul, ol { padding-inline-start: 2rem; margin-block: 0 0.75em; }
li > p { margin-block: 0 0.25em; }
blockquote { margin-inline: 0; padding-inline-start: 1rem; border-inline-start: 4px solid #777; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 0.75rem; border: 1px solid #ccc; }
code { font-family: "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; inline-size: 100%; margin-block: 1rem; }
th, td { border: 1px solid #444; padding: 0.35rem 0.5rem; text-align: start; vertical-align: top; }
th { background: #e8e8e8; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td > p:last-child, th > p:last-child { margin-block-end: 0; }
.consensus-marker { border: 1px solid #444; border-inline-start-width: 5px; background: #f5f5f5; padding: 0.5rem 0.75rem; margin-block: 0.25rem 1rem; break-inside: avoid; }
.consensus-marker p { margin-block: 0 0.35em; }
.consensus-summary { margin-block-start: 2rem; }
.footnote-ref { line-height: 0; }
.footnote-ref a { text-decoration: none; padding-inline: 0.1em; }
.footnotes { margin-block-start: 2rem; border-block-start: 1px solid #999; font-size: 0.9rem; }
.footnotes h2 { font-size: 1.1rem; }
.footnotes li > p { margin-block: 0 0.35em; }
.page-notice { border: 2px solid #555; padding: 0.75rem 1rem; margin-block: 0 1.5rem; }
.page-notice--alert { border-color: #8a1c1c; border-inline-start-width: 6px; }
.page-notice p { margin-block: 0 0.35em; }
.page-nav { border-block-start: 1px solid #999; margin-block-start: 2rem; padding-block-start: 1rem; }
.page-nav ul { list-style: none; padding-inline-start: 0; }
[dir="rtl"] { text-align: start; }
@media print {
  @page { margin: 2cm; }
  body { max-inline-size: none; padding: 0; }
  a { color: inherit; }
  .page-downloads { display: none; }
}
`;

/** What the header of a page or export says: the title, a date and which text this is. */
export interface PageHeader {
  readonly title: string;
  /** Milliseconds since the epoch: when this text was exported, named or published. */
  readonly date: number;
  /** Which text: "Current text", "Version “…”", "Publication 3". */
  readonly label: string;
}

export interface PageOptions {
  readonly header: PageHeader;
  /** The page's main content, already safe HTML (the document body from packages/schema). */
  readonly main: string;
  /** Safe HTML before the main content (notices: withdrawn, erratum). */
  readonly before?: string;
  /** Safe HTML after the main content (links to other publications, downloads). */
  readonly after?: string;
  /** The language of the page's own labels. Default 'en'. */
  readonly lang?: string;
  readonly t?: PageTranslate;
}

/** The header as HTML: the title as the page's only h1, then date and version as a description list. */
export function headerHtml(header: PageHeader, t: PageTranslate = pageLabel, lang = 'en'): string {
  const iso = new Date(header.date).toISOString();
  return [
    '<header class="page-header">',
    `<h1>${escapeHtml(header.title)}</h1>`,
    '<dl class="page-meta">',
    `<div><dt>${escapeHtml(t('header.date'))}:</dt><dd><time datetime="${iso}">${escapeHtml(formatDate(header.date, lang))}</time></dd></div>`,
    `<div><dt>${escapeHtml(t('header.version'))}:</dt><dd>${escapeHtml(header.label)}</dd></div>`,
    '</dl>',
    '</header>',
  ].join('\n');
}

/**
 * A complete standalone page. A Content-Security-Policy in the page itself
 * lets nothing load or run, wherever the file is opened (a saved export, the
 * PDF printer), on top of the one the server sends.
 */
export function renderPage(options: PageOptions): string {
  const lang = options.lang ?? 'en';
  const t = options.t ?? pageLabel;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}" dir="${directionOf(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.header.title)} — ${escapeHtml(options.header.label)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    headerHtml(options.header, t, lang),
    ...(options.before ? [options.before] : []),
    '<main>',
    options.main,
    '</main>',
    ...(options.after ? [options.after] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * A document's body as the page's main content: blocks whose direction is
 * `auto` spelled out (so the PDF and the converters agree with the page),
 * consensus markers after their blocks, footnotes as notes after the text
 * (`noteStyle: 'pandoc'`: as pandoc reads footnotes), the consensus summary
 * at the end, template guidance never.
 */
export function documentMainHtml(
  json: JSONContent,
  options: { consensusSummary?: boolean; language?: string; noteStyle?: 'endnotes' | 'pandoc' } = {},
): string {
  const resolved = resolveAutoDirections(json);
  // Markers, footnotes and the summary in the document's own language (SPEC L8).
  const language = options.language ?? 'en';
  const t = consensusTranslatorFor(language);
  const body = headerRowsInThead(jsonToHtml(resolved, t, { footnotes: footnoteLabelsFor(language), noteStyle: options.noteStyle ?? 'endnotes' }));
  const summary = options.consensusSummary === false ? '' : consensusSummaryHtml(resolved, t);
  return summary === '' ? body : `${body}\n${summary}`;
}

/**
 * A table's first row made only of header cells moves into `<thead>`: screen
 * readers announce it as the columns' headers, print repeats it on every
 * page, and converters (pandoc) keep it as the header row. A row holding a
 * nested table is left alone.
 */
export function headerRowsInThead(html: string): string {
  return html.replace(/<tbody>(<tr>(?:<th\b(?:(?!<table)[\s\S])*?<\/th>)+<\/tr>)/g, '<thead>$1</thead><tbody>');
}
