import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

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
  const doc = copy(source);
  bodySchema().nodeFromJSON(doc).check();
  return prosemirrorJSONToYDoc(bodySchema(), doc, BODY_FIELD);
}
