import { anchorAt, SEGMENT_SELECTOR } from './translations';

/** How far below the top of the visible text the two columns are lined up (px). */
const MARGIN = 8;


/**
 * Keeps the original's pane and the translation scrolling together (SPEC
 * LT2's side by side): whichever the person scrolls — the page (the
 * translation) or the pane (the original, its own scroll box) — the other
 * follows so that the paragraph at the top of one is at the same height in
 * the other, aligned by block id. A paragraph the translator added has no
 * counterpart: the nearest one before it is used. The side the person last
 * touched leads; the other's scroll events are never followed back.
 *
 * `text` is the translation's text element, `chrome` what is pinned above
 * it (the toolbar): the line they are lined up on is just below it. Returns
 * `align`, to line the pane up with the page now (once the original has
 * loaded, after a resize), and `dispose`.
 */
export function syncScroll(pane: HTMLElement, text: () => HTMLElement | null, chrome: () => HTMLElement | null): { align: () => void; dispose: () => void } {
  let frame = 0;
  let pending: 'page' | 'pane' | null = null;

  const line = (): number => {
    const pinned = chrome()?.getBoundingClientRect().bottom ?? 0;
    return Math.max(pinned, pane.getBoundingClientRect().top, 0) + MARGIN;
  };

  const blocks = (root: ParentNode): HTMLElement[] => Array.from(root.querySelectorAll<HTMLElement>(SEGMENT_SELECTOR));

  /** The block of `list` the line crosses and how far into it, with the first of `list` (from there back) that `other` has. */
  const anchor = (list: readonly HTMLElement[], y: number, other: ReadonlyMap<string, HTMLElement>) => {
    const found = anchorAt(list.length, (i) => list[i]!.getBoundingClientRect(), y);
    if (!found) return null;
    for (let i = found.index; i >= 0; i--) {
      const counterpart = other.get(list[i]!.dataset['blockId'] ?? '');
      // A paragraph only this side has: line up the start of the nearest one before it.
      if (counterpart) return { counterpart, fraction: i === found.index ? found.fraction : 1 };
    }
    return null;
  };

  const byId = (list: readonly HTMLElement[]): Map<string, HTMLElement> => new Map(list.map((el) => [el.dataset['blockId'] ?? '', el]));

  /** The page moved: bring the pane's counterpart of the top paragraph to the same height. */
  const followPage = (): void => {
    const root = text();
    if (!root) return;
    const y = line();
    const found = anchor(blocks(root), y, byId(blocks(pane)));
    if (!found) return;
    const r = found.counterpart.getBoundingClientRect();
    const delta = r.top + found.fraction * r.height - y;
    if (Math.abs(delta) < 1) return;
    pane.scrollTop += delta;
  };

  /** The pane moved: scroll the page so the translation of its top paragraph is at the same height. */
  const followPane = (): void => {
    const root = text();
    if (!root) return;
    const y = line();
    const found = anchor(blocks(pane), y, byId(blocks(root)));
    if (!found) return;
    const r = found.counterpart.getBoundingClientRect();
    const delta = r.top + found.fraction * r.height - y;
    if (Math.abs(delta) < 1) return;
    window.scrollBy(0, delta);
  };

  const schedule = (who: 'page' | 'pane'): void => {
    pending = who;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const which = pending;
      pending = null;
      if (which === 'page') followPage();
      else if (which === 'pane') followPane();
    });
  };

  // The side the person last touched (wheel, pointer, touch, key) leads; the other only follows, and
  // its scroll events — ours, or a smooth scroll still settling — are not followed back.
  let leader: 'page' | 'pane' = 'page';
  const toPane = (): void => {
    leader = 'pane';
  };
  const toPage = (event: Event): void => {
    if (!(event.target instanceof Node && pane.contains(event.target))) leader = 'page';
  };
  const onPage = (): void => {
    if (leader === 'page') schedule('page');
  };
  const onPane = (): void => {
    if (leader === 'pane') schedule('pane');
  };
  const onResize = (): void => schedule(leader);
  const inputs = ['wheel', 'pointerdown', 'touchstart', 'keydown'] as const;

  window.addEventListener('scroll', onPage, { passive: true });
  pane.addEventListener('scroll', onPane, { passive: true });
  window.addEventListener('resize', onResize);
  for (const type of inputs) {
    pane.addEventListener(type, toPane, { capture: true, passive: true });
    window.addEventListener(type, toPage, { capture: true, passive: true });
  }
  return {
    align: () => schedule('page'),
    dispose: () => {
      window.removeEventListener('scroll', onPage);
      pane.removeEventListener('scroll', onPane);
      window.removeEventListener('resize', onResize);
      for (const type of inputs) {
        pane.removeEventListener(type, toPane, { capture: true });
        window.removeEventListener(type, toPage, { capture: true });
      }
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
