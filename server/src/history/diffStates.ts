import * as Y from 'yjs';
import type { LogRecord } from '../storage/DocumentStore';

/** One inserted or deleted run of text, attributed to an account id (null: unknown, e.g. before accounts). */
export interface TextChange {
  readonly type: 'insert' | 'delete';
  readonly text: string;
  readonly authorId: string | null;
  /** The `blockId` of the nearest block holding the text, if it has one. */
  readonly block: string | null;
}

/** Who deleted what: per Yjs client, sorted ranges of clocks with the deleting record's author. */
export type Deleters = Map<number, Array<{ clock: number; end: number; order: number; author: string | null }>>;

/**
 * Reads the delete set of every record (in seq order) and keeps, for each
 * deleted range, the first record that deleted it. Decoding the delete sets
 * of all 259,778 records of the automerge-paper trace takes ~0.25 s, so no
 * index is written at append time (tests/bench/RESULTS.md).
 */
export function deletersOf(records: readonly LogRecord[]): Deleters {
  const byClient: Deleters = new Map();
  for (const [order, record] of records.entries()) {
    const { ds } = Y.decodeUpdate(record.data);
    for (const [client, items] of ds.clients) {
      let list = byClient.get(client);
      if (!list) byClient.set(client, (list = []));
      for (const item of items) list.push({ clock: item.clock, end: item.clock + item.len, order, author: record.author });
    }
  }
  for (const list of byClient.values()) list.sort((a, b) => a.clock - b.clock);
  return byClient;
}

function deleterAt(deleters: Deleters, client: number, clock: number): string | null {
  const list = deleters.get(client);
  if (!list) return null;
  // Ranges of different records overlap only when two people deleted the same
  // text concurrently; the first record in log order is the one that deleted it.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.clock <= clock) lo = mid + 1;
    else hi = mid;
  }
  let found: { order: number; author: string | null } | null = null;
  for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
    const r = list[i]!;
    if (clock < r.end && (!found || r.order < found.order)) found = r;
  }
  return found?.author ?? null;
}

/**
 * Every inserted or deleted run of text between `from` and `to`, in the
 * document order of `to`. `to` must be a Y.Doc without garbage collection
 * that contains `from` (a later state of the same log), so deleted text is
 * still in it. An insertion's author is the account its Yjs client id is
 * bound to; a deletion's is the author of the log record that deleted it.
 */
export function diffStates(
  from: Y.Doc,
  to: Y.Doc,
  field: string,
  bindings: ReadonlyMap<number, string>,
  deleters: Deleters,
): TextChange[] {
  const before = Y.snapshot(from);
  const changes: TextChange[] = [];
  let run: { type: 'insert' | 'delete'; chars: string[]; authorId: string | null; block: string | null } | null = null;
  const flush = (): void => {
    if (run && run.chars.length > 0) changes.push({ type: run.type, text: run.chars.join(''), authorId: run.authorId, block: run.block });
    run = null;
  };
  const emit = (type: 'insert' | 'delete', ch: string, authorId: string | null, block: string | null): void => {
    if (!run || run.type !== type || run.authorId !== authorId || run.block !== block) {
      flush();
      run = { type, chars: [], authorId, block };
    }
    run.chars.push(ch);
  };

  const visitText = (text: { _start: Y.Item | null }, block: string | null): void => {
    for (let item = text._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentString)) continue;
      const { client, clock } = item.id;
      const known = before.sv.get(client) ?? 0;
      const str = item.content.str;
      for (let i = 0; i < str.length; i++) {
        const c = clock + i;
        const existed = c < known && !Y.isDeleted(before.ds, Y.createID(client, c));
        if (existed && item.deleted) emit('delete', str[i]!, deleterAt(deleters, client, c), block);
        else if (!existed && !item.deleted && c >= known) emit('insert', str[i]!, bindings.get(client) ?? null, block);
        else flush();
      }
    }
  };

  const visit = (type: { _start: Y.Item | null }, block: string | null): void => {
    for (let item = type._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlText) visitText(child, block);
      else if (child instanceof Y.XmlElement) {
        flush();
        visit(child, blockIdOf(child) ?? block);
        flush();
      }
    }
  };
  visit(to.getXmlFragment(field), null);
  flush();
  return changes;
}

/** The element's `blockId`, read from its attribute item even when the element was deleted. */
function blockIdOf(el: Y.XmlElement): string | null {
  const item = el._map.get('blockId');
  const value = item?.content.getContent()[0];
  return typeof value === 'string' ? value : null;
}
