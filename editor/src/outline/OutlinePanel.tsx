import { intlLocale } from '@rapporteur/i18n/languages';
import { useId, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutlineController } from './OutlineController';

/**
 * The outline: every heading of the document, indented by level, the section
 * holding the caret marked as the current location; choosing one moves the
 * caret there. Word and character counts below.
 */
export function OutlinePanel({ controller, onClose }: { controller: OutlineController; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const { entries, current, counts } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const number = new Intl.NumberFormat(intlLocale(i18n.language));
  return (
    <nav
      className="side-panel outline-panel"
      aria-labelledby={headingId}
      data-testid="outline-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="side-panel__header">
        <h2 id={headingId} className="side-panel__title">
          {t('outline.heading')}
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="outline-close">
          {t('outline.close')}
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="comments-panel__empty" data-testid="outline-empty">
          {t('outline.empty')}
        </p>
      ) : (
        <ol className="outline-list">
          {entries.map((entry, index) => (
            <li key={entry.blockId ?? `at-${entry.pos}`} className={`outline-list__item outline-list__item--level-${Math.min(entry.level, 4)}`}>
              <button
                type="button"
                className="outline-list__link"
                aria-current={index === current ? 'location' : undefined}
                disabled={entry.blockId === null}
                onClick={() => entry.blockId !== null && controller.jumpTo(entry.blockId)}
                data-testid="outline-entry"
                data-level={entry.level}
              >
                {entry.text || t('outline.untitled')}
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="outline-panel__counts" data-testid="outline-counts">
        {counts ? t('outline.counts', { words: number.format(counts.words), characters: number.format(counts.characters), count: counts.words }) : t('outline.counting')}
      </p>
    </nav>
  );
}
