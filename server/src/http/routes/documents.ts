import crypto from 'node:crypto';
import {
  CreateDocumentRequest,
  type DocumentId,
  type DocumentSummary,
  ExportQuery,
  parseDocumentId,
  RenameDocumentRequest,
} from '@rapporteur/protocol';
import { docToHtml, docToMarkdown } from '@rapporteur/schema';
import { Router } from 'express';
import { NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { DocumentRecord, DocumentStore } from '../../storage/DocumentStore';
import { parse } from '../validate';

export interface DocumentRoutesDeps {
  readonly store: DocumentStore;
  readonly rooms: RoomManager;
  readonly clock: Clock;
}

/** `/api/documents`: list, create, read, rename, export. */
export function documentRoutes({ store, rooms, clock }: DocumentRoutesDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const docs = await store.listDocuments();
    res.json({ documents: docs.map(present) });
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateDocumentRequest, req.body ?? {});
    const record = await store.createDocument({ id: newDocumentId(), title: body.title ?? 'Untitled document', now: clock.now() });
    res.status(201).location(`/api/documents/${record.id}`).json(present(record));
  });

  router.get('/:id', async (req, res) => {
    res.json(present(await find(store, req.params.id)));
  });

  router.patch('/:id', async (req, res) => {
    const body = parse(RenameDocumentRequest, req.body);
    const id = idOrThrow(req.params.id);
    const record = await store.renameDocument(id, body.title, clock.now());
    if (!record) throw new NotFoundError('Document');
    res.json(present(record));
  });

  router.get('/:id/export', async (req, res) => {
    const { format } = parse(ExportQuery, req.query);
    const record = await find(store, req.params.id);
    const body = await rooms.read(record.id, (doc) =>
      format === 'html' ? docToHtml(doc, { title: record.title }) : docToMarkdown(doc),
    );
    const filename = `${slug(record.title)}.${format}`;
    res
      .type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8')
      .set('Content-Disposition', `inline; filename="${filename}"`)
      // The export is a standalone page: nothing in it may run scripts.
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .send(body);
  });

  return router;
}

function idOrThrow(raw: string): DocumentId {
  const id = parseDocumentId(raw);
  if (!id) throw new NotFoundError('Document');
  return id;
}

async function find(store: DocumentStore, raw: string): Promise<DocumentRecord> {
  const record = await store.getDocument(idOrThrow(raw));
  if (!record) throw new NotFoundError('Document');
  return record;
}

/** 96 random bits, URL-safe (16 characters). */
function newDocumentId(): DocumentId {
  return crypto.randomBytes(12).toString('base64url') as DocumentId;
}

function slug(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'document'
  );
}

export function present(record: DocumentRecord): DocumentSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
