import type { DocumentId } from '@rapporteur/protocol';
import * as Y from 'yjs';
import type { Clock, TimerHandle } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { CompactedRecord, DocumentStore, Fence, LogRecord } from '../storage/DocumentStore';
import type { History } from './History';

export interface CompactionOptions {
  /** Records stored longer ago than this are compacted; newer ones keep one record per update. 0: never. */
  readonly afterMs: number;
  /** A merged record holds one author's consecutive records stored within this long of its first. */
  readonly windowMs: number;
  /** How often documents are looked at (the first look one interval after start). */
  readonly sweepMs: number;
}

export const DEFAULT_COMPACTION_OPTIONS: CompactionOptions = {
  afterMs: 60 * 60_000,
  windowMs: 5 * 60_000,
  sweepMs: 5 * 60_000,
};

/** Single records read, merged and written per step: one short transaction, then the event loop gets a turn. */
const STEP_RECORDS = 2_000;
/** Documents looked at per sweep; the rest wait for the next one. */
const SWEEP_DOCUMENTS = 50;
/** Pages handed back to the file system per step of `reclaimSpace`. */
const RECLAIM_PAGES = 1_024;
/**
 * An author's run of this many records or more is merged on its own; shorter
 * runs beside one another are merged together, one record per author (a span).
 * 32 keystrokes is about a short sentence: people taking turns at that pace
 * are writing together, and one timeline entry with both names says so.
 */
const MIN_RUN = 32;
/** Most records of one window held at once; a longer window is cut there. */
const WINDOW_RECORDS = 10_000;
/** How long an instance keeps a document's compaction lease (SPEC I7). */
const COMPACTION_LEASE_MS = 10 * 60_000;

/**
 * The records `records` (just applied to `doc`, which held the state
 * `svBefore` before them, with nothing else since) as one update: the
 * structs they added, as `doc` holds them (a run of typed characters is one
 * item, not one per keystroke), and exactly their deletions. Applying it does
 * what applying them did, so a merged record can stand in for them anywhere
 * the log is read (SPEC S2).
 *
 * With `clients`, only the structs of those client ids are taken: in a span
 * several authors wrote in turn (`mergeSpan`), each author's record holds
 * their own structs (a client id is one account's, A4) and their own deletions.
 *
 * Yjs writes an update as its structs then a delete set; it only offers the
 * document's whole delete set with a diff, so the structs are cut from
 * `encodeStateAsUpdate(doc, target)` before the whole delete set (checked
 * byte for byte) and the records' own deletions are put after them. `doc`
 * must hold nothing pending (R10): Yjs then merges the pending parts in.
 */
export function mergeRecords(doc: Y.Doc, svBefore: Uint8Array, records: readonly Pick<LogRecord, 'data'>[], clients?: ReadonlySet<number>): Uint8Array {
  if (hasPending(doc)) throw new Error('cannot merge records while the document holds pending structs');
  const svAfter = Y.encodeStateVector(doc);
  let target = svBefore;
  if (clients) {
    // Every other client as it is now, so none of its structs is written.
    const before = Y.decodeStateVector(svBefore);
    const sv = new Map<number, number>();
    for (const [client, clock] of Y.decodeStateVector(svAfter)) sv.set(client, clients.has(client) ? (before.get(client) ?? 0) : clock);
    target = Y.encodeStateVector(sv);
  }
  const diff = Y.encodeStateAsUpdate(doc, target);
  const wholeDeletions = Y.encodeStateAsUpdate(doc, svAfter); // no structs: 0 clients, then the delete set
  const dsLength = wholeDeletions.byteLength - 1;
  if (wholeDeletions[0] !== 0 || !equalBytes(diff.subarray(diff.byteLength - dsLength), wholeDeletions.subarray(1))) {
    throw new Error('unexpected update layout: this Yjs writes updates differently');
  }
  // Each record without its structs (all in svAfter): its delete set alone; merged, their union.
  const deletions = Y.mergeUpdates(records.map((r) => Y.diffUpdate(r.data, svAfter)));
  if (deletions[0] !== 0) throw new Error('unexpected update layout: structs left after the diff');
  const merged = new Uint8Array(diff.byteLength - dsLength + deletions.byteLength - 1);
  merged.set(diff.subarray(0, diff.byteLength - dsLength));
  merged.set(deletions.subarray(1), diff.byteLength - dsLength);
  return merged;
}

/** The client ids whose structs `data` carries. */
function clientsOf(data: Uint8Array): number[] {
  return [...Y.parseUpdateMeta(data).from.keys()];
}

/**
 * The records of a window (consecutive single records, oldest first) cut
 * into spans, each to become one record per author. An author's run of at
 * least `MIN_RUN` records is a span of its own. Shorter runs beside one
 * another — people writing in turn, a few keystrokes each, where a span per
 * run would merge almost nothing — are cut as finely as one record per author
 * allows: where nobody's runs lie on both sides (A B A C D C is two spans;
 * A then B, one after the other, stays two). A span whose authors share a
 * client id (which A4 does not allow, but the log may hold from before
 * bindings) goes back to one span per run.
 */
export function spansOf(records: readonly LogRecord[]): LogRecord[][] {
  const runs: LogRecord[][] = [];
  for (const r of records) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.author === r.author) last.push(r);
    else runs.push([r]);
  }
  const spans: LogRecord[][] = [];
  let short: LogRecord[][] = [];
  const closeShort = (): void => {
    // Each author's last run; a segment ends at a run past which none of its authors writes again.
    const lastRun = new Map<string | null, number>();
    short.forEach((run, i) => lastRun.set(run[0]!.author, i));
    let start = 0;
    let end = 0;
    short.forEach((run, i) => {
      end = Math.max(end, lastRun.get(run[0]!.author)!);
      if (i < end) return;
      const segment = short.slice(start, i + 1);
      if (segment.length > 1 && sharesClients(segment)) spans.push(...segment);
      else spans.push(segment.flat());
      start = i + 1;
    });
    short = [];
  };
  for (const run of runs) {
    if (run.length >= MIN_RUN) {
      closeShort();
      spans.push(run);
    } else short.push(run);
  }
  closeShort();
  return spans;
}

function sharesClients(runs: readonly LogRecord[][]): boolean {
  const owner = new Map<number, string | null>();
  for (const run of runs) {
    for (const r of run) {
      for (const client of clientsOf(r.data)) {
        const known = owner.get(client);
        if (known === undefined) owner.set(client, r.author);
        else if (known !== r.author) return true;
      }
    }
  }
  return false;
}

/**
 * A span's records (just applied to `doc`, which held `svBefore` before
 * them) as merged records, one per author, each at that author's last seq
 * and all starting at the span's first seq (SPEC S2): no point inside the
 * span stays, and the span's last record ends it.
 */
export function mergeSpan(doc: Y.Doc, svBefore: Uint8Array, span: readonly LogRecord[]): CompactedRecord[] {
  const byAuthor = new Map<string | null, LogRecord[]>();
  for (const r of span) {
    const list = byAuthor.get(r.author);
    if (list) list.push(r);
    else byAuthor.set(r.author, [r]);
  }
  const firstSeq = span[0]!.seq;
  const merged: CompactedRecord[] = [];
  for (const [author, records] of byAuthor) {
    const clients = byAuthor.size === 1 ? undefined : new Set(records.flatMap((r) => clientsOf(r.data)));
    const last = records[records.length - 1]!;
    merged.push({ firstSeq, seq: last.seq, data: mergeRecords(doc, svBefore, records, clients), author, createdAt: last.createdAt, firstCreatedAt: records[0]!.firstCreatedAt });
  }
  return merged.sort((a, b) => a.seq - b.seq);
}

export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** What one document's run did. */
export interface CompactionResult {
  /** Single records replaced. */
  readonly records: number;
  /** Merged records written in their place. */
  readonly merged: number;
  /** The compacted seq the run reached. */
  readonly throughSeq: number;
}

/**
 * Compaction of the update log (SPEC S2, V2): a document's records stored
 * more than `afterMs` ago are merged, per author and time window, into
 * records covering a range of seqs — never across a named version, restore
 * point or publication (all versions), and only where nothing waits for a
 * missing dependency. A window (`windowMs` from its first record) is cut into
 * spans (`spansOf`): an author's long run alone, people writing in turn
 * together, one record per author in either case. Authorship stays: a merged
 * record has its author, its deletions stay attributable to them (V5), and
 * inserted text is attributed through client ids, which merging keeps.
 *
 * Runs walk the log from the document's compacted seq in a Y.Doc without
 * garbage collection (as history rebuilds do), a step of a few thousand
 * records at a time, each step one short transaction. Every `sweepMs` the
 * documents with records old enough are compacted, each under its
 * `compaction` lease when there are other instances (SPEC I7).
 */
export class Compactor {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** With other instances: this instance's lease holder id. */
  leaseHolder: string | null = null;

  constructor(
    private readonly store: DocumentStore,
    private readonly history: History,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly options: CompactionOptions = DEFAULT_COMPACTION_OPTIONS,
  ) {}

  /** Sweeps every `sweepMs` until `stop()` (nothing when `afterMs` is 0). */
  start(): void {
    if (this.options.afterMs <= 0 || this.stopped) return;
    this.timer = this.clock.setTimeout(() => this.tick(), this.options.sweepMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Resolves when no sweep is under way (tests, after moving the clock). */
  async idle(): Promise<void> {
    await this.running;
  }

  private tick(): void {
    this.timer = null;
    // The next sweep is scheduled once this one is over, so moving a test clock far ahead runs one sweep, not thousands.
    void this.sweep().finally(() => {
      if (!this.stopped) this.timer = this.clock.setTimeout(() => this.tick(), this.options.sweepMs);
    });
  }

  /** Compacts the documents that have records old enough (one sweep at a time). */
  sweep(): Promise<void> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    try {
      const ids = await this.store.compactionCandidates(this.clock.now() - this.options.afterMs, SWEEP_DOCUMENTS);
      let compacted = 0;
      for (const id of ids) {
        if (this.stopped) return;
        try {
          if ((await this.compactDocument(id)).records > 0) compacted++;
        } catch (error) {
          this.log.warn({ err: error, documentId: id }, 'compacting the update log failed');
        }
      }
      if (compacted > 0) {
        let freed = 0;
        for (let step; !this.stopped && (step = await this.store.reclaimSpace(RECLAIM_PAGES)) > 0; ) {
          freed += step;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        this.log.info({ documents: compacted, pagesFreed: freed }, 'update logs compacted');
      }
    } catch (error) {
      if (!this.stopped) this.log.warn({ err: error }, 'compaction sweep failed');
    }
  }

  /**
   * Drops the history checkpoints of the compacted log (seq ≤ `uptoSeq`) that
   * its spacing rule would not write (V3): written while the log was single
   * records, one every 10,000 of them, each holding the whole document, they
   * are mostly what a compacted log no longer needs — a rebuild through merged
   * records applies a span at a time. Kept: those at versions, and each one
   * that the records (or bytes) since the last kept one make due.
   */
  private async pruneHistoryCheckpoints(id: DocumentId, uptoSeq: number, fence: Fence | undefined): Promise<void> {
    const spacing = this.history.spacing;
    const drop: number[] = [];
    let records = 0;
    let bytes = 0;
    for (const gap of await this.store.historyCheckpointSpacing(id, uptoSeq)) {
      records += gap.records;
      bytes += gap.bytes;
      if (gap.version || records >= spacing.records || bytes >= spacing.bytes) {
        records = 0;
        bytes = 0;
      } else drop.push(gap.seq);
    }
    await this.store.dropHistoryCheckpoints(id, drop, fence);
  }

  /**
   * Compacts what of `id`'s log is old enough, from its compacted seq on.
   * Stops early (and says how far it got) where a record waits for a
   * missing dependency, when another instance holds the lease, or when
   * another run moved the compacted seq.
   */
  async compactDocument(id: DocumentId): Promise<CompactionResult> {
    const now = this.clock.now();
    let fence: Fence | undefined;
    if (this.leaseHolder !== null) {
      const token = await this.store.acquireLease(id, 'compaction', this.leaseHolder, now, COMPACTION_LEASE_MS);
      if (token === null) return { records: 0, merged: 0, throughSeq: await this.store.compactedSeq(id) };
      fence = { kind: 'compaction', holder: this.leaseHolder, token };
    }
    const cutoff = now - this.options.afterMs;
    const boundaries = new Set((await this.store.listVersions(id)).map((v) => v.seq));
    let from = await this.store.compactedSeq(id);
    const doc = await this.history.stateAt(id, from);
    let replaced = 0;
    let mergedCount = 0;
    try {
      if (hasPending(doc)) return { records: 0, merged: 0, throughSeq: from };
      let pending: CompactedRecord[] = [];
      let stepRecords = 0;
      /** Every record up to here is merged or considered. */
      let through = from;
      /** Single records of the current time window, not applied yet. */
      let window: LogRecord[] = [];
      /** Applies the window span by span, merging each; false where a record waits for a missing dependency (R10). */
      const closeWindow = (): boolean => {
        const spans = spansOf(window);
        window = [];
        for (const span of spans) {
          const svBefore = Y.encodeStateVector(doc);
          for (const r of span) Y.applyUpdate(doc, r.data);
          // What is merged must apply on its own: the span stays as it is, and the run stops before it.
          if (hasPending(doc)) return false;
          if (span.length > 1) {
            pending.push(...mergeSpan(doc, svBefore, span));
            stepRecords += span.length;
          }
          through = span[span.length - 1]!.seq;
        }
        return true;
      };
      const flush = async (): Promise<boolean> => {
        if (through === from) return true;
        if (!(await this.store.compactLog(id, { fromSeq: from, throughSeq: through, records: pending }, fence))) return false;
        replaced += stepRecords;
        mergedCount += pending.length;
        from = through;
        pending = [];
        stepRecords = 0;
        return true;
      };
      let after = from;
      reading: for (;;) {
        if (this.stopped) break;
        const rows = await this.store.readLogRecords(id, after, Number.MAX_SAFE_INTEGER, STEP_RECORDS);
        if (rows.length === 0) break;
        for (const r of rows) {
          if (r.createdAt >= cutoff) break reading;
          const first = window[0];
          const last = window[window.length - 1];
          if (first && (r.firstSeq !== r.seq || r.createdAt - first.createdAt >= this.options.windowMs || boundaries.has(last!.seq) || window.length >= WINDOW_RECORDS)) {
            if (!closeWindow()) break reading;
          }
          if (r.firstSeq !== r.seq) {
            // Merged already (a run interrupted before its step was recorded cannot leave this, but be safe).
            Y.applyUpdate(doc, r.data);
            if (hasPending(doc)) break reading;
            through = r.seq;
            continue;
          }
          window.push(r);
        }
        after = rows[rows.length - 1]!.seq;
        if (stepRecords >= STEP_RECORDS || after - from >= 4 * STEP_RECORDS) {
          if (!(await flush())) return { records: replaced, merged: mergedCount, throughSeq: from };
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // A window cut short by the cutoff closes here (a span that would wait for a missing dependency stays as it is).
      if (window.length > 0 && !hasPending(doc)) closeWindow();
      await flush();
      if (replaced > 0) await this.pruneHistoryCheckpoints(id, from, fence);
      return { records: replaced, merged: mergedCount, throughSeq: from };
    } finally {
      doc.destroy();
    }
  }
}
