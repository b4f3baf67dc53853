import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

import { BODY_FIELD, bodySchema } from './body';
import { BLOCK_TYPES } from './blockTypes';
import { BLOCK_ID_ATTRIBUTE } from './schemaExtensions';

/**
 * A template's content (its blocks, as ProseMirror JSON) as a body to copy
 * into a new document (SPEC TPL7): a scratch Y.Doc whose every block has a
 * fresh id from `newId` (the server's), whatever ids the content carried.
 * Throws when the content is not valid for the body schema, so a caller that
 * calls it first creates nothing from a broken template.
 */
export function templateBody(content: readonly unknown[], newId: () => string): Y.Doc {
  const withIds = (node: JSONContent): JSONContent => {
    const out: JSONContent = { ...node };
    if (node.type && BLOCK_TYPES.includes(node.type)) out.attrs = { ...node.attrs, [BLOCK_ID_ATTRIBUTE]: newId() };
    if (node.content) out.content = node.content.map(withIds);
    return out;
  };
  const doc: JSONContent = { type: 'doc', content: (content as JSONContent[]).map(withIds) };
  bodySchema().nodeFromJSON(doc).check();
  return prosemirrorJSONToYDoc(bodySchema(), doc, BODY_FIELD);
}
