/**
 * The little of the DOM the foreign-HTML transform uses, as structural types:
 * the browser's DOM (paste, in the editor) and linkedom's (import, on the
 * server) both fit, and this package needs no DOM library of its own.
 */
export interface ForeignNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly parentNode: ForeignNode | null;
  readonly parentElement: ForeignElement | null;
  readonly firstChild: ForeignNode | null;
  readonly nextSibling: ForeignNode | null;
  readonly previousSibling: ForeignNode | null;
  readonly childNodes: ArrayLike<ForeignNode>;
  textContent: string | null;
  insertBefore(node: ForeignNode, child: ForeignNode | null): unknown;
  appendChild(node: ForeignNode): unknown;
  removeChild(node: ForeignNode): unknown;
}

export interface ForeignElement extends ForeignNode {
  readonly tagName: string;
  readonly ownerDocument: ForeignDocument;
  readonly children: ArrayLike<ForeignElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  querySelectorAll(selector: string): ArrayLike<ForeignElement>;
  closest(selector: string): ForeignElement | null;
}

export interface ForeignDocument {
  createElement(tag: string): ForeignElement;
  createTextNode(text: string): ForeignNode;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export function isElement(node: ForeignNode | null | undefined): node is ForeignElement {
  return node?.nodeType === ELEMENT_NODE;
}

export function tagOf(node: ForeignNode): string {
  return node.nodeName.toLowerCase();
}

/** Every element under `root` matching `selector`, as an array taken now (safe to change the tree while walking it). */
export function all(root: ForeignElement, selector: string): ForeignElement[] {
  return Array.from(root.querySelectorAll(selector));
}

export function remove(node: ForeignNode): void {
  node.parentNode?.removeChild(node);
}

/** Replaces `node` by its children. */
export function unwrap(node: ForeignNode): void {
  const parent = node.parentNode;
  if (!parent) return;
  while (node.firstChild) parent.insertBefore(node.firstChild, node);
  parent.removeChild(node);
}

/** Renames an element: a new `tag` element takes its children (and none of its attributes but those named). */
export function rename(el: ForeignElement, tag: string, keep: readonly string[] = []): ForeignElement {
  const next = el.ownerDocument.createElement(tag);
  for (const name of keep) {
    const value = el.getAttribute(name);
    if (value !== null) next.setAttribute(name, value);
  }
  while (el.firstChild) next.appendChild(el.firstChild);
  el.parentNode?.insertBefore(next, el);
  remove(el);
  return next;
}

/** Wraps `el`'s children in a new `tag` element inside it. */
export function wrapChildren(el: ForeignElement, tag: string): ForeignElement {
  const inner = el.ownerDocument.createElement(tag);
  while (el.firstChild) inner.appendChild(el.firstChild);
  el.appendChild(inner);
  return inner;
}

/** The declarations of an inline `style` attribute, property names lower-cased. */
export function stylesOf(el: ForeignElement): Map<string, string> {
  const out = new Map<string, string>();
  const style = el.getAttribute('style');
  if (!style) return out;
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    out.set(part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).trim().replace(/\s*!important$/i, ''));
  }
  return out;
}
