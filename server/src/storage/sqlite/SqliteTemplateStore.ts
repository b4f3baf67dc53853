import type { DocumentType, TemplateNode } from '@rapporteur/protocol';
import { type NewTemplate, TemplateExistsError, type TemplateRecord, type TemplateStore } from '../TemplateStore';
import type { SqliteDatabase } from './openDatabase';

interface Row {
  id: string;
  version: number;
  type: string;
  name: string;
  description: string;
  content: string;
  created_at: number;
  created_by: string | null;
}

function toRecord(row: Row): TemplateRecord {
  return {
    id: row.id,
    version: row.version,
    type: row.type as DocumentType,
    name: row.name,
    description: row.description,
    content: JSON.parse(row.content) as TemplateNode[],
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** SQLite implementation of TemplateStore (table `templates`, migration 9). */
export class SqliteTemplateStore implements TemplateStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      listCurrent: db.prepare<[], Row>(
        `SELECT t.* FROM templates t
         JOIN (SELECT id, MAX(version) AS version FROM templates GROUP BY id) c ON c.id = t.id AND c.version = t.version
         ORDER BY t.type, t.name, t.id`,
      ),
      current: db.prepare<[string], Row>('SELECT * FROM templates WHERE id = ? ORDER BY version DESC LIMIT 1'),
      version: db.prepare<[string, number], Row>('SELECT * FROM templates WHERE id = ? AND version = ?'),
      latest: db.prepare<[string], { version: number | null }>('SELECT MAX(version) AS version FROM templates WHERE id = ?'),
      insert: db.prepare(
        'INSERT INTO templates (id, version, type, name, description, content, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  async listCurrent(): Promise<TemplateRecord[]> {
    return this.stmts.listCurrent.all().map(toRecord);
  }

  async get(id: string, version?: number): Promise<TemplateRecord | null> {
    const row = version === undefined ? this.stmts.current.get(id) : this.stmts.version.get(id, version);
    return row ? toRecord(row) : null;
  }

  async create(template: NewTemplate): Promise<TemplateRecord> {
    return this.db.transaction(() => {
      if (this.latest(template.id) > 0) throw new TemplateExistsError(template.id);
      return this.insert(template, 1);
    })();
  }

  async addVersion(template: NewTemplate): Promise<TemplateRecord | null> {
    return this.db.transaction(() => {
      const latest = this.latest(template.id);
      return latest === 0 ? null : this.insert(template, latest + 1);
    })();
  }

  async seed(templates: readonly NewTemplate[]): Promise<string[]> {
    return this.db.transaction(() => {
      const stored: string[] = [];
      for (const t of templates) {
        if (this.latest(t.id) > 0) continue;
        this.insert(t, 1);
        stored.push(t.id);
      }
      return stored;
    })();
  }

  private latest(id: string): number {
    return this.stmts.latest.get(id)?.version ?? 0;
  }

  private insert(t: NewTemplate, version: number): TemplateRecord {
    this.stmts.insert.run(t.id, version, t.type, t.name, t.description, JSON.stringify(t.content), t.createdAt, t.createdBy);
    return { ...t, version };
  }
}
