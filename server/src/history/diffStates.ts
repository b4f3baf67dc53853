import * as Y from 'yjs';
import type { LogRecord } from '../storage/DocumentStore';

/** One inserted or deleted run of text, attributed to an account id (null: unknown, e.g. before accounts). */
export interface TextChange {
  readonly type: 'insert' | 'delete';
  readonly text: string;
  readonly authorId: string | null;
  /** For text that came from an accepted suggestion: the suggestion's author. */
  readonly suggestedById: string | null;
  /** The `blockId` of the nearest block holding the text, if it has one. */
  readonly block: string | null;
  /** The section holding the text: the heading before it (index into the diff's sections), null before any heading. */
  readonly section: number | null;
}

/** A section of the compared text: a heading (as it reads in `to`; its text as it was if the heading itself was deleted). */
export interface DiffSection {
  readonly block: string | null;
  readonly heading: string;
}

export interface TextDiff {
  readonly changes: TextChange[];
  /** Every heading of `to`, in document order (deleted ones included); changes point into it. */
  readonly sections: DiffSection[];
}

/** Who deleted what: per Yjs client, ranges of clocks with the deleting record's order and author. */
export type Deleters = Map<number, Array<{ clock: number; end: number; order: number; author: string | null }>>;

/**
 * Who deleted what in a stretch of the log, from the delete sets of its
 * records. Built while records are applied (a history checkpoint stores the
 * index of the records it adds, V5), or by decoding records directly; parts
 * are added in log order, so `order` tells the first deleter.
 */
export class DeletionIndex {
  private readonly authors: Array<string | null> = [];
  private readonly authorIndex = new Map<string | null, number>();
  /** Flat: client, clock, len, author index, order. */
  private readonly ranges: number[] = [];
  private order = 0;

  /** Adds one log record's deletions. */
  addRecord(record: { readonly data: Uint8Array; readonly author: string | null }): void {
    const { ds } = Y.decodeUpdate(record.data);
    const order = this.order++;
    if (ds.clients.size === 0) return;
    const a = this.author(record.author);
    for (const [client, items] of ds.clients) for (const item of items) this.ranges.push(client, item.clock, item.len, a, order);
  }

  /** Adds an index `encode()` made, as the records that come next in the log. */
  addEncoded(bytes: Uint8Array): void {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { a: Array<string | null>; r: number[]; n: number };
    const base = this.order;
    for (let i = 0; i < parsed.r.length; i += 5) {
      this.ranges.push(parsed.r[i]!, parsed.r[i + 1]!, parsed.r[i + 2]!, this.author(parsed.a[parsed.r[i + 3]!] ?? null), base + parsed.r[i + 4]!);
    }
    this.order += parsed.n;
  }

  encode(): Uint8Array {
    return Buffer.from(JSON.stringify({ a: this.authors, r: this.ranges, n: this.order }));
  }

  toDeleters(): Deleters {
    const byClient: Deleters = new Map();
    for (let i = 0; i < this.ranges.length; i += 5) {
      const client = this.ranges[i]!;
      let list = byClient.get(client);
      if (!list) byClient.set(client, (list = []));
      const clock = this.ranges[i + 1]!;
      list.push({ clock, end: clock + this.ranges[i + 2]!, order: this.ranges[i + 4]!, author: this.authors[this.ranges[i + 3]!] ?? null });
    }
    for (const list of byClient.values()) list.sort((x, y) => x.clock - y.clock || x.order - y.order);
    return byClient;
  }

  private author(id: string | null): number {
    let i = this.authorIndex.get(id);
    if (i === undefined) {
      i = this.authors.push(id) - 1;
      this.authorIndex.set(id, i);
    }
    return i;
  }
}

/** The deletion index of `records`, decoded directly (every record in log order). */
export function deletersOf(records: readonly LogRecord[]): Deleters {
  const index = new DeletionIndex();
  for (const r of records) index.addRecord(r);
  return index.toDeleters();
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
 * document order of `to` (nested types included; a block is the nearest
 * element with a `blockId`). `to` must be a Y.Doc without garbage collection
 * that contains `from` (a later state of the same log), so deleted text is
 * still in it. An insertion's author is the account its Yjs client id is
 * bound to; a deletion's is the author of the log record that deleted it.
 */
export function diffStates(
  from: Y.Doc,
  to: Y.Doc,
  /** The root type compared, e.g. `(doc) => doc.getXmlFragment(BODY_FIELD)`. */
  root: (doc: Y.Doc) => { _start: Y.Item | null },
  bindings: ReadonlyMap<number, string>,
  deleters: Deleters,
  /** Client ids of accepted suggestions' edits → the suggestion's author (from the comment). */
  suggesters: ReadonlyMap<number, string> = new Map(),
): TextDiff {
  const before = Y.snapshot(from);
  const changes: TextChange[] = [];
  const sections: DiffSection[] = [];
  let section: number | null = null;
  let run: { type: 'insert' | 'delete'; chars: string[]; authorId: string | null; suggestedById: string | null; block: string | null } | null =
    null;
  const flush = (): void => {
    if (run && run.chars.length > 0) {
      changes.push({ type: run.type, text: run.chars.join(''), authorId: run.authorId, suggestedById: run.suggestedById, block: run.block, section });
    }
    run = null;
  };
  const emit = (type: 'insert' | 'delete', ch: string, authorId: string | null, suggestedById: string | null, block: string | null): void => {
    if (!run || run.type !== type || run.authorId !== authorId || run.suggestedById !== suggestedById || run.block !== block) {
      flush();
      run = { type, chars: [], authorId, suggestedById, block };
    }
    run.chars.push(ch);
  };

  const visit = (type: { _start: Y.Item | null }, block: string | null): void => {
    for (let item = type._start; item !== null; item = item.right) {
      const content = item.content;
      if (content instanceof Y.ContentType) {
        const child = content.type;
        if (child instanceof Y.XmlElement) {
          flush();
          if (child.nodeName === 'heading') section = sections.push({ block: blockIdOf(child), heading: headingText(child, item.deleted) }) - 1;
          visit(child, blockIdOf(child) ?? block);
          flush();
        } else visit(child, block);
        continue;
      }
      if (!(content instanceof Y.ContentString)) continue;
      const { client, clock } = item.id;
      const known = before.sv.get(client) ?? 0;
      const str = content.str;
      for (let i = 0; i < str.length; i++) {
        const c = clock + i;
        const existed = c < known && !Y.isDeleted(before.ds, Y.createID(client, c));
        if (existed && item.deleted) emit('delete', str[i]!, deleterAt(deleters, client, c), null, block);
        else if (!existed && !item.deleted && c >= known) emit('insert', str[i]!, bindings.get(client) ?? null, suggesters.get(client) ?? null, block);
        else flush();
      }
    }
  };
  visit(root(to), null);
  flush();
  return { changes, sections };
}

/** A heading's text as it reads in the state: its live characters, or all of them when the heading itself is deleted. */
function headingText(el: Y.XmlElement, deleted: boolean): string {
  const parts: string[] = [];
  const collect = (type: { _start: Y.Item | null }): void => {
    for (let item = type._start; item !== null; item = item.right) {
      if (item.content instanceof Y.ContentType) collect(item.content.type);
      else if (item.content instanceof Y.ContentString && (deleted || !item.deleted)) parts.push(item.content.str);
    }
  };
  collect(el);
  return parts.join('').trim();
}

/** The element's `blockId`, read from its attribute item even when the element was deleted. */
function blockIdOf(el: Y.XmlElement): string | null {
  const item = el._map.get('blockId');
  const value = item?.content.getContent()[0];
  return typeof value === 'string' ? value : null;
}
