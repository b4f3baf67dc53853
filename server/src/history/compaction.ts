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
/** How long an instance keeps a document's compaction lease (SPEC I7). */
const COMPACTION_LEASE_MS = 10 * 60_000;

/**
 * The records `records` (consecutive, just applied to `doc`, which held the
 * state `svBefore` before them) as one update: the structs they added, as
 * `doc` holds them (a run of typed characters is one item, not one per
 * keystroke), and exactly their deletions. Applying it does what applying
 * them did, so a merged record can stand in for them anywhere the log is
 * read (SPEC S2).
 *
 * Yjs writes an update as its structs then a delete set; it only offers the
 * document's whole delete set with a diff, so the structs are cut from
 * `encodeStateAsUpdate(doc, svBefore)` before the whole delete set (checked
 * byte for byte) and the records' own deletions are put after them. `doc`
 * must hold nothing pending (R10): Yjs then merges the pending parts in.
 */
export function mergeRecords(doc: Y.Doc, svBefore: Uint8Array, records: readonly Pick<LogRecord, 'data'>[]): Uint8Array {
  if (hasPending(doc)) throw new Error('cannot merge records while the document holds pending structs');
  const diff = Y.encodeStateAsUpdate(doc, svBefore);
  const svAfter = Y.encodeStateVector(doc);
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

interface Group {
  readonly author: string | null;
  readonly startAt: number;
  readonly svBefore: Uint8Array;
  readonly records: LogRecord[];
}

/**
 * Compaction of the update log (SPEC S2, V2): a document's records stored
 * more than `afterMs` ago are merged, per author and time window, into
 * records covering a range of seqs — never across a named version, restore
 * point or publication (all versions), and only where nothing waits for a
 * missing dependency. Authorship stays: a merged record has its author, its
 * deletions stay attributable to them (V5), and inserted text is attributed
 * through client ids, which merging keeps.
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
      let group: Group | null = null;
      let pending: CompactedRecord[] = [];
      let stepRecords = 0;
      /** Every record up to here is merged or considered. */
      let through = from;
      const close = (): void => {
        if (!group) return;
        const last = group.records[group.records.length - 1]!;
        if (group.records.length > 1) {
          const data = mergeRecords(doc, group.svBefore, group.records);
          const first = group.records[0]!;
          pending.push({ firstSeq: first.seq, seq: last.seq, data, author: group.author, createdAt: last.createdAt, firstCreatedAt: first.firstCreatedAt });
          stepRecords += group.records.length;
        }
        through = last.seq;
        group = null;
      };
      const flush = async (): Promise<boolean> => {
        if (through === from) return true;
        if (!(await this.store.compactLog(id, { fromSeq: from, throughSeq: through, records: pending }, fence))) return false;
        for (const r of pending) replaced += r.seq - r.firstSeq + 1;
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
          const current = group as Group | null;
          if (current && (r.firstSeq !== r.seq || r.author !== current.author || r.createdAt - current.startAt >= this.options.windowMs || boundaries.has(current.records[current.records.length - 1]!.seq))) {
            close();
          }
          // The state before a group is needed only where one starts.
          const svBefore: Uint8Array | null = (group as Group | null) ? null : Y.encodeStateVector(doc);
          Y.applyUpdate(doc, r.data);
          // A record waiting for a missing dependency (R10) stops the run before its group: what is merged must apply on its own.
          if (hasPending(doc)) break reading;
          if (r.firstSeq !== r.seq) {
            through = r.seq; // merged already (a run interrupted before its step was recorded cannot leave this, but be safe)
            continue;
          }
          if (!group) group = { author: r.author, startAt: r.createdAt, svBefore: svBefore!, records: [] };
          group.records.push(r);
        }
        after = rows[rows.length - 1]!.seq;
        if (stepRecords >= STEP_RECORDS || after - from >= 4 * STEP_RECORDS) {
          if (!(await flush())) return { records: replaced, merged: mergedCount, throughSeq: from };
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // A group cut short by the cutoff closes here; a group cut by a pending record is dropped (its records stay as they are).
      if (!hasPending(doc)) close();
      await flush();
      return { records: replaced, merged: mergedCount, throughSeq: from };
    } finally {
      doc.destroy();
    }
  }
}
