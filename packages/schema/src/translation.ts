import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

import { BODY_FIELD, bodySchema } from './body';
import { BLOCK_TYPES } from './blockTypes';
import { CONSENSUS_ATTRIBUTE, toConsensusMarker } from './consensus';
import { BLOCK_ID_ATTRIBUTE } from './schemaExtensions';
import { GUIDANCE_ATTRIBUTE } from './templateFields';

/**
 * The blocks a translation is aligned by (SPEC LT2): those that hold text
 * themselves. A list item or a table cell is aligned through the paragraphs
 * it holds.
 */
export const SEGMENT_TYPES: readonly string[] = ['paragraph', 'heading', 'codeBlock'];

/** One paragraph of a body as the alignment sees it. */
export interface Segment {
  readonly blockId: string;
  /**
   * Its text with its inline marks (links with their targets), as a string
   * that is equal exactly when they are: what "changed" compares (the block's
   * type, direction and marker are not the words a translator translates).
   */
  readonly fingerprint: string;
  /** Whether it holds any text. */
  readonly empty: boolean;
}

/** The paragraphs of `body` (ProseMirror JSON, as `docToJSON` gives it) that have a block id, in document order. */
export function segmentsOf(body: JSONContent): Segment[] {
  const out: Segment[] = [];
  const visit = (node: JSONContent): void => {
    if (node.type && SEGMENT_TYPES.includes(node.type)) {
      const id: unknown = node.attrs?.[BLOCK_ID_ATTRIBUTE];
      if (typeof id === 'string' && id !== '') {
        const content = node.content ?? [];
        out.push({ blockId: id, fingerprint: JSON.stringify(content), empty: content.length === 0 });
      }
      return;
    }
    for (const child of node.content ?? []) visit(child);
  };
  visit(body);
  return out;
}

/**
 * The first body of a linked translation of `source` (SPEC LT2), as a
 * scratch Y.Doc: the source's blocks with their ids, types, levels, lists
 * and tables, every paragraph empty and its direction `auto` (the language
 * changes). Consensus markers keep their level, basis and stakeholder
 * groups; their free texts (the views' wording, the basis note) are emptied,
 * to be translated like the paragraphs — the readiness check holds a
 * document with an empty view back from final. Template guidance is dropped:
 * it is written in the source's language. A block without an id gets one
 * from `newId`. Throws when the result does not fit the body schema.
 */
export function translationBody(source: JSONContent, newId: () => string): Y.Doc {
  const doc = emptyCopy(source, newId);
  bodySchema().nodeFromJSON(doc).check();
  return prosemirrorJSONToYDoc(bodySchema(), doc, BODY_FIELD);
}

/** A block (and what it holds) as a translation starts it: LT2's rules (see `translationBody`). */
function emptyCopy(node: JSONContent, newId: () => string): JSONContent {
  const copy = (node: JSONContent): JSONContent => {
    const out: JSONContent = { type: node.type };
    if (node.attrs) {
      const attrs: Record<string, unknown> = { ...node.attrs };
      if (node.type && BLOCK_TYPES.includes(node.type)) {
        const id: unknown = attrs[BLOCK_ID_ATTRIBUTE];
        if (typeof id !== 'string' || id === '') attrs[BLOCK_ID_ATTRIBUTE] = newId();
      }
      if ('dir' in attrs) attrs['dir'] = 'auto';
      if (GUIDANCE_ATTRIBUTE in attrs) attrs[GUIDANCE_ATTRIBUTE] = null;
      if (CONSENSUS_ATTRIBUTE in attrs) {
        const marker = toConsensusMarker(attrs[CONSENSUS_ATTRIBUTE]);
        attrs[CONSENSUS_ATTRIBUTE] = marker
          ? {
              level: marker.level,
              basis: marker.basis,
              ...(marker.views ? { views: marker.views.map((v) => ({ text: '', groups: [...v.groups] })) } : {}),
            }
          : null;
      }
      out.attrs = attrs;
    }
    if (node.type && SEGMENT_TYPES.includes(node.type)) return out;
    if (node.content) out.content = node.content.map(copy);
    return out;
  };
  return copy(node);
}

/** Blocks of the original to insert into a translation: under the block at `path` (indexes from the body), at `index`. */
export interface Insertion {
  readonly path: readonly number[];
  readonly index: number;
  /** Empty copies of the original's blocks (LT2's rules), with the original's block ids. */
  readonly blocks: readonly JSONContent[];
}

/**
 * Where the blocks the original has and the translation lacks go in the
 * translation (SPEC LT7), container by container: each missing block right
 * after the translation's counterpart of the block before it in the
 * original (at the start when none), inside the counterpart of its parent.
 * A missing block comes with what it holds. Insertions are listed with the
 * deepest and latest first, so applying them in order keeps every path and
 * index valid. Only blocks with ids are compared.
 */
export function missingBlocks(source: JSONContent, target: JSONContent): Insertion[] {
  const out: Insertion[] = [];
  const idOf = (node: JSONContent): string | null => {
    const id: unknown = node.attrs?.[BLOCK_ID_ATTRIBUTE];
    return typeof id === 'string' && id !== '' ? id : null;
  };
  const walk = (from: JSONContent, into: JSONContent, path: readonly number[]): void => {
    const children = into.content ?? [];
    const at = new Map<string, number>();
    children.forEach((child, i) => {
      const id = idOf(child);
      if (id !== null && !at.has(id)) at.set(id, i);
    });
    const here: Insertion[] = [];
    let after = -1;
    let pending: JSONContent[] = [];
    const flush = (): void => {
      if (pending.length > 0) here.push({ path, index: after + 1, blocks: pending });
      pending = [];
    };
    for (const child of from.content ?? []) {
      const id = idOf(child);
      if (id === null) continue;
      const index = at.get(id);
      if (index === undefined) {
        pending.push(emptyCopy(child, () => id));
        continue;
      }
      flush();
      // The original's order is followed only forwards: a block the translator moved earlier is no anchor.
      if (index > after) after = index;
      const counterpart = children[index]!;
      if (child.type && !SEGMENT_TYPES.includes(child.type) && child.content) walk(child, counterpart, [...path, index]);
    }
    flush();
    // Later ones first: inserting them leaves the earlier indexes as they were.
    out.push(...here.reverse());
  };
  walk(source, target, []);
  // Deeper paths were pushed before their containers' own insertions: reverse
  // document order overall, so each insertion sees indexes not yet shifted.
  return out.sort((a, b) => comparePlaces(b, a));
}

/**
 * Applies `missingBlocks`' insertions to a body (inside the caller's
 * transaction), in the order given. Returns the ids of the paragraphs added.
 * Throws when the body is not the one they were computed for.
 */
export function insertBlocks(body: Y.XmlFragment, insertions: readonly Insertion[]): string[] {
  const added: string[] = [];
  for (const insertion of insertions) {
    let container: Y.XmlFragment | Y.XmlElement = body;
    for (const i of insertion.path) {
      const child: unknown = container.get(i);
      if (!(child instanceof Y.XmlElement)) throw new RangeError(`no block at ${insertion.path.join('.')}`);
      container = child;
    }
    const doc: JSONContent = { type: 'doc', content: [...insertion.blocks] };
    bodySchema().nodeFromJSON(doc).check();
    const scratch = prosemirrorJSONToYDoc(bodySchema(), doc, BODY_FIELD);
    container.insert(insertion.index, scratch.getXmlFragment(BODY_FIELD).toArray().map((el) => (el as Y.XmlElement).clone()));
    scratch.destroy();
    added.push(...segmentsOf(doc).map((s) => s.blockId));
  }
  return added;
}

/** Document order of two insertion places (path, then index). */
function comparePlaces(a: Insertion, b: Insertion): number {
  const n = Math.min(a.path.length, b.path.length);
  for (let i = 0; i < n; i++) if (a.path[i] !== b.path[i]) return a.path[i]! - b.path[i]!;
  if (a.path.length !== b.path.length) {
    // One is inside the other's container: compare the deeper one's position there with the other's index.
    const deeper = a.path.length > b.path.length ? a : b;
    const other = deeper === a ? b : a;
    const position = deeper.path[n]!;
    const sign = position < other.index ? -1 : 1;
    return deeper === a ? sign : -sign;
  }
  return a.index - b.index;
}
