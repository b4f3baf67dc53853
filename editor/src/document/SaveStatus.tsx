import type { Connection } from '@rapporteur/client/connect';
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { saveStatusLabel } from './saveStatus';

/**
 * The live "Saved / Saving… / Offline — N changes waiting" line.
 *
 * It changes twice per keystroke (Saving…, then Saved when the server has
 * stored the change), so it is written to the page directly rather than
 * through React: every React commit first measures the focused element's
 * selection, and in a contenteditable React does that by walking the text
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
    const show = (): void => {
      const next = saveStatusLabel(t, connection.status);
      if (next.state === shown.state && next.label === shown.label) return;
      shown = next;
      if (line.current) {
        line.current.className = `save-status save-status--${next.state}`;
        line.current.dataset.state = next.state;
      }
      if (text.current) text.current.textContent = next.label;
    };
    show();
    return connection.subscribe(show);
  }, [connection, t]);

  return (
    <p ref={line} className={`save-status save-status--${initial.state}`} role="status" aria-live="polite" data-testid="save-status" data-state={initial.state}>
      <span className="save-status__dot" aria-hidden="true" />
      <span ref={text}>{initial.label}</span>
    </p>
  );
}
