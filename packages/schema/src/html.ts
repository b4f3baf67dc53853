import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import type * as Y from 'yjs';

import { docToJSON } from './body';
import { schemaExtensions } from './schemaExtensions';

export interface DocToHtmlOptions {
  /** The document's title, for `<title>` (escaped). Default 'Untitled'. */
  title?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The body of `doc` as an HTML fragment (no `<html>` wrapper), rendered without a DOM. */
export function bodyToHtml(doc: Y.Doc): string {
  return renderToHTMLString({ content: docToJSON(doc), extensions: schemaExtensions({ uniqueIds: false }) });
}

/**
 * The document as a complete, standalone HTML5 page. Safe to serve as is:
 * all text and attribute values are escaped, links are only http, https or
 * mailto (others lose their link), and nothing from the document can add an
 * element, an attribute or a script. The page has no stylesheet or script.
 */
export function docToHtml(doc: Y.Doc, options: DocToHtmlOptions = {}): string {
  const title = escapeHtml(options.title ?? 'Untitled');
  return [
    '<!doctype html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    '</head>',
    '<body>',
    bodyToHtml(doc),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
