import type { Connection, SaveState } from '@rapporteur/client/connect';
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { holdSaved, saveStatusLabel } from './saveStatus';

/**
 * The live "Saved / Saving… / Offline — N changes waiting" line.
 *
 * It would change twice per keystroke (Saving…, then Saved when the server
 * has stored the change): "Saved" waits until typing pauses (`holdSaved`).
 * The line is written to the page directly rather than through React: every
 * React commit first measures the focused element's selection, and in a
 * contenteditable React does that by walking the text
 * from its start to the caret — on page 50 of a 100-page paper, half the
 * document, twice per key (issue 14, `pnpm bench:typing`). React renders the
 * line once; the subscription below keeps it true.
 */
export function SaveStatus({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const line = useRef<HTMLParagraphElement | null>(null);
  const text = useRef<HTMLSpanElement | null>(null);
  const initial = saveStatusLabel(t, connection.status);

  useLayoutEffect(() => {
    let shown = { state: '', label: '' };
    const held = holdSaved<{ state: SaveState; label: string }>(
      (next) => {
        if (next.state === shown.state && next.label === shown.label) return;
        shown = next;
        if (line.current) line.current.className = `save-status save-status--${next.state}`;
        if (text.current) text.current.textContent = next.label;
      },
      { set: (callback, ms) => window.setTimeout(callback, ms), clear: (handle) => window.clearTimeout(handle) },
    );
    const show = (): void => {
      const next = saveStatusLabel(t, connection.status);
      // The state itself at once (the test hook; nothing is styled by it), the words and the dot as `holdSaved` says.
      if (line.current) line.current.dataset.state = next.state;
      held.update(next);
    };
    show();
    const unsubscribe = connection.subscribe(show);
    return () => {
      unsubscribe();
      held.dispose();
    };
  }, [connection, t]);

  return (
    <p ref={line} className={`save-status save-status--${initial.state}`} role="status" aria-live="polite" data-testid="save-status" data-state={initial.state}>
      <span className="save-status__dot" aria-hidden="true" />
      <span ref={text}>{initial.label}</span>
    </p>
  );
}
