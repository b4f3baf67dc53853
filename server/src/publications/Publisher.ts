import type { DocumentId, ExportFormat, PublishRequest } from '@rapporteur/protocol';
import { docToJSON } from '@rapporteur/schema';
import type { CitationResolver } from '../events/citationAccess';
import type { AccessEvents } from '../auth/AccessEvents';
import { newId } from '../auth/secrets';
import { dispositionRows, dispositionTable } from '../comments/exports';
import { AppError, BadRequestError, NotFoundError } from '../errors';
import { type ExportSource, type Exporter, mainHtml } from '../export/Exporter';
import type { History } from '../history/History';
import type { Clock } from '../lib/clock';
import { pageTranslator } from '../pages/labels';
import type { RoomManager } from '../rooms/RoomManager';
import type { CommentStore } from '../storage/CommentStore';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import type { PublicationFile, PublicationRecord, PublicationStore } from '../storage/PublicationStore';
import { ErrorCode } from '@rapporteur/protocol';

export interface PublisherDeps {
  readonly store: DocumentStore;
  readonly publications: PublicationStore;
  readonly commentStore: CommentStore;
  readonly history: History;
  readonly rooms: RoomManager;
  readonly exporter: Exporter;
  readonly events: AccessEvents;
  readonly clock: Clock;
  /** Citations written out as an anonymous reader sees them (SPEC EV10): a publication may be read by anyone. */
  readonly resolveCitations?: CitationResolver;
}

/** Every format a publication is stored in, and the page's frozen main part. */
export const PUBLICATION_FORMATS: readonly ExportFormat[] = ['html', 'md', 'docx', 'odt', 'pdf'];
export const MAIN_PART = 'main';

/**
 * Publishing (SPEC PUB1–PUB6): a numbered publication freezes a named version
 * and is rendered once, now, in every format, as its audience would see it;
 * those files are stored and served as they are from then on. Publishes of
 * one document are taken one at a time, so numbers follow each other.
 */
export class Publisher {
  private readonly queues = new Map<DocumentId, Promise<unknown>>();

  constructor(private readonly deps: PublisherDeps) {}

  /** Runs `task` after every earlier publish of the document has finished. */
  private serialized<T>(id: DocumentId, task: () => Promise<T>): Promise<T> {
    const before = this.queues.get(id) ?? Promise.resolve();
    const run = before.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return run;
  }

  publish(record: DocumentRecord, actorId: string, request: PublishRequest): Promise<PublicationRecord> {
    return this.serialized(record.id, () => this.publishNow(record, actorId, request));
  }

  private async publishNow(record: DocumentRecord, actorId: string, request: PublishRequest): Promise<PublicationRecord> {
    const { store, publications, commentStore, history, rooms, exporter, clock } = this.deps;
    if (request.corrects !== undefined && !(await publications.get(record.id, request.corrects))) {
      const message = { key: 'server.publications.noSuchCorrected' };
      throw new BadRequestError({ key: 'server.request.problem', values: { path: 'corrects', message } }, [{ path: 'corrects', message }]);
    }
    const number = await publications.nextNumber(record.id);
    const seq = await rooms.storedSeq(record.id);
    const state = await history.stateAt(record.id, seq);
    let json;
    try {
      json = docToJSON(state);
    } finally {
      state.destroy();
    }
    if (this.deps.resolveCitations) json = await this.deps.resolveCitations(json, null, clock.now(), record.language);
    const publishedAt = clock.now();
    const pageLabel = pageTranslator(record.language);
    const isPublic = request.public ?? record.visibility === 'public';
    const note = request.note?.trim() ? request.note.trim() : null;
    const notices = [
      ...(request.corrects !== undefined ? [pageLabel('publication.corrects', { number: request.corrects })] : []),
      ...(note ? [`${pageLabel('publication.note')}: ${note}`] : []),
    ];
    let appendix: ExportSource['appendix'];
    if (request.includeDispositions === true) {
      // As its audience sees it: hidden comments keep their row with the moderator's reason, not their text.
      const table = dispositionTable(dispositionRows(await commentStore.list(record.id), false));
      appendix = { title: pageLabel('publication.dispositions'), ...table };
    }
    const source: ExportSource = {
      json,
      header: { title: record.title, date: publishedAt, label: pageLabel('header.publication', { number }) },
      notices,
      ...(appendix ? { appendix } : {}),
      lang: record.language,
    };
    // Everything is rendered before anything is stored: a missing engine (501) or a failing one leaves no trace.
    const files: PublicationFile[] = [];
    for (const format of PUBLICATION_FORMATS) {
      const file = await exporter.render(source, format);
      files.push({ format, contentType: file.contentType, body: file.body });
    }
    files.push({ format: MAIN_PART, contentType: 'text/html; charset=utf-8', body: Buffer.from(mainHtml(source), 'utf8') });

    const name = `Publication ${number}`;
    const version = await store.createVersion(
      { id: newId(), documentId: record.id, seq, name, kind: 'named', restoredFrom: null, createdBy: actorId, createdAt: publishedAt },
      { actorId, action: 'version.named', details: { name, seq, publication: number } },
    );
    await history.checkpointAt(record.id, seq);
    const publication = await publications.create(
      {
        documentId: record.id,
        number,
        versionId: version.id,
        title: record.title,
        note,
        public: isPublic,
        includeDispositions: appendix !== undefined,
        corrects: request.corrects ?? null,
        publishedAt,
        publishedBy: actorId,
      },
      files,
    );
    await store.appendAudit(
      record.id,
      {
        actorId,
        action: 'publication.published',
        details: { number, versionId: version.id, public: isPublic, corrects: publication.corrects, includeDispositions: publication.includeDispositions },
      },
      publishedAt,
    );
    await this.markPublished(record.id, actorId, number);
    return publication;
  }

  /** The document's status becomes `published` (WF2: reached only by publishing), with its audit event. */
  private async markPublished(id: DocumentId, actorId: string, number: number): Promise<void> {
    const { store, events, clock } = this.deps;
    const current = await store.getDocument(id);
    if (!current || current.status === 'published') return;
    const from = current.status;
    await store.changeWorkflow(id, { status: { from, to: 'published' } }, [{ actorId, action: 'status.changed', details: { from, to: 'published', publication: number } }], clock.now());
    events.emit({ kind: 'document', documentId: id });
  }

  /** Withdraws a publication: its page says so with the reason; nothing is deleted (PUB5). */
  async withdraw(record: DocumentRecord, actorId: string, number: number, reason: string): Promise<PublicationRecord> {
    const { store, publications, clock } = this.deps;
    const publication = await publications.get(record.id, number);
    if (!publication) throw new NotFoundError('Publication');
    const at = clock.now();
    if (!(await publications.withdraw(record.id, number, { at, by: actorId, reason }))) {
      throw new AppError(ErrorCode.publicationWithdrawn, { key: 'server.publications.alreadyWithdrawn', values: { number } });
    }
    await store.appendAudit(record.id, { actorId, action: 'publication.withdrawn', details: { number, reason } }, at);
    return (await publications.get(record.id, number))!;
  }
}
