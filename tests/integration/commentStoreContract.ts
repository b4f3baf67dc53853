import type { DocumentId } from '@rapporteur/protocol';
import { type CommentRecord, type Database, SqlCommentStore } from '@rapporteur/server';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The CommentStore contract (SPEC C1–C3, C11): a comment and its event are
 * written together, event seqs count up per document without gaps, a command
 * written with `expected` writes only if the comment is still as read. With
 * `instances`, the same holds between two connections (server instances) on
 * one database.
 */
export function commentStoreContract(
  backend: string,
  open: () => Promise<Database & { another?: () => Promise<Database> }>,
  options: { readonly instances: boolean },
): void {
  describe(`CommentStore contract: ${backend}`, () => {
    let database: Database & { another?: () => Promise<Database> };
    let store: SqlCommentStore;
    const doc = 'doc-c' as DocumentId;

    const comment = (id: string, over: Partial<CommentRecord> = {}): CommentRecord => ({
      id,
      documentId: doc,
      parentId: null,
      author: { id: 'u1', name: 'Ana', organisation: 'ISOC', stakeholderGroup: 'technical-community', region: 'latin-american-caribbean' },
      clientKey: null,
      anchor: null,
      body: `body of ${id}`,
      suggestion: null,
      status: 'open',
      response: null,
      disposedBy: null,
      disposedAt: null,
      hidden: null,
      createdAt: 100,
      updatedAt: 100,
      editedAt: null,
      ...over,
    });

    beforeEach(async () => {
      database = await open();
      for (const d of [doc, 'doc-other']) await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES (${d}, ${d}, 1, 1)`.execute(database.db);
      store = new SqlCommentStore(database.db, database.dialect);
    });

    afterEach(async () => {
      await database.close();
    });

    it('C1, C3: a comment is stored with its event; events count up per document; a client key finds it', async () => {
      const anchor = { type: 'block' as const, blockId: 'b1', quote: 'text' };
      expect(await store.insert(comment('c1', { clientKey: 'k1', anchor, suggestion: 'new words' }), { type: 'comment.created', actorId: 'u1' }, 100)).toBe(1);
      expect(await store.insert(comment('c2', { parentId: 'c1', createdAt: 101 }), { type: 'comment.created', actorId: 'u1' }, 101)).toBe(2);
      expect(await store.insert(comment('c3', { documentId: 'doc-other' as DocumentId }), { type: 'comment.created', actorId: 'u1' }, 102)).toBe(1);
      expect(await store.get('c1')).toEqual(comment('c1', { clientKey: 'k1', anchor, suggestion: 'new words' }));
      expect((await store.findByClientKey(doc, 'u1', 'k1'))?.id).toBe('c1');
      expect(await store.findByClientKey(doc, 'u2', 'k1')).toBeNull();
      expect((await store.list(doc)).map((c) => c.id)).toEqual(['c1', 'c2']);
      expect(await store.lastEventSeq(doc)).toBe(2);
      expect(await store.eventsAfter(doc, 0, 10)).toEqual([
        { seq: 1, type: 'comment.created', commentId: 'c1', actorId: 'u1', detail: null, createdAt: 100 },
        { seq: 2, type: 'comment.created', commentId: 'c2', actorId: 'u1', detail: null, createdAt: 101 },
      ]);
      expect((await store.eventsAfter(doc, 1, 1)).map((e) => e.seq)).toEqual([2]);
      // A second comment with the same client key of the same author is refused (C1: a retry finds the first).
      await expect(store.insert(comment('c4', { clientKey: 'k1' }), { type: 'comment.created', actorId: 'u1' }, 103)).rejects.toThrow();
      expect(await store.lastEventSeq(doc)).toBe(2);
    });

    it('C2: a disposition is written with its event; C11: a command on a comment that changed since it was read writes nothing', async () => {
      await store.insert(comment('c1'), { type: 'comment.created', actorId: 'u1' }, 100);
      const read = (await store.get('c1'))!;
      const seq = await store.update('c1', { status: 'accepted', response: 'Agreed', disposedBy: { id: 'u2', name: 'Chair' }, disposedAt: 200 }, { type: 'comment.disposed', actorId: 'u2', detail: 'accepted' }, 200, read);
      expect(seq).toBe(2);
      expect(await store.get('c1')).toMatchObject({ status: 'accepted', response: 'Agreed', disposedBy: { id: 'u2', name: 'Chair' }, updatedAt: 200 });
      // Written against the state before the disposition: refused, nothing written.
      expect(await store.update('c1', { status: 'declined' }, { type: 'comment.disposed', actorId: 'u3' }, 300, read)).toBeNull();
      expect(await store.get('c1')).toMatchObject({ status: 'accepted', updatedAt: 200 });
      expect(await store.lastEventSeq(doc)).toBe(2);
      await store.update('c1', { hidden: { reason: 'spam', by: 'u2', at: 400 } }, { type: 'comment.hidden', actorId: 'u2', detail: 'spam' }, 400);
      expect((await store.get('c1'))?.hidden).toEqual({ reason: 'spam', by: 'u2', at: 400 });
      await expect(store.update('missing', {}, { type: 'comment.edited', actorId: 'u1' }, 500)).rejects.toThrow();
    });

    if (!options.instances) return;
    describe('between two instances on one database (issue 15)', () => {
      it('C11: the same command from two instances at once is written once; events of both stay gap-free', async () => {
        await store.insert(comment('c1'), { type: 'comment.created', actorId: 'u1' }, 100);
        const other = await database.another!();
        const second = new SqlCommentStore(other.db, other.dialect);
        try {
          const read = (await store.get('c1'))!;
          const results = await Promise.all([
            store.update('c1', { status: 'accepted', disposedAt: 200 }, { type: 'comment.disposed', actorId: 'u2' }, 200, read),
            second.update('c1', { status: 'declined', disposedAt: 201 }, { type: 'comment.disposed', actorId: 'u3' }, 201, read),
          ]);
          expect(results.filter((r) => r === null)).toHaveLength(1);
          const inserts = [];
          for (let i = 0; i < 20; i++) {
            const by = i % 2 === 0 ? store : second;
            inserts.push(by.insert(comment(`n${i}`), { type: 'comment.created', actorId: 'u1' }, 300 + i));
          }
          const seqs = (await Promise.all(inserts)).sort((a, b) => a - b);
          expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
          expect((await store.eventsAfter(doc, 0, 100)).map((e) => e.seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
        } finally {
          await other.close();
        }
      });
    });
  });
}
