import { getSchema } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

import { sanitizeJSON } from './sanitize';
import { schemaExtensions } from './schemaExtensions';

/** The Y.XmlFragment of the Y.Doc holding the body: Tiptap Collaboration's default field. */
export const BODY_FIELD = 'default';

/** The body of a document, `doc.getXmlFragment(BODY_FIELD)`. */
export function bodyFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY_FIELD);
}

let cachedSchema: Schema | undefined;

/** The ProseMirror schema of the body (built once, on first use, without the id plugin). */
export function bodySchema(): Schema {
  cachedSchema ??= getSchema(schemaExtensions({ uniqueIds: false }));
  return cachedSchema;
}

/**
 * The body as ProseMirror JSON, normalised so it is safe to render:
 *
 * - Element and attribute names unknown to the schema are dropped (y-tiptap
 *   skips elements it cannot build; only schema attributes are kept).
 * - Attribute values are narrowed (`dir` to auto|ltr|rtl, heading level to
 *   1–4, cell spans and widths to positive integers, …); a link whose href is
 *   not http, https or mailto loses its link mark (its text stays); a
 *   consensus marker that is not a valid ConsensusMarker becomes null; template
 *   field attributes are narrowed to a key, guidance text, a flag or a limit.
 * - An empty body (a new Y.Doc) reads as what an editor shows for it:
 *   `{ type: 'doc', content: [{ type: 'paragraph', attrs: { dir: 'auto', blockId: null, consensus: null, field: null, guidance: null, required: false } }] }`.
 *
 * Every node carries all its attributes (`attrs`), including `blockId: null`
 * on blocks no client has given an id yet.
 */
export function docToJSON(doc: Y.Doc): JSONContent {
  const schema = bodySchema();
  const root = yXmlFragmentToProseMirrorRootNode(bodyFragment(doc), schema);
  // createAndFill adds the paragraph an empty doc needs; it gives null for
  // content it cannot repair (text straight under the root), kept as it is.
  const filled = schema.topNodeType.createAndFill(null, root.content) ?? root;
  return sanitizeJSON(filled.toJSON() as JSONContent);
}
