import type { ImportNotice } from '@rapporteur/protocol';

import { all, type ForeignElement, isElement, remove, rename, stylesOf, tagOf, unwrap, wrapChildren } from './dom';
import { extractFootnotes, footnotesAsText } from './footnotes';
import { rebuildWordLists } from './wordLists';

/**
 * HTML from word processors (Word, LibreOffice, Google Docs, and the HTML
 * that mammoth and pandoc make of DOCX and ODT files) rewritten in place into
 * the plain, semantic HTML the body schema parses, and a list of what could
 * not be kept. One transform for paste (in the browser, on the clipboard's
 * HTML) and import (on the server, over linkedom), so both keep the same
 * things and say the same about the rest:
 *
 * - Headings stay headings: `h5`/`h6` (and Word's Heading 7–9 paragraphs)
 *   become the deepest level the schema has, Word's Title paragraph a first
 *   level heading.
 * - Word's list paragraphs become real nested lists with their numbering;
 *   Google Docs' nested lists (a list directly inside a list) go inside the
 *   item before them, and its list-style-type becomes the list's type.
 * - Bold, italic, underline, strike, superscript and subscript written as
 *   inline styles (Google Docs' spans, Word's `vertical-align`) become
 *   elements; Google Docs' `<b style="font-weight:normal">` wrapper is not bold.
 * - Cells of a table head become header cells.
 * - Footnotes (references linked to notes) are kept: as numbered text after
 *   the rest for now, said in a notice.
 * - Images (with their alternative text), colours and highlighting, and
 *   embedded objects are removed, each said in a notice.
 */
export function normalizeForeignHtml(root: ForeignElement): ImportNotice[] {
  const notices: ImportNotice[] = [];
  for (const el of all(root, 'script, style, meta, link, title, template, noscript, xml')) remove(el);

  // Google Docs wraps the whole clipboard in <b style="font-weight:normal" id="docs-internal-guid-…">.
  for (const b of all(root, 'b[id^="docs-internal-guid"]')) unwrap(b);

  const images = all(root, 'img, picture, svg, canvas, area, map, image');
  const alts = images.map((img) => (img.getAttribute('alt') ?? img.getAttribute('title') ?? '').replace(/\s+/g, ' ').trim()).filter((a) => a !== '');
  const pictures = all(root, 'img').length + all(root, 'svg, canvas').length;
  for (const img of images) {
    let el = img.parentElement;
    remove(img);
    // A paragraph that held only the picture (in Google Docs' spans, beside Word's <o:p>) goes with it.
    while (el && el !== root && /^(p|span|a|font|b|i|u|strong|em|[a-z]+:[a-z]+)$/.test(tagOf(el)) && (el.textContent ?? '').trim() === '' && el.querySelectorAll('br, img').length === 0) {
      const up: ForeignElement | null = el.parentElement;
      const paragraph = tagOf(el) === 'p';
      remove(el);
      el = paragraph ? null : up;
    }
  }
  if (pictures > 0) notices.push({ code: 'images', count: pictures, ...(alts.length > 0 ? { items: alts.slice(0, 20).map((a) => a.slice(0, 200)) } : {}) });

  const embedded = all(root, 'iframe, object, embed, video, audio, input, select, textarea, button, form, frame, frameset, applet');
  // Form controls' text (a button's, a select's options) goes with them; a form's fields too.
  const objects = embedded.filter((el) => !el.parentElement?.closest('object, form, video, audio, select'));
  for (const el of objects) remove(el);
  if (objects.length > 0) notices.push({ code: 'embedded', count: objects.length });

  const coloured = countColours(root);
  if (coloured > 0) notices.push({ code: 'colours', count: coloured });

  rebuildWordLists(root);
  headings(root);
  inlineStyles(root);
  googleLists(root);
  tableHeads(root);

  // Word's <o:p> (paragraph end marks), <font> and other wrappers that carry nothing the schema keeps.
  for (const el of all(root, '*')) if (tagOf(el) === 'font' || tagOf(el).includes(':')) unwrap(el);

  // Every style the schema keeps is an element now; what is left (fonts, sizes, a link's underline) must not become a mark.
  for (const el of all(root, '[style]')) el.removeAttribute('style');

  const notes = extractFootnotes(root);
  if (notes.length > 0) {
    footnotesAsText(root, notes);
    notices.push({ code: 'footnotes-as-text', count: notes.length });
  }
  return notices;
}

function headings(root: ForeignElement): void {
  for (const h of all(root, 'h5, h6')) rename(h, 'h4', ['dir', 'id']);
  for (const p of all(root, 'p')) {
    const cls = p.getAttribute('class') ?? '';
    if (/\bMsoHeading[7-9]\b/.test(cls)) rename(p, 'h4', ['dir']);
    else if (/\bMsoTitle\b/.test(cls)) rename(p, 'h1', ['dir']);
  }
}

const BOLD = /^(bold(er)?|[6-9]\d\d)$/i;

/** Inline styles the schema has marks for, as the elements its parser knows for certain. */
function inlineStyles(root: ForeignElement): void {
  for (const el of all(root, '[style]')) {
    const styles = stylesOf(el);
    const tag = tagOf(el);
    const weight = styles.get('font-weight');
    const style = styles.get('font-style');
    const decoration = `${styles.get('text-decoration') ?? ''} ${styles.get('text-decoration-line') ?? ''}`;
    const align = styles.get('vertical-align');
    if ((tag === 'b' || tag === 'strong') && weight !== undefined && !BOLD.test(weight)) {
      unwrap(el);
      continue;
    }
    if ((tag === 'i' || tag === 'em') && style === 'normal') {
      unwrap(el);
      continue;
    }
    if (tag !== 'span' && tag !== 'font' && tag !== 'a') continue;
    // Innermost first, so the order of the marks does not matter to the parser.
    let inner: ForeignElement = el;
    const wrap = (name: string) => {
      inner = wrapChildren(inner, name);
    };
    if (weight !== undefined && BOLD.test(weight)) wrap('strong');
    if (style === 'italic' || style === 'oblique') wrap('em');
    // A link's own underline is the link's, not a mark.
    if (decoration.includes('underline') && tag !== 'a' && !el.closest('a')) wrap('u');
    if (decoration.includes('line-through')) wrap('s');
    if (align === 'super') wrap('sup');
    else if (align === 'sub') wrap('sub');
  }
}

const LIST_STYLE_TYPES: Record<string, string> = {
  'lower-alpha': 'a',
  'lower-latin': 'a',
  'upper-alpha': 'A',
  'upper-latin': 'A',
  'lower-roman': 'i',
  'upper-roman': 'I',
};

/** Google Docs nests a list as a sibling of items (`<ul><li>…</li><ul>…</ul></ul>`) and gives numbering by style. */
function googleLists(root: ForeignElement): void {
  for (const list of all(root, 'ul > ul, ul > ol, ol > ul, ol > ol')) {
    let prev = list.previousSibling;
    while (prev && !isElement(prev)) prev = prev.previousSibling;
    if (prev && tagOf(prev) === 'li') prev.appendChild(list);
    else {
      const item = root.ownerDocument.createElement('li');
      list.parentNode?.insertBefore(item, list);
      item.appendChild(list);
    }
  }
  for (const ol of all(root, 'ol')) {
    if (ol.hasAttribute('type')) continue;
    const first = Array.from(ol.children).find((c) => tagOf(c) === 'li');
    const styleType = (first ? stylesOf(first).get('list-style-type') : undefined) ?? stylesOf(ol).get('list-style-type');
    const type = styleType ? LIST_STYLE_TYPES[styleType.toLowerCase()] : undefined;
    if (type) ol.setAttribute('type', type);
  }
}

function tableHeads(root: ForeignElement): void {
  for (const td of all(root, 'thead td')) rename(td, 'th', ['colspan', 'rowspan', 'dir']);
}

const NEUTRAL_COLOURS = /^(#000(000)?|black|windowtext|auto|inherit|initial|currentcolor|transparent|none|#fff(fff)?|white|rgba?\(0,\s*0,\s*0(,\s*1)?\)|rgba?\(255,\s*255,\s*255(,\s*1)?\)|rgba\(\d+,\s*\d+,\s*\d+,\s*0\))$/i;

/** True for a colour that says something: not black, white, transparent or a grey (Google Docs' default headings are grey). */
function isColour(value: string | null | undefined): boolean {
  if (!value) return false;
  const v = value.trim().split(/\s+/)[0] ?? '';
  if (v === '' || NEUTRAL_COLOURS.test(v) || /^url\(/i.test(v)) return false;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v)?.[1];
  const rgb = hex
    ? (hex.length === 3 ? [...hex].map((c) => c + c) : [hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)]).map((c) => parseInt(c, 16))
    : /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(v)?.slice(1, 4).map(Number);
  return !(rgb && rgb[0] === rgb[1] && rgb[1] === rgb[2]);
}

/** Passages with a text colour, highlighting or shading of their own (a link's colour is the link's). */
function countColours(root: ForeignElement): number {
  let n = 0;
  for (const el of all(root, '[style], font[color], mark, [bgcolor]')) {
    if (el.closest('a')) continue;
    const styles = stylesOf(el);
    const colour =
      isColour(styles.get('color')) ||
      isColour(styles.get('background-color')) ||
      isColour(styles.get('background')) ||
      isColour(styles.get('mso-highlight')) ||
      isColour(el.getAttribute('color')) ||
      isColour(el.getAttribute('bgcolor')) ||
      tagOf(el) === 'mark';
    if (colour && (el.textContent ?? '').trim() !== '') n += 1;
  }
  return n;
}
