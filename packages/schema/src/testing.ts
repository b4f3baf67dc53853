import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

import { BODY_FIELD, bodySchema } from './body';

/**
 * A Y.Doc whose body is the given ProseMirror JSON, as an editor would have
 * written it. For tests: `yDocFromJSON(doc(p('hello')))`. Throws on JSON the
 * schema rejects (unknown types or marks).
 */
export function yDocFromJSON(json: JSONContent): Y.Doc {
  return prosemirrorJSONToYDoc(bodySchema(), json, BODY_FIELD);
}

/** A text node, with marks given as type names or as mark JSON. */
export function text(value: string, ...marks: (string | { type: string; attrs?: Record<string, unknown> })[]): JSONContent {
  const node: JSONContent = { type: 'text', text: value };
  if (marks.length > 0) node.marks = marks.map((m) => (typeof m === 'string' ? { type: m } : m));
  return node;
}

type Child = JSONContent | string;

function node(type: string, attrs: Record<string, unknown> | undefined, children: Child[]): JSONContent {
  const out: JSONContent = { type };
  if (attrs) out.attrs = attrs;
  if (children.length > 0) out.content = children.map((c) => (typeof c === 'string' ? text(c) : c));
  return out;
}

// Builders in the style of prosemirror-test-builder, so tests never count offsets.
export const doc = (...children: Child[]): JSONContent => node('doc', undefined, children);
export const p = (...children: Child[]): JSONContent => node('paragraph', undefined, children);
export const pAttrs = (attrs: Record<string, unknown>, ...children: Child[]): JSONContent => node('paragraph', attrs, children);
export const h = (level: number, ...children: Child[]): JSONContent => node('heading', { level }, children);
export const ul = (...items: Child[]): JSONContent => node('bulletList', undefined, items);
export const ol = (...items: Child[]): JSONContent => node('orderedList', undefined, items);
export const li = (...children: Child[]): JSONContent => node('listItem', undefined, children);
export const blockquote = (...children: Child[]): JSONContent => node('blockquote', undefined, children);
export const codeBlock = (language: string | null, code: string): JSONContent => node('codeBlock', { language }, [code]);
export const hr = (): JSONContent => node('horizontalRule', undefined, []);
export const br = (): JSONContent => node('hardBreak', undefined, []);
/** A footnote whose note is the given text. */
export const fn = (...children: Child[]): JSONContent => node('footnote', undefined, children);
export const table = (...rows: Child[]): JSONContent => node('table', undefined, rows);
export const tr = (...cells: Child[]): JSONContent => node('tableRow', undefined, cells);
export const th = (...children: Child[]): JSONContent => node('tableHeader', undefined, children);
export const td = (...children: Child[]): JSONContent => node('tableCell', undefined, children);
