import type { DocumentId } from '@rapporteur/protocol';
import type { Kysely, Selectable } from 'kysely';
import {
  type NewPublication,
  type PublicationFile,
  PublicationNumberTakenError,
  type PublicationRecord,
  type PublicationStore,
} from '../PublicationStore';
import type { PublicationsTable, Tables } from './tables';
import { isUniqueViolation } from './uniqueViolation';

function toRecord(row: Selectable<PublicationsTable>): PublicationRecord {
  return {
    documentId: row.document_id as DocumentId,
    number: row.number,
    versionId: row.version_id,
    title: row.title,
    note: row.note,
    public: row.public === 1,
    includeDispositions: row.include_dispositions === 1,
    corrects: row.corrects,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    withdrawn: row.withdrawn_at === null ? null : { at: row.withdrawn_at, by: row.withdrawn_by, reason: row.withdrawn_reason ?? '' },
  };
}

/** PublicationStore on SQLite or PostgreSQL (tables `publications`, `publication_files`). */
export class SqlPublicationStore implements PublicationStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async nextNumber(documentId: DocumentId): Promise<number> {
    const row = await this.db
      .selectFrom('publications')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    return Number(row?.n ?? 0) + 1;
  }

  async create(p: NewPublication, files: readonly PublicationFile[]): Promise<PublicationRecord> {
    try {
      await this.db.transaction().execute(async (trx) => {
        // Checked before writing (storage/sql rule): on PostgreSQL a publish
        // racing past this check still loses at the primary key.
        const taken = await trx
          .selectFrom('publications')
          .select('number')
          .where('document_id', '=', p.documentId)
          .where('number', '=', p.number)
          .executeTakeFirst();
        if (taken) throw new PublicationNumberTakenError(`Publication ${p.number} exists`);
        await trx
          .insertInto('publications')
          .values({
            document_id: p.documentId,
            number: p.number,
            version_id: p.versionId,
            title: p.title,
            note: p.note,
            public: p.public ? 1 : 0,
            include_dispositions: p.includeDispositions ? 1 : 0,
            corrects: p.corrects,
            published_at: p.publishedAt,
            published_by: p.publishedBy,
          })
          .execute();
        for (const f of files) {
          await trx
            .insertInto('publication_files')
            .values({ document_id: p.documentId, number: p.number, format: f.format, content_type: f.contentType, body: f.body })
            .execute();
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PublicationNumberTakenError(`Publication ${p.number} exists`);
      throw error;
    }
    return { ...p, withdrawn: null };
  }

  async get(documentId: DocumentId, number: number): Promise<PublicationRecord | null> {
    const row = await this.db
      .selectFrom('publications')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(documentId: DocumentId): Promise<PublicationRecord[]> {
    const rows = await this.db.selectFrom('publications').selectAll().where('document_id', '=', documentId).orderBy('number').execute();
    return rows.map(toRecord);
  }

  async file(documentId: DocumentId, number: number, format: string): Promise<PublicationFile | null> {
    const row = await this.db
      .selectFrom('publication_files')
      .select(['format', 'content_type', 'body'])
      .where('document_id', '=', documentId)
      .where('number', '=', number)
      .where('format', '=', format)
      .executeTakeFirst();
    return row ? { format: row.format, contentType: row.content_type, body: Buffer.from(row.body) } : null;
  }

  async withdraw(documentId: DocumentId, number: number, w: { at: number; by: string; reason: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('publications')
      .set({ withdrawn_at: w.at, withdrawn_by: w.by, withdrawn_reason: w.reason })
      .where('document_id', '=', documentId)
      .where('number', '=', number)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
