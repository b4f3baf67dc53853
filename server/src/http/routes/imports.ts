import crypto from 'node:crypto';
import { ErrorCode } from '@rapporteur/protocol';
import { BODY_FIELD, templateBody } from '@rapporteur/schema';
import { Router } from 'express';
import multer from 'multer';
import type { EditDocument } from '../../comments/Comments';
import { AppError } from '../../errors';
import { replaceBody } from '../../history/replaceBody';
import type { Importer, ImporterOptions } from '../../imports/Importer';
import type { Clock } from '../../lib/clock';
import type { DocumentStore } from '../../storage/DocumentStore';
import { requirePrincipal } from '../authMiddleware';
import { requestLanguage } from '../language';
import { presentDocument } from '../presenters';
import { newDocumentId } from './documents';

export interface ImportRoutesDeps {
  readonly store: DocumentStore;
  readonly editDocument: EditDocument;
  readonly clock: Clock;
  /** pandoc and its limits: the export engines' (ODT import). */
  readonly importOptions: ImporterOptions;
}

const MB = 1024 * 1024;

/**
 * `POST /api/documents/import` (SPEC IM7): a file (multipart field `file`)
 * becomes a new document of the caller's, its body converted by the
 * Importer (IM1–IM6) and written as the document's first update by the
 * caller; `201 {id, title, document, notices}`. The importer and its
 * libraries (mammoth, linkedom, markdown-it) load with the first import, not
 * at start (SPEC O5). Nothing is created when the file is refused.
 */
export function importRoutes(deps: ImportRoutesDeps): Router {
  const { store, editDocument, clock } = deps;
  const router = Router();
  let importer: Promise<Importer> | null = null;
  const getImporter = (): Promise<Importer> => {
    importer ??= import('../../imports/Importer').then(({ Importer }) => new Importer(deps.importOptions));
    return importer;
  };
  const maxBytes = deps.importOptions.limits?.maxBytes ?? 20 * MB;
  // In memory, within the limit: multer stops reading past it (413), so no file is buffered unbounded.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 } }).single('file');

  router.post('/documents/import', (req, res, next) => {
    requirePrincipal(res);
    upload(req, res, (error: unknown) => {
      if (!error) return next();
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        return next(new AppError(ErrorCode.payloadTooLarge, { key: 'server.imports.tooLarge', values: { megabytes: Math.round(maxBytes / MB) } }));
      }
      if (error instanceof multer.MulterError) return next(new AppError(ErrorCode.badRequest, { key: 'server.imports.noFile' }));
      next(error);
    });
  });

  router.post('/documents/import', async (req, res) => {
    const principal = requirePrincipal(res);
    const file = req.file;
    if (!file) throw new AppError(ErrorCode.badRequest, { key: 'server.imports.noFile' });
    const converter = await getImporter();
    const imported = await converter.convert({ name: file.originalname, mediaType: file.mimetype, bytes: new Uint8Array(file.buffer) });
    const blocks = imported.json.content ?? [];
    // Checked against the schema before anything is created.
    const body = templateBody(blocks, () => crypto.randomUUID());
    try {
      const record = await store.createDocument({
        id: newDocumentId(),
        title: chosenTitle(req.body) ?? titleOf(blocks, file.originalname),
        now: clock.now(),
        ownerId: principal.user.id,
        language: requestLanguage(req, res),
      });
      if (blocks.length > 0) {
        await editDocument(record.id, principal.user.id, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), body.getXmlFragment(BODY_FIELD)));
      }
      await store.appendAudit(
        record.id,
        { actorId: principal.user.id, action: 'document.imported', details: { format: imported.format, bytes: file.size, notices: imported.notices.map((n) => n.code) } },
        clock.now(),
      );
      res
        .status(201)
        .location(`/api/documents/${record.id}`)
        .json({ id: record.id, title: record.title, document: presentDocument(record, 'owner'), notices: imported.notices });
    } finally {
      body.destroy();
    }
  });

  return router;
}

/** A title sent with the file (form field `title`), trimmed; null when none or blank. */
function chosenTitle(body: unknown): string | null {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).title : undefined;
  if (typeof value !== 'string') return null;
  const title = value.replace(/\s+/g, ' ').trim().slice(0, 200);
  return title === '' ? null : title;
}

interface Block {
  readonly type?: string;
  readonly text?: string;
  readonly content?: readonly Block[];
}

const plain = (node: Block): string => (node.text ?? '') + (node.content ?? []).map(plain).join('');

/** The first heading's text, else the file's name without its extension; at most 200 characters. */
export function titleOf(blocks: readonly unknown[], fileName: string): string {
  const heading = (blocks as Block[]).find((b) => b.type === 'heading');
  const fromHeading = heading ? plain(heading).replace(/\s+/g, ' ').trim() : '';
  const fromName = fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  const title = fromHeading || fromName || 'Imported document';
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}
