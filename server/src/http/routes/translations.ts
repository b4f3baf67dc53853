import crypto from 'node:crypto';
import { LANGUAGE_NAMES } from '@rapporteur/i18n';
import {
  CreateTranslationRequest,
  type DocumentId,
  ErrorCode,
  type SegmentView,
  SegmentStatusRequest,
  type TranslationRef,
  type TranslationStatusView,
  type TranslationsView,
} from '@rapporteur/protocol';
import { BODY_FIELD, docToJSON, insertBlocks, missingBlocks, segmentsOf, translationBody } from '@rapporteur/schema';
import { Router } from 'express';
import type { AccessEvents } from '../../auth/AccessEvents';
import { decideFor } from '../../auth/documentRole';
import type { EditDocument } from '../../comments/Comments';
import { AppError, BadRequestError, NotFoundError } from '../../errors';
import { replaceBody } from '../../history/replaceBody';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AccountStore } from '../../storage/AccountStore';
import type { DocumentRecord, DocumentStore, SegmentRecord } from '../../storage/DocumentStore';
import { align, type Alignment, EMPTY_SEGMENT_HASH, segmentHash } from '../../translations/alignment';
import { principalOf } from '../authMiddleware';
import { documentAuthorizer } from '../authorizeDocument';
import { presentDocument } from '../presenters';
import { parse } from '../validate';

export interface TranslationRoutesDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly rooms: RoomManager;
  readonly events: AccessEvents;
  readonly clock: Clock;
  /** Writes the translation's first body as an ordinary edit by its creator (as a template's is, TPL7). */
  readonly editDocument: EditDocument;
}

/** Titles are at most 200 characters (DocumentTitle). */
const MAX_TITLE = 200;

/**
 * Linked translations (SPEC LT1–LT8): create one, list a document's family,
 * and the status of each paragraph of a translation.
 */
export function translationRoutes(deps: TranslationRoutesDeps): Router {
  const { store, accountStore, rooms, events, clock, editDocument } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  /**
   * `POST /api/documents/:id/translations {language}` (LT1, LT2): editors of
   * the original make a translation of it, which they own and whose members
   * are the original's; its body is the original's structure with the same
   * block ids and every paragraph empty, written through the room as one
   * ordinary update by the creator.
   */
  router.post('/documents/:id/translations', async (req, res) => {
    const body = parse(CreateTranslationRequest, req.body);
    const { record: source, principal } = await authorize(res, req.params.id, 'translate');
    const creator = principal!.user.id;
    if (source.translationOf !== null) {
      throw new AppError(ErrorCode.isTranslation, { key: 'server.translations.isTranslation' }, { sourceId: source.translationOf });
    }
    if (body.language === source.language) {
      const message = { key: 'server.translations.sameLanguage' };
      throw new BadRequestError(message, [{ path: 'language', message: 'is the language of the document' }]);
    }
    const json = await rooms.read(source.id, (doc) => docToJSON(doc));
    const scratch = translationBody(json, () => crypto.randomUUID());
    try {
      const now = clock.now();
      // Every paragraph that has an id starts "to translate", set against the source's words now.
      const segments: SegmentRecord[] = segmentsOf(json).map((s) => ({
        blockId: s.blockId,
        status: 'to-translate',
        sourceHash: segmentHash(s),
        targetHash: EMPTY_SEGMENT_HASH,
        setBy: null,
        setAt: now,
      }));
      const id = newDocumentId();
      const suffix = ` (${LANGUAGE_NAMES[body.language]})`;
      const result = await store.createTranslation({
        id,
        translationOf: source.id,
        title: source.title.slice(0, MAX_TITLE - suffix.length) + suffix,
        now,
        ownerId: creator,
        type: source.type,
        template: source.template,
        language: body.language,
        visibility: source.visibility,
        members: (await store.listMembers(source.id)).map((m) => ({ userId: m.userId, role: m.role })),
        segments,
        sourceAudit: { actorId: creator, action: 'translation.created', details: { translationId: id, language: body.language } },
        translationAudit: { actorId: creator, action: 'document.created_as_translation', details: { sourceId: source.id, language: body.language } },
      });
      if ('conflict' in result) {
        const c = result.conflict;
        switch (c.kind) {
          case 'no-source':
            throw new NotFoundError('Document');
          case 'source-is-translation':
            throw new AppError(ErrorCode.isTranslation, { key: 'server.translations.isTranslation' }, { sourceId: c.sourceId });
          case 'language-taken':
            throw new AppError(
              ErrorCode.translationExists,
              { key: 'server.translations.exists', values: { language: LANGUAGE_NAMES[body.language] } },
              { documentId: c.documentId },
            );
        }
      }
      await editDocument(id, creator, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), scratch.getXmlFragment(BODY_FIELD)));
      // Open editors of the original see the new translation in its header.
      events.emit({ kind: 'document', documentId: source.id });
      res.status(201).location(`/api/documents/${id}`).json(presentDocument(result.record, 'owner'));
    } finally {
      scratch.destroy();
    }
  });

  /** `GET /api/documents/:id/translations` (LT6): the family as the reader may see it. */
  router.get('/documents/:id/translations', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'read');
    const principal = principalOf(res);
    const mayRead = async (doc: DocumentRecord): Promise<boolean> =>
      (await decideFor(store, principal?.user ?? null, doc, 'read', clock.now())).allowed;
    const view = async (list: readonly DocumentRecord[]): Promise<TranslationRef[]> => {
      const out: TranslationRef[] = [];
      for (const doc of list) if (doc.id !== record.id && (await mayRead(doc))) out.push(ref(doc));
      return out;
    };
    let answer: TranslationsView;
    if (record.translationOf === null) {
      answer = { source: null, sourceHidden: false, translations: await view(await store.listTranslations(record.id)) };
    } else {
      const source = await store.getDocument(record.translationOf);
      const readable = source !== null && (await mayRead(source));
      answer = {
        source: readable ? ref(source) : null,
        sourceHidden: !readable,
        translations: readable ? await view(await store.listTranslations(record.translationOf)) : [],
      };
    }
    res.json(answer);
  });

  /** `GET /api/documents/:id/translation` (LT3–LT5): every aligned paragraph of a translation and where it stands. */
  router.get('/documents/:id/translation', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'read');
    const { source, alignment } = await alignmentOf(record);
    res.json(await present(source, alignment));
  });

  async function present(source: DocumentRecord, alignment: Alignment): Promise<TranslationStatusView> {
    const names = new Map<string, Promise<string | null>>();
    const nameOf = (userId: string): Promise<string | null> => {
      let found = names.get(userId);
      if (!found) names.set(userId, (found = accountStore.getUser(userId).then((u) => u?.name ?? null)));
      return found;
    };
    const segments = await Promise.all(alignment.segments.map(async (s): Promise<SegmentView> => presentSegment(s, s.row?.setBy ? await nameOf(s.row.setBy) : null)));
    return { sourceId: source.id, sourceLanguage: source.language, segments, newInSource: alignment.newInSource, counts: alignment.counts };
  }

  /**
   * `PUT /api/documents/:id/translation/segments/:blockId {status}` (LT3):
   * editors of the translation set a paragraph's status; it is stored with
   * the source's and the translation's words as they are now, so "source
   * changed" and "edited since" count from this moment.
   */
  router.put('/documents/:id/translation/segments/:blockId', async (req, res) => {
    const body = parse(SegmentStatusRequest, req.body);
    const { record, principal } = await authorize(res, req.params.id, 'write');
    const { sourceSegments, targetSegments, source } = await textsOf(record);
    const target = targetSegments.find((s) => s.blockId === req.params.blockId);
    const inSource = sourceSegments.find((s) => s.blockId === req.params.blockId);
    const rows = await store.listSegments(record.id);
    const previous = rows.find((r) => r.blockId === req.params.blockId) ?? null;
    // Only a paragraph the alignment shows can have a status.
    if (!target || (!inSource && !previous)) throw new NotFoundError('Paragraph');
    const actorId = principal!.user.id;
    const now = clock.now();
    const row: SegmentRecord = {
      blockId: target.blockId,
      status: body.status,
      sourceHash: inSource ? segmentHash(inSource) : null,
      targetHash: segmentHash(target),
      setBy: actorId,
      setAt: now,
    };
    const before = align(sourceSegments, [target], previous ? [previous] : []).segments[0]?.status ?? 'to-translate';
    await store.setSegments(
      record.id,
      [row],
      { actorId, action: 'translation.segment_status', details: { blockId: row.blockId, from: before, to: row.status, sourceId: source.id } },
      now,
    );
    // Open editors of the translation refresh its statuses (WF9's event stream).
    events.emit({ kind: 'document', documentId: record.id });
    const [aligned] = align(sourceSegments, [target], [row]).segments;
    res.json(presentSegment(aligned!, principal!.user.name));
  });

  /**
   * `POST /api/documents/:id/translation/paragraphs` (LT7): the translation's
   * editors add the original's blocks it lacks — paragraphs, list items,
   * sections written into the original after the translation was made —
   * as empty copies with the original's block ids, each where the original
   * has it, as one edit by the caller through the room; each new paragraph
   * starts "to translate", set against the original's words now. Answers
   * with the statuses as `GET …/translation` gives them.
   */
  router.post('/documents/:id/translation/paragraphs', async (req, res) => {
    const { record, principal } = await authorize(res, req.params.id, 'write');
    const source = await sourceOf(record);
    const sourceJson = await rooms.read(source.id, (doc) => docToJSON(doc));
    const actorId = principal!.user.id;
    // Computed on the room's own copy of the translation, in the edit: a concurrent edit cannot shift the places.
    const { result: added } = await editDocument(record.id, actorId, (doc) =>
      insertBlocks(doc.getXmlFragment(BODY_FIELD), missingBlocks(sourceJson, docToJSON(doc))),
    );
    if (added.length > 0) {
      const now = clock.now();
      const hashes = new Map(segmentsOf(sourceJson).map((s) => [s.blockId, segmentHash(s)]));
      const rows: SegmentRecord[] = added.map((blockId) => ({
        blockId,
        status: 'to-translate',
        sourceHash: hashes.get(blockId) ?? null,
        targetHash: EMPTY_SEGMENT_HASH,
        setBy: null,
        setAt: now,
      }));
      await store.setSegments(record.id, rows, { actorId, action: 'translation.paragraphs_added', details: { blockIds: added, sourceId: source.id } }, now);
      events.emit({ kind: 'document', documentId: record.id });
    }
    const { alignment } = await alignmentOf(record);
    res.json(await present(source, alignment));
  });

  /** The source of a translation, or 404 when the document is not one (or its source is gone). */
  async function sourceOf(record: DocumentRecord): Promise<DocumentRecord> {
    const source = record.translationOf === null ? null : await store.getDocument(record.translationOf);
    if (!source) throw new NotFoundError('Translation');
    return source;
  }

  async function textsOf(record: DocumentRecord) {
    const source = await sourceOf(record);
    const [sourceSegments, targetSegments] = await Promise.all([
      rooms.read(source.id, (doc) => segmentsOf(docToJSON(doc))),
      rooms.read(record.id, (doc) => segmentsOf(docToJSON(doc))),
    ]);
    return { source, sourceSegments, targetSegments };
  }

  async function alignmentOf(record: DocumentRecord) {
    const { source, sourceSegments, targetSegments } = await textsOf(record);
    return { source, alignment: align(sourceSegments, targetSegments, await store.listSegments(record.id)) };
  }

  return router;
}

function ref(doc: DocumentRecord): TranslationRef {
  return { id: doc.id, title: doc.title, language: doc.language, status: doc.status };
}

function presentSegment(s: ReturnType<typeof align>['segments'][number], setByName: string | null): SegmentView {
  const setBy = s.row?.setBy ?? null;
  return {
    blockId: s.blockId,
    status: s.status,
    sourceChanged: s.sourceChanged,
    inSource: s.inSource,
    setBy: setBy !== null && setByName !== null ? { id: setBy, name: setByName } : null,
    setAt: setBy !== null && s.row ? new Date(s.row.setAt).toISOString() : null,
  };
}

/** 96 random bits, URL-safe (16 characters), like every document id. */
function newDocumentId(): DocumentId {
  return crypto.randomBytes(12).toString('base64url') as DocumentId;
}
