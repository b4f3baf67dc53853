import type { DocumentType, TemplateNode } from '@rapporteur/protocol';
import type { Kysely, Selectable } from 'kysely';
import { type NewTemplate, TemplateExistsError, type TemplateRecord, type TemplateStore } from '../TemplateStore';
import type { Tables, TemplatesTable } from './tables';
import { isUniqueViolation } from './uniqueViolation';

function toRecord(row: Selectable<TemplatesTable>): TemplateRecord {
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

function toRow(t: NewTemplate, version: number): TemplatesTable {
  return {
    id: t.id,
    version,
    type: t.type,
    name: t.name,
    description: t.description,
    content: JSON.stringify(t.content),
    created_at: t.createdAt,
    created_by: t.createdBy,
  };
}

/** Attempts at adding a version when another writer takes the same number first (PostgreSQL). */
const VERSION_ATTEMPTS = 5;

/**
 * TemplateStore on SQLite or PostgreSQL (table `templates`, primary key
 * (id, version)). Every write is one statement, so the primary key decides
 * races: version 1 exists exactly when the template does.
 */
export class SqlTemplateStore implements TemplateStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async listCurrent(): Promise<TemplateRecord[]> {
    const rows = await this.db
      .selectFrom('templates as t')
      .innerJoin(
        (eb) => eb.selectFrom('templates').select(['id', (e) => e.fn.max('version').as('version')]).groupBy('id').as('c'),
        (join) => join.onRef('c.id', '=', 't.id').onRef('c.version', '=', 't.version'),
      )
      .selectAll('t')
      .orderBy('t.type')
      .orderBy('t.name')
      .orderBy('t.id')
      .execute();
    return rows.map(toRecord);
  }

  async get(id: string, version?: number): Promise<TemplateRecord | null> {
    let query = this.db.selectFrom('templates').selectAll().where('id', '=', id);
    query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async create(template: NewTemplate): Promise<TemplateRecord> {
    try {
      await this.db.insertInto('templates').values(toRow(template, 1)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new TemplateExistsError(template.id);
      throw error;
    }
    return { ...template, version: 1 };
  }

  async addVersion(template: NewTemplate): Promise<TemplateRecord | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The next number, computed and taken in one statement; nothing is
        // inserted when the template has no version yet.
        const row = await this.db
          .insertInto('templates')
          .columns(['id', 'version', 'type', 'name', 'description', 'content', 'created_at', 'created_by'])
          .expression((eb) =>
            eb
              .selectFrom('templates')
              .select((e) => [
                e.cast<string>(e.val(template.id), 'text').as('id'),
                e(e.fn.max('version'), '+', 1).as('version'),
                e.cast<string>(e.val(template.type), 'text').as('type'),
                e.cast<string>(e.val(template.name), 'text').as('name'),
                e.cast<string>(e.val(template.description), 'text').as('description'),
                e.cast<string>(e.val(JSON.stringify(template.content)), 'text').as('content'),
                e.cast<number>(e.val(template.createdAt), 'bigint').as('created_at'),
                e.cast<string | null>(e.val(template.createdBy), 'text').as('created_by'),
              ])
              .where('id', '=', template.id)
              .having((e) => e.fn.max('version'), 'is not', null),
          )
          .returning('version')
          .executeTakeFirst();
        return row ? { ...template, version: Number(row.version) } : null;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt === VERSION_ATTEMPTS) throw error;
      }
    }
  }

  async seed(templates: readonly NewTemplate[]): Promise<string[]> {
    if (templates.length === 0) return [];
    // One statement: version 1 of each template that has none; the others are left as they are.
    const rows = await this.db
      .insertInto('templates')
      .values(templates.map((t) => toRow(t, 1)))
      .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
      .returning('id')
      .execute();
    const stored = new Set(rows.map((r) => r.id));
    return templates.filter((t) => stored.has(t.id)).map((t) => t.id);
  }
}
