import { all, type ForeignElement, type ForeignNode, isElement, remove, tagOf } from './dom';

/**
 * Footnotes as word processors write them into HTML all have the same shape:
 * a reference in the text links to its note (`href="#…"`), and the note links
 * back to the reference. Word (`#_ftn1` ↔ `#_ftnref1`, endnotes `#_edn1`),
 * LibreOffice (`#sdfootnote1sym` ↔ `#sdfootnote1anc`), Google Docs
 * (`#ftnt1` ↔ `#ftnt_ref1`), mammoth (`#footnote-1` ↔ `#footnote-ref-1`),
 * pandoc and markdown-it (`#fn1` ↔ `#fnref1`) differ only in names, so a
 * pair of links that point at each other is what this recognises — the first
 * of the two in the text is the reference.
 */
export interface ForeignFootnote {
  /** The footnote's number, in the order of the references (1, 2, …). */
  readonly number: number;
  /** Where the reference was: an empty `<sup>` left in its place, to be filled. */
  readonly reference: ForeignElement;
  /** The note's content: block elements (paragraphs) or inline nodes, detached. */
  readonly content: ForeignNode[];
}

const BODY_TAGS = new Set(['li', 'div', 'aside', 'section', 'p']);

function targetKey(a: ForeignElement): string | null {
  const href = a.getAttribute('href') ?? '';
  if (!href.startsWith('#') || href.length < 2) return null;
  try {
    return decodeURIComponent(href.slice(1));
  } catch {
    return href.slice(1);
  }
}

function keysOf(a: ForeignElement): string[] {
  return [a.getAttribute('id'), a.getAttribute('name')].filter((k): k is string => k !== null && k !== '');
}

function contains(outer: ForeignNode, inner: ForeignNode): boolean {
  for (let n: ForeignNode | null = inner; n; n = n.parentNode) if (n === outer) return true;
  return false;
}

/** Finds footnotes under `root`, detaches their notes and leaves an empty `<sup>` where each reference was. */
export function extractFootnotes(root: ForeignElement): ForeignFootnote[] {
  const anchors = all(root, 'a[href^="#"]');
  const byKey = new Map<string, ForeignElement>();
  for (const el of all(root, '[id], a[name]')) for (const key of keysOf(el)) if (!byKey.has(key)) byKey.set(key, el);
  const consumed = new Set<ForeignElement>();
  const found: Array<{ ref: ForeignElement; body: ForeignElement; backs: ForeignElement[] }> = [];
  for (const ref of anchors) {
    if (consumed.has(ref)) continue;
    const key = targetKey(ref);
    const target = key === null ? undefined : byKey.get(key);
    if (!target) continue;
    if (found.some((f) => contains(f.body, ref))) continue;
    // The note is the block around its back link: a list item or division, else its paragraph.
    const candidates = tagOf(target) === 'a' ? [target.closest('li, div, aside, section'), target.closest('p')] : [BODY_TAGS.has(tagOf(target)) ? target : null];
    const body = candidates.find((b): b is ForeignElement => !!b && b !== root && contains(root, b) && !contains(b, ref));
    if (!body) continue;
    const refKeys = keysOf(ref);
    const backs = all(body, 'a[href^="#"]').filter((a) => refKeys.includes(targetKey(a) ?? ''));
    if (backs.length === 0) continue;
    for (const b of backs) consumed.add(b);
    found.push({ ref, body, backs });
  }
  return found.map(({ ref, body, backs }, i) => {
    const doc = root.ownerDocument;
    // The note's own number (Word's "[1]", pandoc's "↩︎") goes with its back link.
    for (const b of backs) {
      const parent = b.parentElement;
      remove(b);
      if (parent && tagOf(parent) === 'sup' && (parent.textContent ?? '').trim() === '') remove(parent);
    }
    const container = body.parentElement;
    const content = Array.from(body.childNodes);
    for (const node of content) body.removeChild(node);
    remove(body);
    // Containers the notes leave empty (Word's footnote list with its rule, pandoc's section) go too.
    for (let el = container; el && el !== root && (el.textContent ?? '').trim() === ''; ) {
      const up: ForeignElement | null = el.parentElement;
      remove(el);
      el = up;
    }
    const reference = doc.createElement('sup');
    const sup = ref.parentElement && tagOf(ref.parentElement) === 'sup' && (ref.parentElement.textContent ?? '').trim() === (ref.textContent ?? '').trim() ? ref.parentElement : ref;
    sup.parentNode?.insertBefore(reference, sup);
    remove(sup);
    return { number: i + 1, reference, content: trimLeading(content) };
  });
}

function trimLeading(nodes: ForeignNode[]): ForeignNode[] {
  const out = [...nodes];
  while (out.length > 0 && !isElement(out[0]) && (out[0]!.textContent ?? '').trim() === '') out.shift();
  const first = out[0];
  if (first && !isElement(first)) first.textContent = (first.textContent ?? '').replace(/^[\s\u00a0]+/, '');
  return out;
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre', 'div']);

/**
 * Footnotes as text (the schema has no footnote yet): each reference becomes
 * its number in superscript, and the notes follow the text after a rule,
 * each starting with its number in superscript.
 */
export function footnotesAsText(root: ForeignElement, notes: readonly ForeignFootnote[]): void {
  if (notes.length === 0) return;
  const doc = root.ownerDocument;
  // A rule the source put before its notes (Google Docs) is replaced by ours.
  const last = root.children[root.children.length - 1];
  if (last && tagOf(last) === 'hr') remove(last);
  root.appendChild(doc.createElement('hr'));
  for (const note of notes) {
    note.reference.textContent = String(note.number);
    const blocks: ForeignNode[] = [];
    let inline: ForeignElement | null = null;
    for (const node of note.content) {
      if (isElement(node) && BLOCKS.has(tagOf(node))) {
        inline = null;
        blocks.push(node);
      } else if (inline || isElement(node) || (node.textContent ?? '').trim() !== '') {
        if (!inline) {
          inline = doc.createElement('p');
          blocks.push(inline);
        }
        inline.appendChild(node);
      }
    }
    if (blocks.length === 0) blocks.push(doc.createElement('p'));
    let first = blocks[0] as ForeignElement;
    // A list or table first: the number goes in a paragraph of its own before it.
    if (!['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tagOf(first))) {
      first = doc.createElement('p');
      blocks.unshift(first);
    }
    const marker = doc.createElement('sup');
    marker.textContent = String(note.number);
    first.insertBefore(doc.createTextNode(' '), first.firstChild);
    first.insertBefore(marker, first.firstChild);
    for (const block of blocks) root.appendChild(block);
  }
}
