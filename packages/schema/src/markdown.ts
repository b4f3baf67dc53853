import type { JSONContent } from '@tiptap/core';
import type * as Y from 'yjs';

import { docToJSON } from './body';
import { CONSENSUS_ATTRIBUTE, markedPassages, markerWording, toConsensusMarker, translateConsensusEn } from './consensus';
import type { ConsensusTranslate, MarkerScope } from './consensus';
import { FOOTNOTE_TYPE } from './footnote';
import { fillNotStated } from './templateFields';

type Mark = NonNullable<JSONContent['marks']>[number];

/** How a hard break is written where it occurs. */
type BreakStyle = 'backslash' | 'html' | 'space';

interface InlineContext {
  breakStyle: BreakStyle;
  /** In a GFM table cell, `|` must be escaped even inside code spans. */
  inTable: boolean;
}

// Marks nest in this order, outermost first. Code is innermost: Tiptap's
// code mark excludes the others, and nothing is parsed inside a code span.
const MARK_ORDER = ['link', 'bold', 'italic', 'strike', 'underline', 'superscript', 'subscript', 'code'] as const;

/**
 * The body of `doc` as CommonMark with the GFM extensions for tables and
 * strikethrough. Blocks are separated by a blank line; the result ends with
 * one newline (an empty document gives ''). Underline, superscript and subscript
 * have no CommonMark form and are written as `<u>…</u>`, `<sup>…</sup>`, `<sub>…</sub>`; block ids and text direction are not kept.
 * Text is escaped so that it reads back as the same text. A consensus
 * marker follows its block as a blockquote (label, wording, basis, views);
 * the consensus summary ends the document when it has a marker.
 */
export function docToMarkdown(doc: Y.Doc, options: MarkdownOptions = {}): string {
  return jsonDocToMarkdown(docToJSON(doc), options);
}

export interface MarkdownOptions {
  /** End with the consensus summary (default true). */
  readonly consensusSummary?: boolean;
  /** The consensus markers' wording, in the document's language (default English). */
  readonly t?: ConsensusTranslate;
}

/** docToMarkdown over the document's ProseMirror JSON (as docToJSON gives it). */
export function jsonDocToMarkdown(json: JSONContent, options: MarkdownOptions = {}): string {
  const t = options.t ?? translateConsensusEn;
  // Empty cells of a participation table read "not stated"; guidance (an attribute) is never written.
  const { body, notes } = numberFootnotes(fillNotStated(json));
  const parts = [blocks(body.content ?? [], t), footnoteDefinitions(notes)];
  if (options.consensusSummary !== false) parts.push(consensusSummaryMarkdown(json, t));
  const out = parts.filter((s) => s !== '').join('\n\n');
  return out === '' ? '' : `${out}\n`;
}

/** A marker as a Markdown blockquote; '' for no (or an invalid) marker. */
export function markerToMarkdown(marker: unknown, scope: MarkerScope, t: ConsensusTranslate = translateConsensusEn): string {
  const valid = toConsensusMarker(marker);
  if (!valid) return '';
  const w = markerWording(valid, { scope, t });
  const lines = [`**${escapeText(w.label)}.** ${escapeText(w.wording)}\\`, escapeLineStarts(escapeText(w.basis))];
  if (w.views.length > 0) {
    lines.push('', `${escapeText(w.viewsTitle)}:`, '');
    w.views.forEach((v, i) => {
      const text = v.text.trim() === '' ? t('viewTextMissing') : v.text;
      const body = text
        .split(/\r?\n/)
        .map((line) => escapeLineStarts(escapeText(line)))
        .join('\\\n   ');
      lines.push(`${i + 1}. ${body}\\`, `   ${escapeText(v.heldBy)}`);
    });
  }
  return lines
    .join('\n')
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

/** The consensus summary as a Markdown section listing every marked passage; '' when there is none. */
export function consensusSummaryMarkdown(json: JSONContent, t: ConsensusTranslate = translateConsensusEn): string {
  const passages = markedPassages(json);
  if (passages.length === 0) return '';
  const items = passages.map((m) => {
    const w = markerWording(m.marker, { scope: m.scope, t });
    const views = w.views.map((v) => `\n  - ${escapeText(v.text.replace(/\s+/g, ' ').trim())} (${escapeText(v.heldBy)})`).join('');
    return `- **${escapeText(w.label)}**: “${escapeText(m.passage)}” — ${escapeText(w.basis)}${views}`;
  });
  return [`## ${escapeText(t('summary.title'))}`, items.join('\n')].join('\n\n');
}

/** The block's marker as Markdown, after a blank line; '' when it has none. */
function markerSuffix(node: JSONContent, t: ConsensusTranslate): string {
  const marker = node.attrs?.[CONSENSUS_ATTRIBUTE];
  if (marker === undefined || marker === null) return '';
  const md = markerToMarkdown(marker, node.type === 'heading' ? 'section' : 'passage', t);
  return md === '' ? '' : `\n\n${md}`;
}

/** Serializes ProseMirror JSON (a doc or a list of blocks) to Markdown; see docToMarkdown. */
export function jsonToMarkdown(json: JSONContent): string {
  const { body: filled, notes } = numberFootnotes(fillNotStated(json));
  const text = filled.type === 'doc' ? blocks(filled.content ?? [], translateConsensusEn) : block(filled, translateConsensusEn);
  const out = [text, footnoteDefinitions(notes)].filter((s) => s !== '').join('\n\n');
  return out === '' ? '' : `${out}\n`;
}

/** Stands for a footnote in the tree the writer walks: `[^n]` where it was. */
const FOOTNOTE_REF = 'footnoteRef';

/**
 * A copy of `json` with each footnote replaced by a reference to its number
 * (document order, SPEC FN2), and the footnotes in that order.
 */
function numberFootnotes(json: JSONContent): { body: JSONContent; notes: JSONContent[] } {
  const notes: JSONContent[] = [];
  const walk = (node: JSONContent): JSONContent => {
    if (node.type === FOOTNOTE_TYPE) {
      notes.push(node);
      return { type: FOOTNOTE_REF, attrs: { number: notes.length }, ...(node.marks ? { marks: node.marks } : {}) };
    }
    return node.content ? { ...node, content: node.content.map(walk) } : node;
  };
  return { body: walk(json), notes };
}

/** The notes as footnote definitions (`[^3]: text`), as pandoc and GFM read them; '' when there is none. */
function footnoteDefinitions(notes: readonly JSONContent[]): string {
  return notes
    .map((note, i) => `[^${i + 1}]: ${inline(note.content ?? [], { breakStyle: 'space', inTable: false })}`.trimEnd())
    .join('\n');
}

function blocks(nodes: readonly JSONContent[], t: ConsensusTranslate, separator = '\n\n'): string {
  return nodes
    .map((node) => block(node, t))
    .filter((s) => s !== '')
    .join(separator);
}

function block(node: JSONContent, t: ConsensusTranslate): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return escapeLineStarts(inline(content, { breakStyle: 'backslash', inTable: false })) + markerSuffix(node, t);
    case 'heading': {
      const level = Number(node.attrs?.['level'] ?? 1);
      const text = inline(content, { breakStyle: 'space', inTable: false }).replace(/#$/, '\\#');
      return `${'#'.repeat(level)} ${text}`.trimEnd() + markerSuffix(node, t);
    }
    case 'bulletList':
      return list(content, () => '- ', t);
    case 'orderedList': {
      const start = Number(node.attrs?.['start'] ?? 1);
      return list(content, (i) => `${start + i}. `, t);
    }
    case 'listItem':
      return listItemBody(content, t) + markerSuffix(node, t);
    case 'blockquote':
      return blocks(content, t)
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'codeBlock':
      return codeBlock(content, node.attrs?.['language']);
    case 'horizontalRule':
      return '---';
    case 'table':
      return table(content, t);
    case 'text':
    case 'hardBreak':
      // Inline content directly under a block container (a malformed doc): keep the text.
      return escapeLineStarts(inline([node], { breakStyle: 'backslash', inTable: false }));
    default:
      // Unknown block: keep its content rather than lose text.
      return blocks(content, t);
  }
}

function listItemBody(content: readonly JSONContent[], t: ConsensusTranslate): string {
  // A nested list follows its paragraph directly, so that the list stays tight.
  let out = '';
  for (const child of content) {
    const text = block(child, t);
    if (text === '') continue;
    if (out !== '') out += child.type === 'bulletList' || child.type === 'orderedList' ? '\n' : '\n\n';
    out += text;
  }
  return out;
}

function list(items: readonly JSONContent[], marker: (index: number) => string, t: ConsensusTranslate): string {
  return items
    .map((item, i) => {
      const m = marker(i);
      const body = listItemBody(item.content ?? [], t) + markerSuffix(item, t);
      const indent = ' '.repeat(m.length);
      const lines = body.split('\n').map((line, j) => (j === 0 ? line : line === '' ? '' : indent + line));
      return `${m}${lines.join('\n')}`.trimEnd();
    })
    .join('\n');
}

function codeBlock(content: readonly JSONContent[], language: unknown): string {
  const code = content.map((n) => n.text ?? '').join('');
  const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const info = typeof language === 'string' ? language : '';
  return `${fence}${info}\n${code}${code === '' || code.endsWith('\n') ? '' : '\n'}${fence}`;
}

function table(rows: readonly JSONContent[], t: ConsensusTranslate): string {
  const grid = rows.map((row) =>
    (row.content ?? []).flatMap((cell) => {
      const text = tableCell(cell.content ?? [], t);
      const colspan = Number(cell.attrs?.['colspan'] ?? 1);
      // GFM has no spans: the cell's text goes in its first column.
      return [text, ...Array.from({ length: Math.max(0, colspan - 1) }, () => '')];
    }),
  );
  const width = Math.max(1, ...grid.map((r) => r.length));
  const line = (cells: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header = [], ...body] = grid;
  return [line(header), line(Array.from({ length: width }, () => '---')), ...body.map(line)].join('\n');
}

function tableCell(content: readonly JSONContent[], t: ConsensusTranslate): string {
  return content
    .map((child) =>
      child.type === 'paragraph' || child.type === 'heading'
        ? inline(child.content ?? [], { breakStyle: 'html', inTable: true })
        : block(child, t).replace(/\|/g, '\\|').replace(/\n+/g, ' '),
    )
    .filter((s) => s !== '')
    .join('<br>');
}

// ---- inline ----

function markKey(mark: Mark): string {
  return mark.type === 'link' ? `link ${String(mark.attrs?.['href'])} ${String(mark.attrs?.['title'] ?? '')}` : mark.type;
}

function hasMark(node: JSONContent, key: string): boolean {
  return (node.marks ?? []).some((m) => markKey(m) === key);
}

function inline(nodes: readonly JSONContent[], ctx: InlineContext, open: ReadonlySet<string> = new Set()): string {
  let out = '';
  let i = 0;
  while (i < nodes.length) {
    const node = nodes[i]!;
    const next = MARK_ORDER.map((type) => (node.marks ?? []).find((m) => m.type === type)).find(
      (m): m is Mark => m !== undefined && !open.has(markKey(m)),
    );
    if (!next) {
      out += leaf(node, ctx);
      i += 1;
      continue;
    }
    // The longest run of nodes sharing this mark becomes one span.
    const key = markKey(next);
    let j = i + 1;
    while (j < nodes.length && hasMark(nodes[j]!, key)) j += 1;
    const run = nodes.slice(i, j);
    out += next.type === 'code' ? codeSpan(run, ctx) : wrap(next, inline(run, ctx, new Set([...open, key])));
    i = j;
  }
  return out;
}

function leaf(node: JSONContent, ctx: InlineContext): string {
  if (node.type === FOOTNOTE_REF) return `[^${String(node.attrs?.['number'])}]`;
  if (node.type === 'hardBreak') {
    switch (ctx.breakStyle) {
      case 'backslash':
        return '\\\n';
      case 'html':
        return '<br>';
      case 'space':
        return ' ';
    }
  }
  return escapeText(node.text ?? '');
}

function wrap(mark: Mark, inner: string): string {
  if (mark.type === 'link') {
    const title = mark.attrs?.['title'];
    const titlePart = typeof title === 'string' && title !== '' ? ` "${title.replace(/["\\]/g, '\\$&')}"` : '';
    return `[${inner}](${encodeHref(String(mark.attrs?.['href'] ?? ''))}${titlePart})`;
  }
  // Emphasis delimiters must touch non-space text, so surrounding spaces move outside.
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, lead = '', core = '', trail = ''] = match ?? [];
  if (core === '') return inner;
  const [before, after] = DELIMITERS[mark.type] ?? ['', ''];
  return `${lead}${before}${core}${after}${trail}`;
}

const DELIMITERS: Record<string, readonly [string, string]> = {
  bold: ['**', '**'],
  italic: ['*', '*'],
  strike: ['~~', '~~'],
  underline: ['<u>', '</u>'],
  superscript: ['<sup>', '</sup>'],
  subscript: ['<sub>', '</sub>'],
};

function codeSpan(run: readonly JSONContent[], ctx: InlineContext): string {
  let code = run.map((n) => (n.type === 'hardBreak' ? ' ' : (n.text ?? ''))).join('');
  if (ctx.inTable) code = code.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = code.startsWith('`') || code.endsWith('`') || /^ .* $/.test(code) ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

function encodeHref(href: string): string {
  return href.replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Escapes characters that would start Markdown syntax anywhere in a line. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*~[\]<|]/g, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** Escapes what would start a block at the beginning of a line: headings, lists, quotes, rules, setext underlines. */
function escapeLineStarts(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2'))
    .join('\n');
}
