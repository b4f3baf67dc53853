import { describe, expect, it } from 'vitest';
import {
  clearOfflineCopies,
  commentOutboxKey,
  documentsWithUnsavedChanges,
  OFFLINE_COPIES_KEY,
  offlineDatabaseName,
  pendingChangesKey,
  rememberOfflineCopy,
} from './offline';

/** localStorage's interface over a Map. */
function memoryStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

/** indexedDB's deleteDatabase (and optionally databases()) over a set of names; `open` names answer "blocked". */
function memoryDatabases(names: string[], { listable = true, open = [] as string[] } = {}) {
  const existing = new Set(names);
  const deleted: string[] = [];
  const factory = {
    deleteDatabase(name: string) {
      const request = {} as IDBOpenDBRequest;
      setTimeout(() => {
        deleted.push(name);
        existing.delete(name);
        const handler = open.includes(name) ? request.onblocked : request.onsuccess;
        (handler as ((e: Event) => void) | null)?.(new Event('x'));
      }, 0);
      return request;
    },
    ...(listable ? { databases: async () => [...existing].map((name) => ({ name, version: 1 })) } : {}),
  };
  return { factory, deleted, existing };
}

describe('offline copies', () => {
  it('names the database and the pending count as connect() uses them', () => {
    expect(offlineDatabaseName('abc')).toBe('rapporteur:abc');
    expect(pendingChangesKey('abc')).toBe('rapporteur:pending:abc');
  });

  it('remembers each opened database once', () => {
    const storage = memoryStorage();
    rememberOfflineCopy('rapporteur:a', storage);
    rememberOfflineCopy('rapporteur:b', storage);
    rememberOfflineCopy('rapporteur:a', storage);
    expect(JSON.parse(storage.getItem(OFFLINE_COPIES_KEY)!)).toEqual(['rapporteur:a', 'rapporteur:b']);
  });

  it('deletes every rapporteur:* database the browser lists and the pending counts, and keeps everything else', async () => {
    const storage = memoryStorage({
      'rapporteur:pending:a': '2',
      'rapporteur:pending:b': '0',
      'rapporteur:comment-outbox:a': '[{"body":"not sent yet"}]',
      'rapporteur:identity': '{"name":"Amina","color":"#1a5fb4"}',
      'other-app': 'x',
    });
    const { factory, deleted, existing } = memoryDatabases(['rapporteur:a', 'rapporteur:b', 'other-app-db']);
    expect(await clearOfflineCopies({ storage, databases: factory })).toEqual(['rapporteur:a', 'rapporteur:b']);
    expect(deleted.sort()).toEqual(['rapporteur:a', 'rapporteur:b']);
    expect([...existing]).toEqual(['other-app-db']);
    expect([...storage.map.keys()].sort()).toEqual(['other-app', 'rapporteur:identity']);
  });

  it('falls back to the remembered names where indexedDB.databases() is missing', async () => {
    const storage = memoryStorage();
    rememberOfflineCopy('rapporteur:a', storage);
    const { factory, deleted } = memoryDatabases(['rapporteur:a', 'rapporteur:unknown'], { listable: false });
    expect(await clearOfflineCopies({ storage, databases: factory })).toEqual(['rapporteur:a']);
    expect(deleted).toEqual(['rapporteur:a']);
    expect(storage.getItem(OFFLINE_COPIES_KEY)).toBeNull();
  });

  it('does not wait for a database still open elsewhere (it is deleted once closed)', async () => {
    const { factory, deleted } = memoryDatabases(['rapporteur:a'], { open: ['rapporteur:a'] });
    await clearOfflineCopies({ storage: memoryStorage(), databases: factory });
    expect(deleted).toEqual(['rapporteur:a']);
  });

  it('works without storage or IndexedDB (Node, disabled storage)', async () => {
    expect(await clearOfflineCopies({ storage: null, databases: null })).toEqual([]);
    expect(documentsWithUnsavedChanges(null)).toBe(0);
  });

  it('counts the documents with unconfirmed changes', () => {
    const storage = memoryStorage({ 'rapporteur:pending:a': '3', 'rapporteur:pending:b': '0', 'rapporteur:pending:c': '1', x: '5' });
    expect(documentsWithUnsavedChanges(storage)).toBe(2);
  });

  it('counts documents with comments waiting in the outbox, once per document', () => {
    expect(commentOutboxKey('abc')).toBe('rapporteur:comment-outbox:abc');
    const storage = memoryStorage({
      'rapporteur:pending:a': '1',
      [commentOutboxKey('a')]: '[{}]',
      [commentOutboxKey('b')]: '[{},{}]',
      [commentOutboxKey('c')]: '[]',
      [commentOutboxKey('d')]: 'not json',
    });
    expect(documentsWithUnsavedChanges(storage)).toBe(2);
  });
});
