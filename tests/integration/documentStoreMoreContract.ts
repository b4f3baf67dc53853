import type { DocumentId } from '@rapporteur/protocol';
import { type Database, LastOwnerConflict, LeaseLostError, SqlDocumentStore } from '@rapporteur/server';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The parts of the DocumentStore contract that need accounts (members,
 * invites, client-id bindings, translations, event organisers), and what
 * must hold between two server instances on one database (issue 15). `open`
 * returns a fresh, migrated, empty database; with `instances`, its `another`
 * opens a second connection to it, as another instance would (PostgreSQL
 * only: SQLite is one process per DATA_DIR, which the server locks).
 */
export function documentStoreMoreContract(
  backend: string,
  open: () => Promise<Database & { another?: () => Promise<Database> }>,
  options: { readonly instances: boolean },
): void {
  describe(`DocumentStore contract, members and more: ${backend}`, () => {
    let database: Database & { another?: () => Promise<Database> };
    let store: SqlDocumentStore;
    const id = 'doc-m' as DocumentId;

    beforeEach(async () => {
      database = await open();
      for (const u of ['u1', 'u2', 'u3']) {
        await sql`INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
                  VALUES (${u}, ${`${u}@example.org`}, 'h', ${u}, 'academia', 'other', 1, 1)`.execute(database.db);
      }
      store = new SqlDocumentStore(database);
      await store.createDocument({ id, title: 'Members', now: 100, ownerId: 'u1' });
    });

    afterEach(async () => {
      await store.close();
      await database.close();
    });

    it('A1: the creator is an owner member; members are added, changed and removed; each lists their documents with their role', async () => {
      expect(await store.getMember(id, 'u1')).toEqual({ userId: 'u1', role: 'owner', addedBy: 'u1', createdAt: 100 });
      await store.setMember(id, { userId: 'u2', role: 'commenter', addedBy: 'u1' }, 200);
      await store.setMember(id, { userId: 'u2', role: 'editor', addedBy: 'u3' }, 300);
      // A role change keeps who added them and when.
      expect(await store.listMembers(id)).toEqual([
        { userId: 'u1', role: 'owner', addedBy: 'u1', createdAt: 100 },
        { userId: 'u2', role: 'editor', addedBy: 'u1', createdAt: 200 },
      ]);
      expect((await store.listDocumentsOf('u2')).map((d) => [d.id, d.role])).toEqual([[id, 'editor']]);
      expect(await store.listDocumentsOf('u3')).toEqual([]);
      expect(await store.removeMember(id, 'u2')).toBe(true);
      expect(await store.removeMember(id, 'u2')).toBe(false);
      expect(await store.getMember(id, 'u2')).toBeNull();
    });

    it('A1: the last owner cannot be demoted or removed when the write asks to keep one; another owner can', async () => {
      await expect(store.setMember(id, { userId: 'u1', role: 'editor', addedBy: 'u1' }, 200, { keepAnOwner: true })).rejects.toBeInstanceOf(LastOwnerConflict);
      await expect(store.removeMember(id, 'u1', { keepAnOwner: true })).rejects.toBeInstanceOf(LastOwnerConflict);
      expect((await store.getMember(id, 'u1'))?.role).toBe('owner');
      await store.setMember(id, { userId: 'u2', role: 'owner', addedBy: 'u1' }, 300);
      await store.setMember(id, { userId: 'u1', role: 'editor', addedBy: 'u2' }, 400, { keepAnOwner: true });
      expect((await store.listMembers(id)).map((m) => [m.userId, m.role])).toEqual([
        ['u1', 'editor'],
        ['u2', 'owner'],
      ]);
    });

    it('invites: live ones are listed, any is found by its code hash, a revoke happens once', async () => {
      const invite = (n: string, expiresAt: number) => ({ id: `i-${n}`, documentId: id, role: 'commenter' as const, createdBy: 'u1', createdAt: 100, expiresAt, codeHash: `h-${n}` });
      await store.createInvite(invite('a', 1_000));
      await store.createInvite(invite('b', 500));
      await store.createInvite(invite('c', 1_000));
      expect(await store.revokeInvite(id, 'i-c', 150)).toBe(true);
      expect(await store.revokeInvite(id, 'i-c', 160)).toBe(false);
      expect(await store.revokeInvite('other' as DocumentId, 'i-a', 160)).toBe(false);
      expect((await store.listInvites(id, 600)).map((i) => i.id)).toEqual(['i-a']);
      expect(await store.findInvite('h-c')).toMatchObject({ id: 'i-c', revoked: true, documentId: id });
      expect(await store.findInvite('h-b')).toMatchObject({ id: 'i-b', revoked: false, expiresAt: 500 });
      expect(await store.findInvite('nope')).toBeNull();
      await expect(store.createInvite(invite('a', 2_000))).rejects.toThrow();
    });

    it('A4: a client id is bound to the first author who wrote with it, once', async () => {
      const data = new Uint8Array([0, 0]);
      await store.appendUpdates(id, [{ data, author: 'u1', clientIds: [11, 12] }], 200);
      await store.appendUpdates(id, [{ data, author: 'u2', clientIds: [12, 13] }, { data, author: null, clientIds: [14] }], 201);
      expect([...(await store.loadClientBindings(id))].sort((a, b) => a[0] - b[0])).toEqual([
        [11, 'u1'],
        [12, 'u1'],
        [13, 'u2'],
      ]);
      // Client ids above 2^31 (Yjs uses 32-bit unsigned ids) round-trip.
      await store.appendUpdates(id, [{ data, author: 'u3', clientIds: [4_294_967_295] }], 202);
      expect((await store.loadClientBindings(id)).get(4_294_967_295)).toBe('u3');
    });

    it('A4: claiming client ids binds the free ones and names the owner of each taken one', async () => {
      expect(await store.claimClientIds(id, 'u1', [21, 22], 300)).toEqual(new Map());
      expect(await store.claimClientIds(id, 'u2', [22, 23], 301)).toEqual(new Map([[22, 'u1']]));
      expect(await store.claimClientIds(id, 'u2', [23], 302)).toEqual(new Map());
      expect([...(await store.loadClientBindings(id))].sort((a, b) => a[0] - b[0])).toEqual([
        [21, 'u1'],
        [22, 'u1'],
        [23, 'u2'],
      ]);
    });

    it('I7: a lease is one holder\'s until it lapses; its token grows when it changes hands; a write fenced by an older token is refused', async () => {
      const data = new Uint8Array([0, 0]);
      await store.appendUpdates(id, [{ data, author: null, clientIds: [] }], 200);
      expect(await store.acquireLease(id, 'checkpoint', 'h1', 1_000, 500)).toBe(1);
      expect(await store.acquireLease(id, 'checkpoint', 'h2', 1_200, 500)).toBeNull();
      // Renewed by its holder: same token, later end.
      expect(await store.acquireLease(id, 'checkpoint', 'h1', 1_400, 500)).toBe(1);
      expect(await store.acquireLease(id, 'checkpoint', 'h2', 1_800, 500)).toBeNull();
      // Other kinds and documents are other leases.
      expect(await store.acquireLease(id, 'history', 'h2', 1_800, 500)).toBe(1);
      // Lapsed (h1 stalled): h2 takes it over, with the next token.
      expect(await store.acquireLease(id, 'checkpoint', 'h2', 1_900, 500)).toBe(2);
      // h1 wakes up and writes what it computed under token 1: refused, nothing written.
      await expect(store.writeCheckpoint(id, 1, data, 1_950, { kind: 'checkpoint', holder: 'h1', token: 1 })).rejects.toBeInstanceOf(LeaseLostError);
      expect((await store.loadDocument(id)).checkpoint).toBeNull();
      await store.writeCheckpoint(id, 1, data, 1_960, { kind: 'checkpoint', holder: 'h2', token: 2 });
      expect((await store.loadDocument(id)).checkpoint?.seq).toBe(1);
    });

    it('LT1: a translation is created with its members, paragraphs and both audit events, and refused when its language is taken', async () => {
      await store.setMember(id, { userId: 'u2', role: 'editor', addedBy: 'u1' }, 110);
      const translation = (tid: string, language: 'fr' | 'en' | 'es', source = id) => ({
        id: tid as DocumentId,
        translationOf: source,
        title: `Members (${language})`,
        now: 300,
        ownerId: 'u3',
        type: 'blank' as const,
        template: null,
        language,
        visibility: 'private' as const,
        members: [
          { userId: 'u1', role: 'owner' as const },
          { userId: 'u2', role: 'editor' as const },
        ],
        segments: [{ blockId: 'b1', status: 'to-translate' as const, sourceHash: 's1', targetHash: 't1', setBy: null, setAt: 300 }],
        sourceAudit: { actorId: 'u3', action: 'translation.created', details: { id: tid } },
        translationAudit: { actorId: 'u3', action: 'document.created', details: { from: id } },
      });
      const made = await store.createTranslation(translation('doc-fr', 'fr'));
      expect(made).toMatchObject({ record: { id: 'doc-fr', translationOf: id, language: 'fr', ownerId: 'u3' } });
      expect((await store.listMembers('doc-fr' as DocumentId)).map((m) => [m.userId, m.role])).toEqual([
        ['u1', 'owner'],
        ['u2', 'editor'],
        ['u3', 'owner'],
      ]);
      expect(await store.listSegments('doc-fr' as DocumentId)).toEqual([translation('doc-fr', 'fr').segments[0]]);
      expect((await store.listAudit(id, { limit: 5 })).map((a) => a.action)).toEqual(['translation.created']);
      expect(await store.createTranslation(translation('doc-fr2', 'fr'))).toEqual({ conflict: { kind: 'language-taken', documentId: 'doc-fr' } });
      expect(await store.createTranslation(translation('doc-en', 'en'))).toEqual({ conflict: { kind: 'language-taken', documentId: id } });
      expect(await store.createTranslation(translation('doc-es', 'es', 'doc-fr' as DocumentId))).toEqual({ conflict: { kind: 'source-is-translation', sourceId: id } });
      expect(await store.createTranslation(translation('doc-x', 'es', 'missing' as DocumentId))).toEqual({ conflict: { kind: 'no-source' } });
      expect((await store.listTranslations(id)).map((d) => d.id)).toEqual(['doc-fr']);
      await store.setSegments('doc-fr' as DocumentId, [{ blockId: 'b1', status: 'reviewed', sourceHash: 's1', targetHash: 't2', setBy: 'u3', setAt: 400 }], { actorId: 'u3', action: 'segment.set', details: {} }, 400);
      expect(await store.listSegments('doc-fr' as DocumentId)).toMatchObject([{ status: 'reviewed', targetHash: 't2', setBy: 'u3' }]);
    });

    it('settings of a missing document answer null; of an existing one, the changed record', async () => {
      const missing = 'missing' as DocumentId;
      expect(await store.setVisibility(missing, 'public', 1)).toBeNull();
      expect(await store.setCommentPeriod(missing, null, 1)).toBeNull();
      expect(await store.setLanguage(missing, 'fr', 1)).toBeNull();
      expect(await store.setVisibility(id, 'public', 500)).toMatchObject({ visibility: 'public', updatedAt: 500 });
      expect(await store.setCommentPeriod(id, { opensAt: 1, closesAt: 2 }, 600)).toMatchObject({ commentPeriod: { opensAt: 1, closesAt: 2 } });
      expect(await store.setLanguage(id, 'ar', 700)).toMatchObject({ language: 'ar', updatedAt: 700 });
    });

    it('EV2: organisers of the event whose track messages a document is are told apart from others', async () => {
      await sql`INSERT INTO events (id, name, starts_on, ends_on, time_zone, created_at, updated_at) VALUES ('e1', 'IGF', '2026-06-01', '2026-06-05', 'UTC', 1, 1)`.execute(database.db);
      await sql`INSERT INTO event_tracks (event_id, id, name, position, messages_document_id) VALUES ('e1', 't1', 'Track', 0, ${id})`.execute(database.db);
      await sql`INSERT INTO event_organisers (event_id, user_id, created_at) VALUES ('e1', 'u2', 1)`.execute(database.db);
      expect(await store.organisesEventOf(id, 'u2')).toBe(true);
      expect(await store.organisesEventOf(id, 'u3')).toBe(false);
    });

    it('S3, S11, S12: one turn\'s appends to several documents — plain, final, with a marker, missing — each get their seqs and effects; documents.last_seq follows the log', async () => {
      const up = (n: number) => ({ data: new Uint8Array([n]), author: 'u2', clientIds: [40 + n] });
      for (const docId of ['doc-f', 'doc-k']) await store.createDocument({ id: docId as DocumentId, title: docId, now: 100 });
      await store.appendUpdates(id, [up(1), up(2)], 150);
      await store.changeWorkflow('doc-f' as DocumentId, { status: { from: 'drafting', to: 'final' } }, [], 160);
      const lastSeqs = async () =>
        Object.fromEntries(
          (await sql<{ id: string; last_seq: number | string; m: number | string | null }>`
            SELECT d.id, d.last_seq, (SELECT MAX(u.seq) FROM updates u WHERE u.doc_key = d.log_key) AS m FROM documents d ORDER BY d.id`.execute(database.db)).rows.map((r) => [
            r.id,
            [Number(r.last_seq), r.m === null ? 0 : Number(r.m)],
          ]),
        );
      expect(await lastSeqs()).toEqual({ 'doc-f': [0, 0], 'doc-k': [0, 0], [id]: [2, 2] });

      // All in one turn: one batch.
      const marker = { blockId: 'b1', marker: { level: 'consensus', basis: 'in-room-check' } as const, previous: null, cause: 'set' as const };
      const settled = await Promise.allSettled([
        store.appendUpdates(id, [up(3)], 200),
        store.appendUpdates('doc-f' as DocumentId, [up(4), up(5)], 201),
        store.appendUpdates('doc-k' as DocumentId, [{ ...up(6), markers: [marker] }], 202),
        store.appendUpdates('nope' as DocumentId, [up(7)], 203),
        store.appendUpdates(id, [up(8), up(9)], 204),
        store.appendUpdates('doc-k' as DocumentId, [up(10)], 205),
      ]);
      expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : 'refused'))).toEqual([
        { lastSeq: 3 },
        { lastSeq: 2, statusMove: { from: 'final', to: 'revising' } },
        { lastSeq: 1 },
        'refused',
        { lastSeq: 5 },
        { lastSeq: 2 },
      ]);
      expect((await store.readLog(id)).map((u) => [u.seq, [...u.data]])).toEqual([[1, [1]], [2, [2]], [3, [3]], [4, [8]], [5, [9]]]);
      expect((await store.readLogRecords('doc-f' as DocumentId, 0, 10)).map((u) => [u.seq, [...u.data], u.author, u.createdAt])).toEqual([
        [1, [4], 'u2', 201],
        [2, [5], 'u2', 201],
      ]);
      expect((await store.readLog('doc-k' as DocumentId)).map((u) => [u.seq, [...u.data]])).toEqual([[1, [6]], [2, [10]]]);
      expect(await store.getDocument(id)).toMatchObject({ updatedAt: 204 });
      expect(await store.getDocument('doc-f' as DocumentId)).toMatchObject({ status: 'revising', statusChangedAt: 201, updatedAt: 201 });
      expect(await store.latestMarkerEvents('doc-k' as DocumentId)).toEqual([{ documentId: 'doc-k', blockId: 'b1', level: 'consensus', actorId: 'u2', seq: 1, createdAt: 202 }]);
      // Bindings of every document written, each by its first author (A4).
      expect(await store.loadClientBindings('doc-f' as DocumentId)).toEqual(new Map([[44, 'u2'], [45, 'u2']]));
      expect(await store.loadClientBindings('doc-k' as DocumentId)).toEqual(new Map([[46, 'u2'], [50, 'u2']]));
      expect([...(await store.loadClientBindings(id)).keys()].sort((a, b) => a - b)).toEqual([41, 42, 43, 48, 49]);
      expect(await lastSeqs()).toEqual({ 'doc-f': [2, 2], 'doc-k': [2, 2], [id]: [5, 5] });
    });

    if (!options.instances) return;
    describe('between two instances on one database (issue 15)', () => {
      /** Runs `check` with a second store on its own pool over the same database, as another instance. */
      const withSecond = async (check: (second: SqlDocumentStore) => Promise<void>): Promise<void> => {
        const other = await database.another!();
        const second = new SqlDocumentStore(other);
        try {
          await check(second);
        } finally {
          await second.close();
          await other.close();
        }
      };

      it('appends to one document from both stay numbered without gaps or repeats, and none is lost', async () => {
        await withSecond(async (second) => {
          const writes: Promise<{ lastSeq: number }>[] = [];
          for (let i = 0; i < 40; i++) {
            const by = i % 2 === 0 ? store : second;
            writes.push(by.appendUpdates(id, [{ data: new Uint8Array([i]), author: null, clientIds: [] }, { data: new Uint8Array([i, i]), author: null, clientIds: [] }], 200 + i));
            if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          const ends = (await Promise.all(writes)).map((w) => w.lastSeq).sort((a, b) => a - b);
          expect(new Set(ends).size).toBe(40);
          const log = await store.readLog(id);
          expect(log.map((u) => u.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
          // Each append's two updates are consecutive: its own last seq and the one before.
          const bytes = new Map(log.map((u) => [u.seq, [...u.data]]));
          for (const end of ends) expect(bytes.get(end)!.length).toBe(2);
          for (const end of ends) expect(bytes.get(end - 1)).toEqual([bytes.get(end)![0]]);
        });
      });

      it('I7: two instances asking for a free lease at once: exactly one gets it', async () => {
        await withSecond(async (second) => {
          let token = 0;
          let holder: string | null = null;
          for (let round = 0; round < 10; round++) {
            // Each round the lease has lapsed: both may take it, one does.
            const now = 10_000 * (round + 1);
            const [x, y] = await Promise.all([store.acquireLease(id, 'checkpoint', 'a', now, 1_000), second.acquireLease(id, 'checkpoint', 'b', now, 1_000)]);
            expect([x, y].filter((t) => t !== null)).toHaveLength(1);
            const winner = x !== null ? 'a' : 'b';
            // The token grows exactly when the lease changes hands.
            token += winner === holder ? 0 : 1;
            holder = winner;
            expect(x ?? y).toBe(token);
          }
        });
      });

      it('A4: two instances claiming one client id for two accounts at once: exactly one wins', async () => {
        await withSecond(async (second) => {
          for (let c = 100; c < 120; c++) {
            const [x, y] = await Promise.all([store.claimClientIds(id, 'u1', [c], 300), second.claimClientIds(id, 'u2', [c], 300)]);
            expect([x.size, y.size].sort()).toEqual([0, 1]);
            const winner = x.size === 0 ? 'u1' : 'u2';
            expect((await store.loadClientBindings(id)).get(c)).toBe(winner);
            expect([...x.values(), ...y.values()]).toEqual([winner]);
          }
        });
      });

      it('two owners demoting each other at once through different instances: one wins, an owner remains', async () => {
        await store.setMember(id, { userId: 'u2', role: 'owner', addedBy: 'u1' }, 200);
        await withSecond(async (second) => {
          const results = await Promise.allSettled([
            store.setMember(id, { userId: 'u2', role: 'editor', addedBy: 'u1' }, 300, { keepAnOwner: true }),
            second.removeMember(id, 'u1', { keepAnOwner: true }),
          ]);
          expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(LastOwnerConflict)]);
          expect((await store.listMembers(id)).filter((m) => m.role === 'owner')).toHaveLength(1);
        });
      });

      it('WF1: two instances moving the status from the same state at once: one move applies', async () => {
        await withSecond(async (second) => {
          const [a, b] = await Promise.all([
            store.changeWorkflow(id, { status: { from: 'drafting', to: 'review' } }, [{ actorId: 'u1', action: 'status.changed', details: {} }], 300),
            second.changeWorkflow(id, { status: { from: 'drafting', to: 'final' } }, [{ actorId: 'u1', action: 'status.changed', details: {} }], 300),
          ]);
          expect([a!.applied, b!.applied].sort()).toEqual([false, true]);
          expect((await store.listAudit(id, { limit: 5 })).filter((e) => e.action === 'status.changed')).toHaveLength(1);
        });
      });
    });
  });
}
