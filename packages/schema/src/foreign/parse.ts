import type { JSONContent } from '@tiptap/core';
import type { ImportNotice } from '@rapporteur/protocol';
import { DOMParser } from '@tiptap/pm/model';

import { bodySchema } from '../body';
import { sanitizeJSON } from '../sanitize';
import type { ForeignElement } from './dom';
import { normalizeForeignHtml } from './normalize';

/**
 * Foreign HTML (an element holding it: a parsed page's `<body>`) as the
 * body's ProseMirror JSON, through `normalizeForeignHtml` and the body
 * schema's own HTML parser, sanitized as everything read from a Y.Doc is
 * (`docToJSON`). Blocks carry no ids: the caller gives them (the server's
 * `templateBody`). `root` is changed.
 */
export function foreignHtmlToJSON(root: ForeignElement): { json: JSONContent; notices: ImportNotice[] } {
  const notices = normalizeForeignHtml(root);
  // The parser reads only the DOM interfaces ForeignElement describes (and `matches`, which both DOMs have).
  const doc = DOMParser.fromSchema(bodySchema()).parse(root as never);
  return { json: sanitizeJSON(doc.toJSON() as JSONContent), notices };
}
