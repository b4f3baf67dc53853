import { LRUCache } from 'lru-cache';
import type { ReaderText } from './readerPage';

/** What the cache may hold, in bytes of its strings (counted at two a character, as V8 may store them). */
export const READER_TEXT_CACHE_BYTES = 16 * 1024 * 1024;

interface Entry {
  readonly seq: number;
  readonly text: ReaderText;
}

/**
 * The rendered text of documents' reader pages (SPEC N4), one entry per
 * document and language, valid for one seq of its log.
 *
 * The state of a document at a seq is a function of its log up to that seq
 * (whoever applies it, compacted or not), so a render made at that seq is
 * that of anyone reading it there; an edit moves the seq and the next read
 * replaces the entry. Only a text without citations is kept: a citation
 * reads as a link or as "source not public" depending on who reads (SPEC
 * EV10). Who may read is asked on every request before the cache is.
 *
 * Why: rendering a 100-page paper took 45–60 ms of the event loop per
 * request (ProseMirror JSON from the Y.Doc, then HTML), which every reader
 * opening a shared report link paid again, and every other document's
 * sockets waited out.
 */
export class ReaderTextCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(maxBytes = READER_TEXT_CACHE_BYTES) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: (e) => Math.max(1, 2 * (e.text.mainHtml.length + e.text.blockOptionsHtml.length)),
    });
  }

  /** The text of document `id` in `language` at `seq`, if rendered there. */
  get(id: string, language: string, seq: number): ReaderText | null {
    const entry = this.entries.get(key(id, language));
    return entry && entry.seq === seq ? entry.text : null;
  }

  /** Keeps `text` as the document's at `seq` (a text larger than the whole cache is not kept). */
  set(id: string, language: string, seq: number, text: ReaderText): void {
    this.entries.set(key(id, language), { seq, text });
  }

  get size(): number {
    return this.entries.size;
  }
}

function key(id: string, language: string): string {
  return `${id}\u0000${language}`;
}
