import type { DocumentId, TemplateNode } from '@rapporteur/protocol';
import {
  type Database,
  type NewTemplate,
  PublicationNumberTakenError,
  SqlNotificationStore,
  SqlPublicationStore,
  SqlTemplateStore,
  TemplateExistsError,
} from '@rapporteur/server';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Contracts of the stores written once on Kysely for both dialects (SPEC S7),
 * run on every backend by sqlStores.test.ts. `open` returns a fresh, migrated,
 * empty database; the rows other tables point at (an account, a document, a
 * comment) are written here with plain SQL.
 */
export function sqlStoreContracts(backend: string, open: () => Promise<Database>): void {
  let database: Database;

  beforeEach(async () => {
    database = await open();
    const db = database.db;
    for (const id of ['u1', 'u2']) {
      await sql`INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
                VALUES (${id}, ${`${id}@example.org`}, 'h', ${id}, 'academia', 'other', 1, 1)`.execute(db);
    }
    for (const id of ['d1', 'd2']) {
      await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES (${id}, ${id}, 1, 1)`.execute(db);
      await sql`INSERT INTO comments (id, document_id, author_id, author_name, author_stakeholder_group, author_region, body, created_at, updated_at)
                VALUES (${`c-${id}`}, ${id}, 'u2', 'u2', 'academia', 'other', 'hello', 1, 1)`.execute(db);
    }
  });

  afterEach(async () => {
    await database.close();
  });

  describe(`NotificationStore contract: ${backend}`, () => {
    const note = (id: string, createdAt: number, userId = 'u1') => ({
      id,
      userId,
      kind: 'reply' as const,
      documentId: 'd1' as DocumentId,
      commentId: 'c-d1',
      actorId: 'u2',
      createdAt,
      readAt: null,
    });

    it('S7: lists a person’s notifications newest first, at most the limit, and counts the unread', async () => {
      const store = new SqlNotificationStore(database.db);
      await store.add([note('n1', 1000), note('n2', 3000), note('n3', 2000), note('other', 5000, 'u2')]);
      await store.add([]);
      expect((await store.listFor('u1', 10)).map((n) => n.id)).toEqual(['n2', 'n3', 'n1']);
      expect((await store.listFor('u1', 2)).map((n) => n.id)).toEqual(['n2', 'n3']);
      expect((await store.listFor('u1', 1))[0]).toEqual(note('n2', 3000));
      expect(await store.unreadCount('u1')).toBe(3);
      expect(await store.unreadCount('nobody')).toBe(0);
    });

    it('S7: marks one or all read; a read notification keeps its first time; another person’s is not matched', async () => {
      const store = new SqlNotificationStore(database.db);
      await store.add([note('n1', 1000), note('n2', 2000), note('theirs', 3000, 'u2')]);
      expect(await store.markRead('u1', 'n1', 5000)).toBe(1);
      expect(await store.markRead('u1', 'n1', 6000)).toBe(1);
      expect(await store.markRead('u1', 'theirs', 6000)).toBe(0);
      expect((await store.listFor('u1', 10)).find((n) => n.id === 'n1')?.readAt).toBe(5000);
      expect(await store.markRead('u1', null, 7000)).toBe(1);
      expect((await store.listFor('u1', 10)).map((n) => n.readAt)).toEqual([7000, 5000]);
      expect(await store.unreadCount('u1')).toBe(0);
      expect(await store.unreadCount('u2')).toBe(1);
    });

    it('S7: a batch with one bad row stores none of it', async () => {
      const store = new SqlNotificationStore(database.db);
      await expect(store.add([note('n1', 1000), { ...note('n2', 2000), userId: 'no-such-user' }])).rejects.toThrow();
      expect(await store.listFor('u1', 10)).toEqual([]);
    });
  });

  describe(`TemplateStore contract: ${backend}`, () => {
    const content: TemplateNode[] = [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] }];
    const template = (id: string, name = id, createdAt = 1000): NewTemplate => ({
      id,
      type: 'blank',
      name,
      description: `about ${id}`,
      content,
      createdAt,
      createdBy: 'u1',
    });

    it('TPL5, S7: creates version 1 once, adds versions after it, and gets the current or a given version', async () => {
      const store = new SqlTemplateStore(database.db);
      expect(await store.create(template('t1', 'One'))).toMatchObject({ id: 't1', version: 1 });
      await expect(store.create(template('t1', 'Again'))).rejects.toBeInstanceOf(TemplateExistsError);
      expect(await store.addVersion(template('t1', 'One, v2', 2000))).toMatchObject({ version: 2, name: 'One, v2' });
      expect(await store.addVersion(template('t1', 'One, v3', 3000))).toMatchObject({ version: 3 });
      expect(await store.addVersion(template('missing'))).toBeNull();
      expect(await store.get('missing')).toBeNull();
      expect(await store.get('t1')).toEqual({ ...template('t1', 'One, v3', 3000), version: 3 });
      expect(await store.get('t1', 1)).toEqual({ ...template('t1', 'One'), version: 1 });
      expect(await store.get('t1', 9)).toBeNull();
    });

    it('TPL5, S7: lists the current version of each template by type, name and id', async () => {
      const store = new SqlTemplateStore(database.db);
      await store.create(template('b', 'Beta'));
      await store.create(template('a', 'Alpha'));
      await store.addVersion(template('b', 'Beta 2'));
      expect((await store.listCurrent()).map((t) => [t.id, t.version, t.name])).toEqual([
        ['a', 1, 'Alpha'],
        ['b', 2, 'Beta 2'],
      ]);
    });

    it('TPL5, S7: seeding stores only the templates that have no version, and says which', async () => {
      const store = new SqlTemplateStore(database.db);
      await store.create(template('edited', 'Edited by an administrator'));
      expect(await store.seed([template('new1'), template('edited', 'Built-in'), template('new2')])).toEqual(['new1', 'new2']);
      expect((await store.get('edited'))?.name).toBe('Edited by an administrator');
      expect(await store.seed([template('new1')])).toEqual([]);
      expect(await store.seed([])).toEqual([]);
    });

    it('TPL5, S7: versions added at the same time get distinct numbers', async () => {
      const store = new SqlTemplateStore(database.db);
      await store.create(template('t'));
      const added = await Promise.all([1, 2, 3, 4].map((i) => store.addVersion(template('t', `v${i}`))));
      expect(added.map((t) => t?.version).sort()).toEqual([2, 3, 4, 5]);
    });
  });

  describe(`PublicationStore contract: ${backend}`, () => {
    const d1 = 'd1' as DocumentId;
    const publication = (number: number) => ({
      documentId: d1,
      number,
      versionId: `v${number}`,
      title: `Report ${number}`,
      note: number === 2 ? 'Corrected figures' : null,
      public: number !== 3,
      includeDispositions: number === 2,
      corrects: number === 2 ? 1 : null,
      publishedAt: 1000 * number,
      publishedBy: 'u1',
    });
    const files = (text: string) => [
      { format: 'html', contentType: 'text/html; charset=utf-8', body: Buffer.from(`<p>${text}</p>`) },
      { format: 'pdf', contentType: 'application/pdf', body: Buffer.from([0, 1, 2, 255, 254, 0]) },
    ];

    it('PUB1, S7: numbers publications per document and keeps each with its files, byte for byte', async () => {
      const store = new SqlPublicationStore(database.db);
      expect(await store.nextNumber(d1)).toBe(1);
      expect(await store.create(publication(1), files('one'))).toEqual({ ...publication(1), withdrawn: null });
      await store.create(publication(2), files('two'));
      expect(await store.nextNumber(d1)).toBe(3);
      expect(await store.nextNumber('d2' as DocumentId)).toBe(1);
      expect(await store.get(d1, 2)).toEqual({ ...publication(2), withdrawn: null });
      expect(await store.get(d1, 9)).toBeNull();
      expect((await store.list(d1)).map((p) => p.number)).toEqual([1, 2]);
      const pdf = await store.file(d1, 2, 'pdf');
      expect(pdf?.contentType).toBe('application/pdf');
      expect([...pdf!.body]).toEqual([0, 1, 2, 255, 254, 0]);
      expect((await store.file(d1, 1, 'html'))?.body.toString()).toBe('<p>one</p>');
      expect(await store.file(d1, 1, 'docx')).toBeNull();
    });

    it('PUB1, S7: a taken number is refused and nothing of the second publish is stored', async () => {
      const store = new SqlPublicationStore(database.db);
      await store.create(publication(1), files('first'));
      await expect(store.create({ ...publication(1), title: 'Other' }, files('second'))).rejects.toBeInstanceOf(PublicationNumberTakenError);
      expect((await store.get(d1, 1))?.title).toBe('Report 1');
      expect((await store.file(d1, 1, 'html'))?.body.toString()).toBe('<p>first</p>');
    });

    it('PUB1, S7: of two publishes racing for one number, exactly one is stored', async () => {
      const store = new SqlPublicationStore(database.db);
      const results = await Promise.allSettled([store.create(publication(1), files('a')), store.create(publication(1), files('b'))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(PublicationNumberTakenError);
      expect(await store.list(d1)).toHaveLength(1);
    });

    it('PUB5, S7: a withdrawal is recorded once, with who, when and why', async () => {
      const store = new SqlPublicationStore(database.db);
      await store.create(publication(1), []);
      expect(await store.withdraw(d1, 1, { at: 5000, by: 'u2', reason: 'Wrong document' })).toBe(true);
      expect(await store.withdraw(d1, 1, { at: 6000, by: 'u1', reason: 'Again' })).toBe(false);
      expect(await store.withdraw(d1, 9, { at: 6000, by: 'u1', reason: 'None' })).toBe(false);
      expect((await store.get(d1, 1))?.withdrawn).toEqual({ at: 5000, by: 'u2', reason: 'Wrong document' });
    });
  });
}
