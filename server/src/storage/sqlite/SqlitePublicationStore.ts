import type { DocumentId } from '@rapporteur/protocol';
import {
  type NewPublication,
  type PublicationFile,
  PublicationNumberTakenError,
  type PublicationRecord,
  type PublicationStore,
} from '../PublicationStore';
import type { SqliteDatabase } from './openDatabase';

interface Row {
  document_id: string;
  number: number;
  version_id: string;
  title: string;
  note: string | null;
  public: number;
  include_dispositions: number;
  corrects: number | null;
  published_at: number;
  published_by: string | null;
  withdrawn_at: number | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

function toRecord(row: Row): PublicationRecord {
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

/** SQLite implementation of PublicationStore (tables `publications`, `publication_files`, migration 12). */
export class SqlitePublicationStore implements PublicationStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      max: db.prepare<[string], { n: number | null }>('SELECT MAX(number) AS n FROM publications WHERE document_id = ?'),
      get: db.prepare<[string, number], Row>('SELECT * FROM publications WHERE document_id = ? AND number = ?'),
      list: db.prepare<[string], Row>('SELECT * FROM publications WHERE document_id = ? ORDER BY number'),
      insert: db.prepare(
        `INSERT INTO publications (document_id, number, version_id, title, note, public, include_dispositions, corrects, published_at, published_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFile: db.prepare('INSERT INTO publication_files (document_id, number, format, content_type, body) VALUES (?, ?, ?, ?, ?)'),
      file: db.prepare<[string, number, string], { format: string; content_type: string; body: Buffer }>(
        'SELECT format, content_type, body FROM publication_files WHERE document_id = ? AND number = ? AND format = ?',
      ),
      withdraw: db.prepare(
        'UPDATE publications SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? WHERE document_id = ? AND number = ? AND withdrawn_at IS NULL',
      ),
    };
  }

  async nextNumber(documentId: DocumentId): Promise<number> {
    return (this.stmts.max.get(documentId)?.n ?? 0) + 1;
  }

  async create(p: NewPublication, files: readonly PublicationFile[]): Promise<PublicationRecord> {
    this.db.transaction(() => {
      if (this.stmts.get.get(p.documentId, p.number)) throw new PublicationNumberTakenError(`Publication ${p.number} exists`);
      this.stmts.insert.run(p.documentId, p.number, p.versionId, p.title, p.note, p.public ? 1 : 0, p.includeDispositions ? 1 : 0, p.corrects, p.publishedAt, p.publishedBy);
      for (const f of files) this.stmts.insertFile.run(p.documentId, p.number, f.format, f.contentType, f.body);
    })();
    return { ...p, withdrawn: null };
  }

  async get(documentId: DocumentId, number: number): Promise<PublicationRecord | null> {
    const row = this.stmts.get.get(documentId, number);
    return row ? toRecord(row) : null;
  }

  async list(documentId: DocumentId): Promise<PublicationRecord[]> {
    return this.stmts.list.all(documentId).map(toRecord);
  }

  async file(documentId: DocumentId, number: number, format: string): Promise<PublicationFile | null> {
    const row = this.stmts.file.get(documentId, number, format);
    return row ? { format: row.format, contentType: row.content_type, body: Buffer.from(row.body) } : null;
  }

  async withdraw(documentId: DocumentId, number: number, w: { at: number; by: string; reason: string }): Promise<boolean> {
    return this.stmts.withdraw.run(w.at, w.by, w.reason, documentId, number).changes === 1;
  }
}
