import type { DocumentId } from '@rapporteur/protocol';
import * as Y from 'yjs';
import type { Logger } from '../lib/logger';
import type { Clock, TimerHandle } from '../lib/clock';
import type { DocumentStore, LogRecord } from '../storage/DocumentStore';
import { type Deleters, DeletionIndex } from './diffStates';

export interface HistoryOptions {
  /**
   * A history checkpoint is written once this many log records, or this many
   * bytes of them, follow the previous one (V3). 10,000 records keep every
   * rebuild of the automerge-paper trace under ~0.35 s for about the log's
   * own size in storage (tests/bench/RESULTS.md).
   */
  readonly checkpointEveryRecords: number;
  readonly checkpointEveryBytes: number;
  /**
   * Background history checkpoints wait until the document has stored
   * nothing for this long, so that building them (tens of µs of CPU per
   * record) never competes with live typing for the event loop…
   */
  readonly quietMs?: number;
  /** …but not longer than this after the first store that made one due, so a document that is never quiet still gets them. */
  readonly maxWaitMs?: number;
}

/** How long an instance keeps a document's history lease (SPEC I7). */
const HISTORY_LEASE_MS = 5 * 60_000;

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  checkpointEveryRecords: 10_000,
  checkpointEveryBytes: 4 * 1024 * 1024,
  quietMs: 5_000,
  maxWaitMs: 120_000,
};

/** Log records read and applied per step; the event loop gets a turn between steps. */
const READ_CHUNK = 2_000;

/**
 * Point-in-time states of a document, rebuilt from the stored log (never from
 * a room's Y.Doc, which runs with garbage collection on and has lost deleted
 * text). State at seq s = the nearest history checkpoint ≤ s + the log
 * records after it up to s (SPEC V3). Rebuilding past a spacing boundary
 * writes the history checkpoint there, so each stretch of the log is merged
 * once; `noteStored` does the same in the background as a document grows.
 */
export class History {
  private readonly lastCheckpoint = new Map<DocumentId, number>();
  private readonly running = new Map<DocumentId, Promise<void>>();
  /** Background runs waiting for a quiet moment: the newest stored seq, when the wait began, the timer. */
  private readonly waiting = new Map<DocumentId, { seq: number; since: number; timer: TimerHandle }>();
  private closed = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: HistoryOptions = DEFAULT_HISTORY_OPTIONS,
  ) {}

  /** How far apart spacing checkpoints are (V3): compaction prunes the ones its merged log no longer needs by the same rule. */
  get spacing(): { readonly records: number; readonly bytes: number } {
    return { records: this.options.checkpointEveryRecords, bytes: this.options.checkpointEveryBytes };
  }

  /**
   * A Y.Doc (gc off: deleted content kept) holding exactly the log records
   * with seq ≤ `seq`. Writes history checkpoints at the spacing boundaries it
   * passes. The caller owns (and destroys) the doc.
   */
  async stateAt(id: DocumentId, seq: number): Promise<Y.Doc> {
    return (await this.build(id, seq)).doc;
  }

  /**
   * `seq` if the log holds that point, else the start of the compacted span it fell inside (S2): a history entry's id
   * taken before compaction merged it with others then names the state before that span, whose records all come after.
   */
  async pointAtOrBefore(id: DocumentId, seq: number): Promise<number> {
    const [next] = await this.store.readLogRecords(id, seq, Number.MAX_SAFE_INTEGER, 1);
    return next && next.firstSeq <= seq ? next.firstSeq - 1 : seq;
  }

  /** Writes a history checkpoint at `seq` (a named version: a boundary a rebuild often starts from). */
  async checkpointAt(id: DocumentId, seq: number): Promise<void> {
    if (seq === 0) return;
    const existing = await this.store.historyCheckpointAtOrBefore(id, seq);
    if (existing?.seq === seq) return;
    const built = await this.build(id, seq);
    try {
      // The rebuild wrote it itself when `seq` is a spacing boundary (its deletions then start at `seq`).
      if (built.deletions.fromSeq === seq) return;
      await this.checkpointFrom(id, built.doc, seq, built.deletions);
    } finally {
      built.doc.destroy();
    }
  }

  /**
   * Who deleted what in the records `fromSeq < s <= toSeq`: the deletion
   * indexes of the history checkpoints that chain through the range, and the
   * records' own delete sets where none does (V5).
   */
  async deletionsBetween(id: DocumentId, fromSeq: number, toSeq: number): Promise<Deleters> {
    const index = new DeletionIndex();
    const stored = await this.store.listHistoryDeletions(id, fromSeq, toSeq);
    let pos = fromSeq;
    while (pos < toSeq) {
      // The longest stored stretch starting here; else decode up to where the next one starts.
      let best: (typeof stored)[number] | undefined;
      for (const d of stored) if (d.fromSeq === pos && (!best || d.seq > best.seq)) best = d;
      if (best) {
        index.addEncoded(best.index);
        pos = best.seq;
        continue;
      }
      const nextStart = Math.min(toSeq, ...stored.filter((d) => d.fromSeq > pos).map((d) => d.fromSeq));
      for (const r of await this.store.readLogRecords(id, pos, nextStart)) index.addRecord(r);
      pos = nextStart;
    }
    return index.toDeleters();
  }

  /**
   * The state at `seq`, and the deletion index of the records applied since
   * the last history checkpoint written (or read) on the way.
   */
  private async build(id: DocumentId, seq: number): Promise<{ doc: Y.Doc; deletions: { fromSeq: number; index: DeletionIndex } }> {
    const doc = new Y.Doc({ gc: false });
    const cp = seq > 0 ? await this.store.historyCheckpointAtOrBefore(id, seq) : null;
    if (cp) Y.applyUpdate(doc, cp.data);
    let deletions = { fromSeq: cp?.seq ?? 0, index: new DeletionIndex() };
    let records = 0;
    let bytes = 0;
    let after = cp?.seq ?? 0;
    /**
     * A spacing checkpoint is due: written at the next point the log holds — `after`, once the record that follows it
     * does not start at or before it (inside a span several authors wrote, S2, the state is no point in history).
     */
    const due = (): boolean => records >= this.options.checkpointEveryRecords || bytes >= this.options.checkpointEveryBytes;
    const checkpointHere = async (): Promise<void> => {
      if (await this.checkpointFrom(id, doc, after, deletions)) {
        records = 0;
        bytes = 0;
        deletions = { fromSeq: after, index: new DeletionIndex() };
      }
    };
    /**
     * The records of one compacted span (S2: they share a first seq, one per author) are applied as one update. Apart,
     * each author's record waits in Yjs for structs the next one brings (R10) and every later apply retries what waits:
     * on the automerge-paper trace typed by two people in turns, the last third of the log took 430–610 ms to apply
     * record by record and 70–160 ms span by span (tests/bench/RESULTS.md, compaction-two-authors). A single record is
     * a span of one.
     */
    let span: LogRecord[] = [];
    const applySpan = (): void => {
      if (span.length === 0) return;
      Y.applyUpdate(doc, span.length === 1 ? span[0]!.data : Y.mergeUpdates(span.map((r) => r.data)));
      for (const r of span) {
        deletions.index.addRecord(r);
        records++;
        bytes += r.data.byteLength;
      }
      after = span[span.length - 1]!.seq;
      span = [];
    };
    let read = after;
    while (read < seq) {
      const rows = await this.store.readLogRecords(id, read, seq, READ_CHUNK);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (span.length > 0 && row.firstSeq !== span[0]!.firstSeq) {
          applySpan();
          // `after` now ends a span: a point the log holds.
          if (due()) await checkpointHere();
        }
        span.push(row);
        read = row.seq;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    applySpan();
    if (due() && after > 0) {
      const [next] = await this.store.readLogRecords(id, after, Number.MAX_SAFE_INTEGER, 1);
      if (!next || next.firstSeq > after) await checkpointHere();
    }
    return { doc, deletions };
  }

  /**
   * The room stored records up to `seq`: when enough have accumulated since
   * the last history checkpoint, extend them in the background once the
   * document is quiet (`quietMs` without a store, at most `maxWaitMs` after
   * it became due), one run per document at a time. Failures are logged; the
   * next call retries.
   */
  noteStored(id: DocumentId, seq: number): void {
    if (this.closed) return;
    const known = this.lastCheckpoint.get(id);
    if (known !== undefined && seq - known < this.options.checkpointEveryRecords) return;
    const now = this.clock.now();
    const waiting = this.waiting.get(id);
    if (waiting) this.clock.clearTimeout(waiting.timer);
    const since = waiting?.since ?? now;
    const quiet = this.options.quietMs ?? 0;
    const delay = Math.max(0, Math.min(quiet, since + (this.options.maxWaitMs ?? quiet) - now));
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(id);
      this.extend(id, seq);
    }, delay);
    this.waiting.set(id, { seq, since, timer });
  }

  /**
   * With other instances (issue 15): this instance's lease holder id. The
   * background extension then runs only under the document's `history`
   * lease, so one instance computes it (SPEC I7); history checkpoints are the
   * same bytes whoever computes them, so a late one is harmless (kept once).
   */
  leaseHolder: string | null = null;

  /** Extends the history checkpoints of `id` up to `seq` (one run per document at a time). */
  private extend(id: DocumentId, seq: number): void {
    if (this.closed || this.running.has(id)) return;
    const known = this.lastCheckpoint.get(id);
    const run = (async () => {
      if (this.leaseHolder !== null && (await this.store.acquireLease(id, 'history', this.leaseHolder, this.clock.now(), HISTORY_LEASE_MS)) === null) return;
      const last = known ?? (await this.store.lastHistoryCheckpointSeq(id));
      this.lastCheckpoint.set(id, Math.max(last, this.lastCheckpoint.get(id) ?? 0));
      if (seq - last < this.options.checkpointEveryRecords) return;
      (await this.stateAt(id, seq)).destroy();
    })()
      .catch((error: unknown) => {
        if (!this.closed) this.log.warn({ err: error, documentId: id }, 'extending history checkpoints failed');
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** Waits for background work; nothing new starts afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
    await Promise.all([...this.running.values()]);
  }

  /**
   * Stores `doc` as the history checkpoint at `seq`. Records Yjs holds aside
   * for a missing dependency (R10) are part of it: `encodeStateAsUpdate`
   * includes pending structs and deletes, so skipping such points would let
   * one never-resolved record stop history checkpoints for good.
   */
  private async checkpointFrom(id: DocumentId, doc: Y.Doc, seq: number, deletions: { fromSeq: number; index: DeletionIndex }): Promise<boolean> {
    await this.store.writeHistoryCheckpoint(id, seq, Y.encodeStateAsUpdate(doc), this.clock.now(), {
      fromSeq: deletions.fromSeq,
      index: deletions.index.encode(),
    });
    this.lastCheckpoint.set(id, Math.max(seq, this.lastCheckpoint.get(id) ?? 0));
    return true;
  }
}
