import { useEffect } from 'react';

/**
 * Where the person was reading, kept per document in this browser, so a
 * reload (or coming back tomorrow) opens a 100-page paper at the same place
 * (issue 14): the first block whose text is on screen, by its stable id, and
 * how far above the top of the window it starts.
 */
export interface ReadingPosition {
  readonly blockId: string;
  /** Pixels between the top of the window and the top of the block (positive: the block starts above). */
  readonly offset: number;
}

export interface PositionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const readingPositionKey = (documentId: string): string => `rapporteur:reading-position:${documentId}`;

export function loadPosition(storage: PositionStorage, documentId: string): ReadingPosition | null {
  try {
    const parsed = JSON.parse(storage.getItem(readingPositionKey(documentId)) ?? 'null') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { blockId, offset } = parsed as Record<string, unknown>;
    if (typeof blockId !== 'string' || blockId === '' || blockId.length > 200 || typeof offset !== 'number' || !Number.isFinite(offset)) return null;
    return { blockId, offset };
  } catch {
    return null;
  }
}

export function savePosition(storage: PositionStorage, documentId: string, position: ReadingPosition): void {
  try {
    storage.setItem(readingPositionKey(documentId), JSON.stringify(position));
  } catch {
    // Storage full or refused (private mode): the position is a convenience.
  }
}

/** The first top-level block of `root` that reaches below the top of the window. */
export function firstVisibleBlock(root: Element): ReadingPosition | null {
  for (const el of Array.from(root.children)) {
    const id = el.getAttribute('data-block-id');
    if (!id) continue;
    const rect = el.getBoundingClientRect();
    if (rect.bottom > 0) return { blockId: id, offset: -rect.top };
  }
  return null;
}

/**
 * Remembers the reading position of the document in `root` while the person
 * scrolls, and once the text is there (`ready`) brings back the one kept
 * last time — unless the page was opened to show something else (`skip`,
 * e.g. a link to a comment) or the person already scrolled.
 */
export function useReadingPosition(documentId: string, ready: boolean, skip: boolean): void {
  useEffect(() => {
    if (!ready || typeof window === 'undefined') return;
    const storage = window.localStorage;
    const root = (): Element | null => document.querySelector('.ProseMirror');
    const saved = skip ? null : loadPosition(storage, documentId);
    if (saved && window.scrollY === 0) {
      const el = root()?.querySelector(`[data-block-id="${CSS.escape(saved.blockId)}"]`);
      if (el) window.scrollTo({ top: el.getBoundingClientRect().top + window.scrollY + saved.offset, behavior: 'instant' });
    }
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onScroll = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const r = root();
        const position = r ? firstVisibleBlock(r) : null;
        if (position) savePosition(storage, documentId, position);
      }, 400);
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      window.removeEventListener('scroll', onScroll);
      if (timer) clearTimeout(timer);
    };
  }, [documentId, ready, skip]);
}
