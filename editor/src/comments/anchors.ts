import type { CommentAnchor } from '@rapporteur/protocol';
import { BLOCK_ID_ATTRIBUTE } from '@rapporteur/schema';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** y-tiptap's map from Yjs types to the ProseMirror nodes they render as. */
export type YMapping = Parameters<typeof absolutePositionToRelativePosition>[2];

/** What anchoring needs of the Collaboration binding: the Y.Doc, the body fragment, and its mapping to ProseMirror. */
export interface YBinding {
  readonly doc: Y.Doc;
  readonly type: Y.XmlFragment;
  readonly mapping: YMapping;
}

/** The longest quote the API takes (protocol `CommentAnchor`). */
export const MAX_QUOTE = 5000;

/** The binding of the ySync plugin in `state`, once it has rendered the Y.Doc (null before). */
export function bindingOf(state: EditorState): YBinding | null {
  const sync = ySyncPluginKey.getState(state) as
    | { doc?: Y.Doc; type?: Y.XmlFragment; binding?: { doc?: Y.Doc; type: Y.XmlFragment; mapping: YMapping } | null }
    | undefined;
  const binding = sync?.binding;
  const doc = binding?.doc ?? sync?.doc;
  if (!binding || !doc || binding.mapping.size === 0) return null;
  return { doc, type: binding.type, mapping: binding.mapping };
}

/** Base64 of a Yjs relative position (`Y.encodeRelativePosition`), as the API stores it. */
export function encodePosition(position: Y.RelativePosition): string {
  const bytes = Y.encodeRelativePosition(position);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function decodePosition(base64: string): Y.RelativePosition | null {
  try {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return Y.decodeRelativePosition(bytes);
  } catch {
    return null;
  }
}

function quoteOf(text: string): string {
  return text.length > MAX_QUOTE ? text.slice(0, MAX_QUOTE) : text;
}

/**
 * The anchor of a new comment on the selection `from`–`to` of `doc`: a range
 * (two relative positions and the selected text) when something is selected;
 * otherwise the block around `from` — by its stable id when it has one, else
 * a range over the whole block (ids are only written when a block is edited).
 * Null when there is no text block there.
 */
export function anchorForSelection(binding: YBinding, doc: PMNode, from: number, to: number): CommentAnchor | null {
  if (to > from) return rangeAnchor(binding, doc, from, to);
  const $pos = doc.resolve(Math.max(0, Math.min(from, doc.content.size)));
  let depth = $pos.depth;
  while (depth > 0 && !$pos.node(depth).isTextblock) depth--;
  if (depth === 0) return null;
  const block = $pos.node(depth);
  const blockId: unknown = block.attrs[BLOCK_ID_ATTRIBUTE];
  if (typeof blockId === 'string' && blockId.length > 0) return { type: 'block', blockId, quote: quoteOf(block.textContent) };
  return rangeAnchor(binding, doc, $pos.start(depth), $pos.end(depth));
}

function rangeAnchor(binding: YBinding, doc: PMNode, from: number, to: number): CommentAnchor {
  const relative = (pos: number): string => encodePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping) as Y.RelativePosition);
  return { type: 'range', start: relative(from), end: relative(to), quote: quoteOf(doc.textBetween(from, to, '\n', ' ')) };
}

/** Where an anchor is now: its range in the editor, deleted, or not known yet (its text has not arrived). */
export type ResolvedAnchor =
  | { readonly kind: 'found'; readonly from: number; readonly to: number }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'unknown' };

const DELETED: ResolvedAnchor = { kind: 'deleted' };
const UNKNOWN: ResolvedAnchor = { kind: 'unknown' };

/** Whether `type` is still part of `root` (neither it nor any parent was deleted). */
function isLive(type: Y.AbstractType<unknown>, root: Y.XmlFragment): boolean {
  let current: Y.AbstractType<unknown> = type;
  while (current !== (root as unknown)) {
    const item = current._item;
    if (!item || item.deleted) return false;
    current = item.parent as Y.AbstractType<unknown>;
  }
  return true;
}

function resolvePosition(binding: YBinding, base64: string): number | 'deleted' | 'unknown' {
  const relative = decodePosition(base64);
  if (!relative) return 'deleted';
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, binding.doc);
  if (!absolute) {
    // Null for an item this client has not received yet (the writer's edit is on its way).
    const id = relative.item ?? relative.type;
    return id && Y.getState(binding.doc.store, id.client) <= id.clock ? 'unknown' : 'deleted';
  }
  if (!isLive(absolute.type as Y.AbstractType<unknown>, binding.type)) return 'deleted';
  const pos = relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping);
  if (pos !== null) return pos;
  // y-tiptap refuses text positions that land at the very start of the body
  // (a guard against drag-and-drop misresolving); count from the start of the text instead.
  if (absolute.type instanceof Y.XmlText) {
    const start = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.createRelativePositionFromTypeIndex(absolute.type, 0, -1), binding.mapping);
    if (start !== null) return start + absolute.index;
  }
  return 'deleted';
}

/**
 * Resolves an anchor in the current document: relative positions through
 * Yjs (so they follow concurrent edits), block ids by a search. A range that
 * quoted something and now spans nothing lost its passage (as the server
 * decides when accepting a suggestion).
 */
export function resolveAnchor(binding: YBinding, doc: PMNode, anchor: CommentAnchor): ResolvedAnchor {
  const size = doc.content.size;
  if (anchor.type === 'block') {
    let found: ResolvedAnchor = DELETED;
    doc.descendants((node, pos) => {
      if (found.kind === 'found') return false;
      if (node.isBlock && node.attrs[BLOCK_ID_ATTRIBUTE] === anchor.blockId) {
        found = node.isTextblock ? { kind: 'found', from: pos + 1, to: pos + node.nodeSize - 1 } : { kind: 'found', from: pos, to: pos + node.nodeSize };
        return false;
      }
      return true;
    });
    return found;
  }
  const start = resolvePosition(binding, anchor.start);
  const end = resolvePosition(binding, anchor.end);
  if (start === 'unknown' || end === 'unknown') return UNKNOWN;
  if (start === 'deleted' || end === 'deleted') return DELETED;
  const from = Math.max(0, Math.min(start, size));
  const to = Math.max(0, Math.min(end, size));
  if (to < from || (to === from && anchor.quote.length > 0)) return DELETED;
  return { kind: 'found', from, to };
}
