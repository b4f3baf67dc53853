import { all, type ForeignElement, type ForeignNode, isElement, remove, stylesOf, tagOf, TEXT_NODE } from './dom';

/**
 * Word's HTML (its clipboard and "Save as Web Page") has no list elements:
 * each item is a paragraph whose style says `mso-list:l0 level2 lfo1` (list
 * l0, level 2), its number or bullet written out in a span styled
 * `mso-list:Ignore` inside `<![if !supportLists]>`. This rebuilds real,
 * nested `<ul>`/`<ol>` lists from runs of such paragraphs, ordered when the
 * written marker is a number or letter followed by `.` or `)`, starting at
 * that number, with its numbering style (`1`, `a`, `A`, `i`, `I`).
 */
export function rebuildWordLists(root: ForeignElement): void {
  const items = all(root, 'p').filter((p) => listInfo(p) !== null);
  const done = new Set<ForeignElement>();
  for (const first of items) {
    if (done.has(first)) continue;
    // A run: this paragraph and the list paragraphs directly after it.
    const run: ForeignElement[] = [first];
    let next = nextElement(first);
    while (next && tagOf(next) === 'p' && listInfo(next) !== null) {
      run.push(next);
      next = nextElement(next);
    }
    for (const p of run) done.add(p);
    buildLists(run);
  }
  // Numbered headings keep their number as text, without Word's spacing span.
  for (const marker of all(root, 'span')) {
    if (!isIgnoreSpan(marker)) continue;
    const text = markerText(marker);
    marker.parentNode?.insertBefore(marker.ownerDocument.createTextNode(text === '' ? '' : `${text} `), marker);
    remove(marker);
  }
}

interface ListInfo {
  readonly list: string;
  readonly level: number;
}

function listInfo(p: ForeignElement): ListInfo | null {
  const value = stylesOf(p).get('mso-list');
  if (!value) return null;
  const m = /^(l\d+)\s+level(\d+)/i.exec(value);
  return m ? { list: m[1]!.toLowerCase(), level: Math.max(1, Math.min(9, Number(m[2]))) } : null;
}

function isIgnoreSpan(el: ForeignElement): boolean {
  return /mso-list\s*:\s*ignore/i.test(el.getAttribute('style') ?? '');
}

/** The marker as written ("1.", "a)", "·"), without Word's spacing. */
function markerText(span: ForeignElement): string {
  return (span.textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim().split(' ')[0] ?? '';
}

function nextElement(el: ForeignElement): ForeignElement | null {
  let node: ForeignNode | null = el.nextSibling;
  // Comments (`<![endif]>`) and whitespace between paragraphs do not break a run.
  while (node && !isElement(node) && (node.nodeType !== TEXT_NODE || (node.textContent ?? '').trim() === '')) node = node.nextSibling;
  return isElement(node) ? node : null;
}

interface Kind {
  readonly ordered: boolean;
  readonly type: string | null;
  readonly start: number;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

function romanValue(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i += 1) {
    const v = ROMAN[s[i]!.toLowerCase()] ?? 0;
    const n = ROMAN[s[i + 1]?.toLowerCase() ?? ''] ?? 0;
    total += v < n ? -v : v;
  }
  return total;
}

/** What a written marker says: "3." ordered from 3, "b)" lettered from 2, "iv." roman from 4, "·" or "o" a bullet. */
export function markerKind(marker: string): Kind {
  const m = /^\(?(\d+|[a-zA-Z]+)[.)]$/.exec(marker);
  if (!m) return { ordered: false, type: null, start: 1 };
  const value = m[1]!;
  if (/^\d+$/.test(value)) return { ordered: true, type: null, start: Number(value) };
  const roman = /^[ivxlcdm]+$/i.test(value) && (value.length > 1 || /^[iI]$/.test(value));
  if (roman) return { ordered: true, type: value === value.toLowerCase() ? 'i' : 'I', start: romanValue(value) };
  const letter = value.length === 1 ? value.toLowerCase().charCodeAt(0) - 96 : 1;
  return { ordered: true, type: value === value.toLowerCase() ? 'a' : 'A', start: letter };
}

interface Open {
  readonly level: number;
  readonly list: string;
  readonly ordered: boolean;
  readonly el: ForeignElement;
  lastItem: ForeignElement | null;
}

function buildLists(run: readonly ForeignElement[]): void {
  const first = run[0]!;
  const doc = first.ownerDocument;
  const anchor = doc.createTextNode('');
  first.parentNode?.insertBefore(anchor, first);
  const stack: Open[] = [];
  for (const p of run) {
    const info = listInfo(p)!;
    const span = all(p, 'span').find(isIgnoreSpan);
    const kind = markerKind(span ? markerText(span) : '');
    for (const s of all(p, 'span').filter(isIgnoreSpan)) remove(s);
    while (stack.length > 0 && stack[stack.length - 1]!.level > info.level) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.level === info.level && (top.ordered !== kind.ordered || top.list !== info.list)) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (!top || top.level < info.level) {
      const list = doc.createElement(kind.ordered ? 'ol' : 'ul');
      if (kind.ordered && kind.start !== 1) list.setAttribute('start', String(kind.start));
      if (kind.type) list.setAttribute('type', kind.type);
      if (top?.lastItem) top.lastItem.appendChild(list);
      else if (top) top.el.appendChild(list);
      else anchor.parentNode?.insertBefore(list, anchor);
      top = { level: info.level, list: info.list, ordered: kind.ordered, el: list, lastItem: null };
      stack.push(top);
    }
    const item = doc.createElement('li');
    const paragraph = doc.createElement('p');
    while (p.firstChild) paragraph.appendChild(p.firstChild);
    const dir = p.getAttribute('dir');
    if (dir) paragraph.setAttribute('dir', dir);
    item.appendChild(paragraph);
    top.el.appendChild(item);
    top.lastItem = item;
    remove(p);
  }
  remove(anchor);
}
