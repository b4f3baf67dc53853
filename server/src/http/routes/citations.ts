import * as z from 'zod';
import { parseDocumentId } from '@rapporteur/protocol';
import { citationsOf, docToJSON } from '@rapporteur/schema';
import { Router } from 'express';
import { decideFor } from '../../auth/documentRole';
import { NotFoundError } from '../../errors';
import { blockText, passageHash, wordDiff } from '../../events/consolidation';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { DocumentStore } from '../../storage/DocumentStore';
import type { EventStore } from '../../storage/EventStore';
import { documentAuthorizer } from '../authorizeDocument';
import { parse } from '../validate';

export interface CitationRoutesDeps {
  readonly store: DocumentStore;
  readonly eventStore: EventStore;
  readonly rooms: RoomManager;
  readonly clock: Clock;
}

const CiteRequest = z.strictObject({ documentId: z.string().max(64), blockId: z.string().min(1).max(64) });

/**
 * Citations (SPEC EV9, EV10): `POST /api/documents/:id/citations` gives an
 * editor of the messages what to insert for a passage they may read (the
 * source's ids, the passage's hash, a label), and keeps the passage's text
 * as cited; `GET` lists the document's citations as the reader may see
 * them: current, changed (with the difference) or "source not public".
 */
export function citationRoutes(deps: CitationRoutesDeps): Router {
  const { store, eventStore, rooms, clock } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  /** The source and its passage, when the reader may read it; 404 alike for a missing, hidden or absent passage. */
  async function readableSource(user: { id: string; isAdmin: boolean } | null, rawId: string, blockId: string) {
    const id = parseDocumentId(rawId);
    const record = id ? await store.getDocument(id) : null;
    if (!record || !(await decideFor(store, user, record, 'read', clock.now())).allowed) return null;
    const text = await rooms.read(record.id, (doc) => blockText(docToJSON(doc), blockId));
    return { record, text };
  }

  async function labelOf(documentId: string, title: string): Promise<string> {
    const session = await eventStore.sessionOfDocument(documentId as never);
    return (session?.code ?? title).slice(0, 60);
  }

  router.post('/documents/:id/citations', async (req, res) => {
    const body = parse(CiteRequest, req.body);
    const { principal } = await authorize(res, req.params.id, 'write');
    const source = await readableSource(principal?.user ?? null, body.documentId, body.blockId);
    if (!source || source.text === null) throw new NotFoundError('Paragraph');
    const hash = passageHash(source.text);
    await eventStore.putCitationSource(source.record.id, body.blockId, hash, source.text, clock.now());
    res.status(201).json({ citation: { documentId: source.record.id, blockId: body.blockId, hash, label: await labelOf(source.record.id, source.record.title) }, text: source.text });
  });

  router.get('/documents/:id/citations', async (req, res) => {
    const { record, principal } = await authorize(res, req.params.id, 'read');
    const found = await rooms.read(record.id, (doc) => citationsOf(docToJSON(doc)));
    const out = [];
    for (const c of found) {
      const source = await readableSource(principal?.user ?? null, c.documentId, c.blockId);
      if (!source) {
        // Nothing of a source the reader may not read: not its title, not its text (EV10).
        out.push({ inBlock: c.inBlock, documentId: null, blockId: null, label: c.label, status: 'not-public' as const });
        continue;
      }
      if (source.text === null) {
        out.push({ inBlock: c.inBlock, documentId: source.record.id, blockId: c.blockId, label: c.label, title: source.record.title, status: 'gone' as const, cited: await eventStore.getCitationSource(source.record.id, c.blockId, c.hash) });
        continue;
      }
      const changed = passageHash(source.text) !== c.hash;
      const cited = changed ? await eventStore.getCitationSource(source.record.id, c.blockId, c.hash) : source.text;
      out.push({
        inBlock: c.inBlock,
        documentId: source.record.id,
        blockId: c.blockId,
        label: c.label,
        title: source.record.title,
        status: changed ? ('changed' as const) : ('current' as const),
        text: source.text,
        cited,
        ...(changed && cited !== null ? { diff: wordDiff(cited, source.text) } : {}),
      });
    }
    res.json({ citations: out });
  });

  return router;
}
