import type { Language } from '@rapporteur/i18n';
import { parseDocumentId } from '@rapporteur/protocol';
import type { CitationAttributes, docToJSON } from '@rapporteur/schema';
import { decideFor } from '../auth/documentRole';
import type { DocumentStore } from '../storage/DocumentStore';
import { resolveCitations, type SourceAccess } from './consolidation';

type JSONContent = ReturnType<typeof docToJSON>;
type Reader = { readonly id: string; readonly isAdmin: boolean } | null;

/**
 * Resolves a body's citations for `reader` at `now` (SPEC EV10): each source
 * is looked up and the policy asked whether the reader may read it; the
 * link is built on `publicUrl` (none without it). A reader who may not read
 * a source (or a source that no longer exists) gets "source not public".
 */
export function citationResolver(store: DocumentStore, publicUrl: string | null) {
  return async (body: JSONContent, reader: Reader, now: number, language: Language): Promise<JSONContent> =>
    resolveCitations(
      body,
      async (c: CitationAttributes): Promise<SourceAccess> => {
        const id = parseDocumentId(c.documentId);
        const record = id ? await store.getDocument(id) : null;
        if (!record || !(await decideFor(store, reader, record, 'read', now)).allowed) return { readable: false };
        return { readable: true, href: publicUrl ? `${publicUrl}/d/${record.id}` : null };
      },
      language,
    );
}

export type CitationResolver = ReturnType<typeof citationResolver>;
