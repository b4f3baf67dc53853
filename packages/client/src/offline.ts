/**
 * The copies of documents a browser keeps for offline work, and how to remove
 * them. `connect(…, { offline: true })` stores a document's updates in the
 * IndexedDB database `rapporteur:<documentId>` (y-indexeddb) and the count of
 * changes the server has not confirmed in localStorage under
 * `rapporteur:pending:<documentId>`. Signing out on a shared computer should
 * leave nothing of private documents behind: `clearOfflineCopies`.
 *
 * No Yjs here: the sign-out button imports this without the sync code.
 */

const PREFIX = 'rapporteur:';
const PENDING_PREFIX = `${PREFIX}pending:`;
const OUTBOX_PREFIX = `${PREFIX}comment-outbox:`;
/** Where each document was being read (editor/src/document/readingPosition.ts): says which documents were opened. */
const READING_PREFIX = `${PREFIX}reading-position:`;
/** The names of the databases this browser opened, for browsers without `indexedDB.databases()`. */
export const OFFLINE_COPIES_KEY = `${PREFIX}offline-copies`;

/** The IndexedDB database holding a document's offline copy. */
export function offlineDatabaseName(documentId: string): string {
  return `${PREFIX}${documentId}`;
}

/** The localStorage key of a document's count of unconfirmed changes. */
export function pendingChangesKey(documentId: string): string {
  return `${PENDING_PREFIX}${documentId}`;
}

/**
 * The localStorage key of a document's comment outbox: comments and replies
 * written while offline, sent when the connection returns (a JSON array).
 */
export function commentOutboxKey(documentId: string): string {
  return `${OUTBOX_PREFIX}${documentId}`;
}

type KeyedStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;
type Databases = Pick<IDBFactory, 'deleteDatabase'> & { databases?: IDBFactory['databases'] };

function browserStorage(): KeyedStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (privacy settings, opaque origins)
  }
}

function browserDatabases(): Databases | null {
  return typeof indexedDB === 'undefined' ? null : indexedDB;
}

function trackedNames(storage: KeyedStorage): string[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(OFFLINE_COPIES_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Notes that the app opened `name`, so it can be deleted even where `indexedDB.databases()` is missing. */
export function rememberOfflineCopy(name: string, storage: KeyedStorage | null = browserStorage()): void {
  if (!storage) return;
  const names = trackedNames(storage);
  if (names.includes(name)) return;
  try {
    storage.setItem(OFFLINE_COPIES_KEY, JSON.stringify([...names, name]));
  } catch {
    // storage full or disabled: databases() still finds it where supported
  }
}

function storageKeys(storage: KeyedStorage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) keys.push(key);
  }
  return keys;
}

function outboxLength(value: string | null): number {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

/** How many documents have changes or comments kept in this browser that the server has not confirmed. */
export function documentsWithUnsavedChanges(storage: KeyedStorage | null = browserStorage()): number {
  if (!storage) return 0;
  const documents = new Set<string>();
  for (const key of storageKeys(storage)) {
    if (key.startsWith(PENDING_PREFIX) && Number(storage.getItem(key)) > 0) documents.add(key.slice(PENDING_PREFIX.length));
    if (key.startsWith(OUTBOX_PREFIX) && outboxLength(storage.getItem(key)) > 0) documents.add(key.slice(OUTBOX_PREFIX.length));
  }
  return documents.size;
}

function deleteDatabase(databases: Databases, name: string): Promise<void> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = databases.deleteDatabase(name);
    } catch {
      resolve();
      return;
    }
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    // Still open (this page's editor, another tab): deleted as soon as they close it.
    request.onblocked = () => resolve();
  });
}

/**
 * Deletes every offline copy this browser holds: the `rapporteur:*`
 * IndexedDB databases (listed by `indexedDB.databases()` where the browser
 * has it, and those `rememberOfflineCopy` noted), the `rapporteur:pending:*`
 * counts and the `rapporteur:comment-outbox:*` comments not yet sent. Unsaved
 * changes in them are lost. Resolves with the database names
 * it asked to delete; never rejects.
 */
export async function clearOfflineCopies(
  options: { storage?: KeyedStorage | null; databases?: Databases | null } = {},
): Promise<string[]> {
  const storage = options.storage === undefined ? browserStorage() : options.storage;
  const databases = options.databases === undefined ? browserDatabases() : options.databases;
  const names = new Set(storage ? trackedNames(storage) : []);
  if (databases?.databases) {
    try {
      for (const { name } of await databases.databases()) {
        if (name?.startsWith(PREFIX)) names.add(name);
      }
    } catch {
      // not allowed here: the tracked names are all there is
    }
  }
  if (databases) await Promise.all([...names].map((name) => deleteDatabase(databases, name)));
  if (storage) {
    for (const key of storageKeys(storage)) {
      if (key.startsWith(PENDING_PREFIX) || key.startsWith(OUTBOX_PREFIX) || key.startsWith(READING_PREFIX) || key === OFFLINE_COPIES_KEY) {
        try {
          storage.removeItem(key);
        } catch {
          // keep going
        }
      }
    }
  }
  return [...names].sort();
}
