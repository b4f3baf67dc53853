import {
  AuditQuery,
  type AuditEventView,
  type DiffChange,
  type DiffView,
  DiffQuery,
  type DocumentId,
  ExportQuery,
  type ExportFormat,
  type HistoryAuthor,
  HistoryQuery,
  NameVersionRequest,
  type VersionView,
} from '@rapporteur/protocol';
import { BODY_FIELD, docToJSON } from '@rapporteur/schema';
import { type Response, Router } from 'express';
import type * as Y from 'yjs';
import { newId } from '../../auth/secrets';
import type { EditDocument } from '../../comments/Comments';
import { BadRequestError, NotFoundError } from '../../errors';
import { diffStates } from '../../history/diffStates';
import type { History } from '../../history/History';
import { replaceBody } from '../../history/replaceBody';
import { timeline } from '../../history/timeline';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AccountStore } from '../../storage/AccountStore';
import type { DocumentRecord, DocumentStore, VersionRecord } from '../../storage/DocumentStore';
import { documentAuthorizer } from '../authorizeDocument';
import { principalOf } from '../authMiddleware';
import type { CitationResolver } from '../../events/citationAccess';
import { sendExport } from '../documentExport';
import type { Exporter } from '../../export/Exporter';
import { formatDateTime, pageTranslator } from '../../pages/labels';
import { parse } from '../validate';

export interface HistoryRoutesDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly rooms: RoomManager;
  readonly history: History;
  readonly editDocument: EditDocument;
  readonly exporter: Exporter;
  readonly clock: Clock;
  /** Citations written out for the reader (SPEC EV10). */
  readonly resolveCitations: CitationResolver;
}

/** A point in history as resolved: the log seq it stands for, and how to name it. */
interface Point {
  readonly id: string;
  readonly seq: number;
  readonly label: string;
  /** What an export's header says this text is, and its date. */
  readonly header: { readonly label: string; readonly date: number };
}

/**
 * Versions, diffs, restore, timeline, authorship and audit (SPEC V1–V6):
 * authenticate → validate → authorize (policy.ts) → command → present.
 * Every attribution comes from the update log and the client-id bindings,
 * never from a request.
 */
export function historyRoutes(deps: HistoryRoutesDeps): Router {
  const { store, accountStore, rooms, history, editDocument, exporter, clock } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  /** Presents account ids as {id, name, stakeholderGroup}, reading each account once per request. */
  function authorsOf(): (userId: string | null) => Promise<HistoryAuthor | null> {
    const seen = new Map<string, Promise<HistoryAuthor | null>>();
    return (userId) => {
      if (userId === null) return Promise.resolve(null);
      let found = seen.get(userId);
      if (!found) {
        found = accountStore.getUser(userId).then((u) =>
          u ? { id: u.id, name: u.name, stakeholderGroup: u.stakeholderGroup } : { id: userId, name: 'Unknown account', stakeholderGroup: 'other' },
        );
        seen.set(userId, found);
      }
      return found;
    };
  }

  async function presentVersion(v: VersionRecord, author: (id: string | null) => Promise<HistoryAuthor | null>): Promise<VersionView> {
    return {
      id: v.id,
      name: v.name,
      kind: v.kind,
      restoredFrom: v.restoredFrom,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: await author(v.createdBy),
    };
  }

  /** `current`, a history entry id (`h<seq>`) or a version id → the seq it stands for; 404 otherwise. */
  async function resolvePoint(record: DocumentRecord, raw: string): Promise<Point> {
    const pageLabel = pageTranslator(record.language);
    if (raw === 'current') {
      return { id: 'current', seq: await rooms.storedSeq(record.id), label: 'the current text', header: { label: pageLabel('header.liveText'), date: clock.now() } };
    }
    const entry = /^h([1-9][0-9]{0,14})$/.exec(raw);
    if (entry) {
      const asked = Number(entry[1]);
      if (asked <= (await store.lastSeq(record.id))) {
        const seq = await history.pointAtOrBefore(record.id, asked);
        const at = (await store.readLogRecords(record.id, seq - 1, seq))[0];
        const date = at?.createdAt ?? clock.now();
        return { id: raw, seq, label: at ? new Date(at.createdAt).toISOString() : raw, header: { label: pageLabel('header.historyPoint', { when: formatDateTime(date) }), date } };
      }
    } else {
      const version = await store.getVersion(record.id, raw);
      if (version) {
        return { id: version.id, seq: version.seq, label: `“${version.name}”`, header: { label: pageLabel('header.namedVersion', { name: version.name }), date: version.createdAt } };
      }
    }
    throw new NotFoundError('Version or history entry');
  }

  async function withStateAt<T>(id: DocumentId, seq: number, read: (doc: Y.Doc) => T): Promise<T> {
    const doc = await history.stateAt(id, seq);
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  router.get('/documents/:id/versions', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'readHistory');
    const author = authorsOf();
    const versions = await store.listVersions(record.id);
    res.json({ versions: await Promise.all(versions.map((v) => presentVersion(v, author))) });
  });

  router.post('/documents/:id/versions', async (req, res) => {
    const body = parse(NameVersionRequest, req.body);
    const { record, principal } = await authorize(res, req.params.id, 'nameVersion');
    const seq = await rooms.storedSeq(record.id);
    const version = await store.createVersion(
      { id: newId(), documentId: record.id, seq, name: body.name, kind: 'named', restoredFrom: null, createdBy: principal!.user.id, createdAt: clock.now() },
      { actorId: principal!.user.id, action: 'version.named', details: { name: body.name, seq } },
    );
    // Named versions are where comparisons usually start: make their rebuild one read.
    await history.checkpointAt(record.id, seq);
    res.status(201).json({ version: await presentVersion(version, authorsOf()) });
  });

  /**
   * Exports (SPEC X1–X6): the live text, or with `version=` a version or
   * history entry, in any format. Rendering starts only once the caller is
   * authorized and the query is valid; an engine missing answers 501.
   */
  router.get('/documents/:id/export', async (req, res) => {
    const query = parse(ExportQuery, req.query);
    if (query.version !== undefined) return exportPoint(req.params.id, query.version, query.format, res);
    const { record } = await authorize(res, req.params.id, 'read');
    const json = await deps.resolveCitations(await rooms.read(record.id, (doc) => docToJSON(doc)), principalOf(res)?.user ?? null, clock.now(), record.language);
    const file = await exporter.render({ json, header: { title: record.title, date: clock.now(), label: pageTranslator(record.language)('header.liveText') }, lang: record.language }, query.format);
    res.setHeader('Content-Language', record.language);
    sendExport(res, record.title, file);
  });

  router.get('/documents/:id/versions/:versionId/export', async (req, res) => {
    const { format } = parse(ExportQuery, req.query);
    await exportPoint(req.params.id, req.params.versionId, format, res);
  });

  async function exportPoint(id: string, pointId: string, format: ExportFormat, res: Response): Promise<void> {
    const { record } = await authorize(res, id, 'readHistory');
    const point = await resolvePoint(record, pointId);
    const json = await deps.resolveCitations(await withStateAt(record.id, point.seq, (doc) => docToJSON(doc)), principalOf(res)?.user ?? null, clock.now(), record.language);
    const file = await exporter.render({ json, header: { title: record.title, ...point.header }, lang: record.language }, format);
    res.setHeader('Content-Language', record.language);
    sendExport(res, record.title, file);
  }

  router.get('/documents/:id/diff', async (req, res) => {
    const query = parse(DiffQuery, req.query);
    const { record } = await authorize(res, req.params.id, 'readHistory');
    const from = await resolvePoint(record, query.from);
    const to = await resolvePoint(record, query.to);
    if (from.seq > to.seq) throw new BadRequestError({ key: 'server.history.fromAfterTo' });
    const before = await history.stateAt(record.id, from.seq);
    const after = await history.stateAt(record.id, to.seq);
    try {
      const deleters = await history.deletionsBetween(record.id, from.seq, to.seq);
      const bindings = await store.loadClientBindings(record.id);
      const suggesters = new Map<number, string>();
      for (const e of await store.listAudit(record.id, { limit: 100_000 })) {
        const { clientId, suggestedBy } = e.details;
        if (e.action === 'comment.accepted' && typeof clientId === 'number' && typeof suggestedBy === 'string') suggesters.set(clientId, suggestedBy);
      }
      const diff = diffStates(before, after, (doc) => doc.getXmlFragment(BODY_FIELD), bindings, deleters, suggesters);
      const author = authorsOf();
      const changes: DiffChange[] = await Promise.all(
        diff.changes.map(async (r) => ({
          type: r.type,
          text: r.text,
          author: await author(r.authorId),
          suggestedBy: await author(r.suggestedById),
          block: r.block,
          section: r.section,
        })),
      );
      const body: DiffView = { changes, sections: diff.sections };
      res.json(body);
    } finally {
      before.destroy();
      after.destroy();
    }
  });

  router.post('/documents/:id/versions/:versionId/restore', async (req, res) => {
    const { record, principal } = await authorize(res, req.params.id, 'restore');
    const point = await resolvePoint(record, req.params.versionId);
    const actorId = principal!.user.id;
    // Computed from the stored log, applied as one ordinary edit by the restorer (V5).
    const old = await history.stateAt(record.id, point.seq);
    try {
      await editDocument(record.id, actorId, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), old.getXmlFragment(BODY_FIELD)));
    } finally {
      old.destroy();
    }
    const seq = await rooms.storedSeq(record.id);
    const name = `Restored from ${point.label}`;
    const version = await store.createVersion(
      { id: newId(), documentId: record.id, seq, name, kind: 'restore', restoredFrom: point.id, createdBy: actorId, createdAt: clock.now() },
      { actorId, action: 'version.restored', details: { restoredFrom: point.id, fromSeq: point.seq, seq } },
    );
    await history.checkpointAt(record.id, seq);
    res.json({ version: await presentVersion(version, authorsOf()) });
  });

  router.get('/documents/:id/authors', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'readHistory');
    const author = authorsOf();
    const clients: Record<string, HistoryAuthor> = {};
    for (const [clientId, userId] of await store.loadClientBindings(record.id)) {
      const a = await author(userId);
      if (a) clients[String(clientId)] = a;
    }
    res.json({ clients });
  });

  router.get('/documents/:id/history', async (req, res) => {
    const query = parse(HistoryQuery, req.query);
    const { record } = await authorize(res, req.params.id, 'readHistory');
    const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(query.before);
    const boundaries = new Set((await store.listVersions(record.id)).map((v) => v.seq));
    const page = await timeline(store, record.id, { beforeSeq: before, limit: query.limit, boundaries });
    const author = authorsOf();
    res.json({
      entries: await Promise.all(
        page.entries.map(async (e) => ({
          id: `h${e.lastSeq}`,
          from: new Date(e.fromAt).toISOString(),
          to: new Date(e.toAt).toISOString(),
          author: await author(e.authors[0] ?? null),
          authors: await Promise.all(e.authors.map((a) => author(a))),
          changes: e.changes,
        })),
      ),
      next: page.nextBeforeSeq === null ? null : encodeCursor(page.nextBeforeSeq),
    });
  });

  router.get('/documents/:id/audit', async (req, res) => {
    const query = parse(AuditQuery, req.query);
    const { record } = await authorize(res, req.params.id, 'audit');
    const author = authorsOf();
    const events = await store.listAudit(record.id, { ...(query.before ? { beforeId: query.before } : {}), limit: query.limit });
    const views: AuditEventView[] = await Promise.all(
      events.map(async (e) => ({ id: e.id, at: new Date(e.createdAt).toISOString(), actor: await author(e.actorId), action: e.action, details: e.details })),
    );
    res.json({ events: views });
  });

  return router;
}

/** The timeline's cursor: opaque to clients, a seq to us. */
function encodeCursor(beforeSeq: number): string {
  return Buffer.from(`before:${beforeSeq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^before:([0-9]{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadRequestError({ key: 'server.request.problem', values: { path: 'before', message: { key: 'server.history.badCursor' } } });
  return Number(match[1]);
}
