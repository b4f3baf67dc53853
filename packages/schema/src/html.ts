import { getAttributesFromExtensions, resolveExtensions, splitExtensions } from '@tiptap/core';
import type { Extensions, JSONContent } from '@tiptap/core';
import {
  domOutputSpecToHTMLString,
  mapNodeExtensionToReactNode,
  renderToHTMLString,
} from '@tiptap/static-renderer/pm/html-string';
import type * as Y from 'yjs';

import { docToJSON } from './body';
import { CONSENSUS_ATTRIBUTE, markedPassages, markerWording, MARKABLE_TYPES, toConsensusMarker } from './consensus';
import type { ConsensusTranslate, MarkerScope } from './consensus';
import { translateConsensusEn } from './consensus';
import { FOOTNOTE_LABELS_EN, FOOTNOTE_TYPE, type FootnoteLabels } from './footnote';
import { schemaExtensions } from './schemaExtensions';
import { fillNotStated } from './templateFields';

export interface DocToHtmlOptions {
  /** The document's title, for `<title>` (escaped). Default 'Untitled'. */
  title?: string;
  /** Append the consensus summary (every marked passage) when the document has markers. Default true. */
  consensusSummary?: boolean;
  /** The document's language (BCP 47), for `<html lang>`; its direction for `<html dir>` (SPEC L8). */
  lang?: string;
  dir?: 'ltr' | 'rtl';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Multiline text as escaped paragraphs' content: lines joined by `<br>`. */
function escapeLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');
}

type Render = ReturnType<typeof mapNodeExtensionToReactNode<string>>[1];

let markableRenderers: Map<string, Render> | undefined;

/** The static renderer's own rendering of paragraphs, headings and list items, to wrap with their markers. */
function defaultRenderers(): Map<string, Render> {
  if (markableRenderers) return markableRenderers;
  const extensions: Extensions = resolveExtensions(schemaExtensions({ uniqueIds: false }));
  const attributes = getAttributesFromExtensions(extensions);
  const { nodeExtensions } = splitExtensions(extensions);
  markableRenderers = new Map(
    nodeExtensions
      .filter((e) => MARKABLE_TYPES.includes(e.name))
      .map((e) => mapNodeExtensionToReactNode<string>(domOutputSpecToHTMLString, e, attributes)),
  );
  return markableRenderers;
}

/**
 * A marker as HTML: a `role="note"` box naming the level in text (never by
 * colour alone), its standard wording, its basis and each view with the
 * stakeholder groups holding it. Everything from the document is escaped.
 */
export function markerToHtml(marker: unknown, scope: MarkerScope, t: ConsensusTranslate = translateConsensusEn): string {
  const valid = toConsensusMarker(marker);
  if (!valid) return '';
  const w = markerWording(valid, { scope, t });
  const views =
    w.views.length === 0
      ? ''
      : [
          `<p>${escapeHtml(w.viewsTitle)}:</p>`,
          '<ol class="consensus-views">',
          ...w.views.map(
            (v) =>
              `<li><p>${v.text.trim() === '' ? escapeHtml(t('viewTextMissing')) : escapeLines(v.text)}</p><p>${escapeHtml(v.heldBy)}</p></li>`,
          ),
          '</ol>',
        ].join('');
  return (
    `<div class="consensus-marker" role="note" data-consensus-level="${escapeHtml(valid.level)}" aria-label="${escapeHtml(t('markerAria', { label: w.label }))}">` +
    `<p><strong>${escapeHtml(w.label)}.</strong> ${escapeHtml(w.wording)}</p>` +
    `<p>${escapeHtml(w.basis)}</p>` +
    views +
    '</div>'
  );
}

/** The nodeMapping that renders each marked block followed (list items: ended) by its marker. */
function markerNodeMapping(t: ConsensusTranslate): Record<string, Render> {
  const mapping: Record<string, Render> = {};
  for (const [name, render] of defaultRenderers()) {
    mapping[name] = (props) => {
      const marker = props.node.attrs[CONSENSUS_ATTRIBUTE] as unknown;
      const html = toConsensusMarker(marker) ? markerToHtml(marker, name === 'heading' ? 'section' : 'passage', t) : '';
      if (html === '') return render(props);
      if (name === 'listItem') {
        const children = props.children;
        return render({ ...props, children: [...(Array.isArray(children) ? children : [children ?? '']), html] });
      }
      return render(props) + html;
    };
  }
  return mapping;
}

/** The consensus summary: every marked passage with its level, basis and views, as a table; '' when there is none. */
export function consensusSummaryHtml(body: JSONContent, t: ConsensusTranslate = translateConsensusEn): string {
  const passages = markedPassages(body);
  if (passages.length === 0) return '';
  const rows = passages.map((m) => {
    const w = markerWording(m.marker, { scope: m.scope, t });
    const views =
      w.views.length === 0
        ? escapeHtml(t('summary.noViews'))
        : `<ul>${w.views.map((v) => `<li>${escapeLines(v.text)} (${escapeHtml(v.heldBy)})</li>`).join('')}</ul>`;
    return `<tr><td>${escapeHtml(m.passage)}</td><td>${escapeHtml(w.label)}</td><td>${escapeHtml(w.basis)}</td><td>${views}</td></tr>`;
  });
  return [
    '<section class="consensus-summary" aria-labelledby="consensus-summary-title">',
    `<h2 id="consensus-summary-title">${escapeHtml(t('summary.title'))}</h2>`,
    '<table>',
    `<thead><tr><th scope="col">${escapeHtml(t('summary.passage'))}</th><th scope="col">${escapeHtml(t('summary.level'))}</th><th scope="col">${escapeHtml(t('summary.basis'))}</th><th scope="col">${escapeHtml(t('summary.views'))}</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

/** How jsonToHtml writes footnotes. */
export interface JsonToHtmlOptions {
  /** The notes' heading and links, in the page's language (default English). */
  readonly footnotes?: FootnoteLabels;
  /**
   * `endnotes` (default): each reference a superscript link to its note, the
   * notes as a numbered list under a heading after the text, each with a link
   * back. `pandoc`: EPUB-style `noteref` links and `footnote` asides, which
   * pandoc (`--from=html+epub_html_exts`) reads as real footnotes.
   */
  readonly noteStyle?: 'endnotes' | 'pandoc';
}

/**
 * The body as an HTML fragment (no `<html>` wrapper), rendered without a DOM;
 * marked blocks carry their markers; footnotes are numbered in document order
 * and listed after the text (SPEC FN2).
 * `t` words consensus markers (default English); a page in another language passes that language's.
 */
export function jsonToHtml(json: JSONContent, t: ConsensusTranslate = translateConsensusEn, options: JsonToHtmlOptions = {}): string {
  const labels = options.footnotes ?? FOOTNOTE_LABELS_EN;
  const pandoc = options.noteStyle === 'pandoc';
  // Filled in the order the renderer meets footnotes: document order (children before the next sibling).
  const notes: string[] = [];
  const footnote: Render = ({ children }) => {
    const n = notes.length + 1;
    notes.push(Array.isArray(children) ? children.join('') : (children ?? ''));
    return pandoc
      ? `<a epub:type="noteref" href="#fn-${n}" id="fnref-${n}">${n}</a>`
      : `<sup class="footnote-ref"><a href="#fn-${n}" id="fnref-${n}" role="doc-noteref" aria-label="${escapeHtml(labels.reference(n))}">${n}</a></sup>`;
  };
  const body = renderToHTMLString({
    // Empty cells of a participation table read "not stated"; guidance is never rendered (its attribute has no HTML).
    content: fillNotStated(json),
    extensions: schemaExtensions({ uniqueIds: false }),
    options: { nodeMapping: { ...markerNodeMapping(t), [FOOTNOTE_TYPE]: footnote } },
  });
  if (notes.length === 0) return body;
  if (pandoc) return `${body}\n${notes.map((text, i) => `<aside epub:type="footnote" id="fn-${i + 1}"><p>${text}</p></aside>`).join('\n')}`;
  return [
    body,
    '<section class="footnotes" role="doc-endnotes" aria-labelledby="footnotes-title">',
    `<h2 id="footnotes-title">${escapeHtml(labels.title)}</h2>`,
    '<ol>',
    ...notes.map(
      (text, i) =>
        `<li id="fn-${i + 1}"><p>${text} <a href="#fnref-${i + 1}" role="doc-backlink" aria-label="${escapeHtml(labels.back(i + 1))}">↩</a></p></li>`,
    ),
    '</ol>',
    '</section>',
  ].join('\n');
}

/** The body of `doc` as an HTML fragment (no `<html>` wrapper), rendered without a DOM. */
export function bodyToHtml(doc: Y.Doc): string {
  return jsonToHtml(docToJSON(doc));
}

/**
 * The document as a complete, standalone HTML5 page. Safe to serve as is:
 * all text and attribute values are escaped, links are only http, https or
 * mailto (others lose their link), and nothing from the document can add an
 * element, an attribute or a script. The page has no stylesheet or script.
 * Consensus markers follow their blocks; the consensus summary ends the page
 * when there is at least one.
 */
export function docToHtml(doc: Y.Doc, options: DocToHtmlOptions = {}): string {
  const title = escapeHtml(options.title ?? 'Untitled');
  const json = docToJSON(doc);
  const summary = options.consensusSummary === false ? '' : consensusSummaryHtml(json);
  return [
    '<!doctype html>',
    options.lang ? `<html lang="${escapeHtml(options.lang)}" dir="${options.dir === 'rtl' ? 'rtl' : 'ltr'}">` : '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    '</head>',
    '<body>',
    jsonToHtml(json),
    ...(summary === '' ? [] : [summary]),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
