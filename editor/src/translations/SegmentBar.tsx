import { SEGMENT_STATUSES, type SegmentStatus } from '@rapporteur/protocol';
import { intlLocale } from '@rapporteur/i18n/languages';
import { useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import type { SourceAccess } from './SourcePane';
import type { TranslationController } from './TranslationController';
import { nextToDo } from './translations';

/**
 * The paragraph at the caret of a translation (SPEC LT3–LT5), above the
 * text: where it is among the aligned paragraphs, its status (a radio group
 * its editors change, read as text by others), a warning when its original
 * changed since the status was set, "Copy the original text" for an empty
 * paragraph, "Next paragraph to do", and the counts of the whole document.
 * Changes are said in a polite live region.
 */
export function SegmentBar({ controller, canEdit, source }: { controller: TranslationController; canEdit: boolean; source: { current: SourceAccess | null } }) {
  const { t, i18n } = useTranslation();
  const ids = { legend: useId(), changed: useId() };
  const { view, current, error } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [announcement, setAnnouncement] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  // The status chosen and not yet confirmed by the server, shown at once; requests go one after the other.
  const [pending, setPending] = useState<{ blockId: string; status: SegmentStatus } | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const number = new Intl.NumberFormat(intlLocale(i18n.language));

  const segment = current?.segment ?? null;
  const shown = segment && pending?.blockId === segment.blockId ? pending.status : segment?.status;
  const setStatus = (status: SegmentStatus): void => {
    if (!segment) return;
    const blockId = segment.blockId;
    const choice = { blockId, status };
    setPending(choice);
    setFailure(null);
    queue.current = queue.current.then(async () => {
      try {
        const saved = await controller.setStatus(blockId, status);
        setAnnouncement(t('translations.statusSaved', { status: t(`translations.status.${saved.status}`) }));
      } catch (e) {
        setFailure(t('translations.statusError', { message: errorMessage(e) }));
      } finally {
        setPending((p) => (p === choice ? null : p));
      }
    });
  };

  const goNext = (): void => {
    const next = view ? nextToDo(view.segments, current?.blockId ?? null) : null;
    if (next) controller.jumpTo(next.blockId);
    else setAnnouncement(t('translations.allDone'));
  };

  const addNew = async (): Promise<void> => {
    setFailure(null);
    try {
      const added = await controller.addFromSource();
      setAnnouncement(t('translations.added', { n: number.format(added) }));
    } catch (e) {
      setFailure(t('translations.addError', { message: errorMessage(e) }));
    }
  };

  const copy = (): void => {
    const node = current ? source.current?.block(current.blockId) : null;
    if (node && controller.copySource(node)) setAnnouncement(t('translations.copied'));
  };

  return (
    <div className="segment-bar" role="group" aria-labelledby={ids.legend} data-testid="segment-bar">
      <p className="segment-bar__where">
        <span id={ids.legend} className="segment-bar__label">
          {t('translations.paragraphLabel')}
        </span>{' '}
        <span data-testid="segment-position">
          {!current
            ? t('translations.noParagraph')
            : !segment
              ? t('translations.notAligned')
              : t('translations.position', { n: number.format(current.index + 1), total: number.format(view?.segments.length ?? 0) })}
        </span>
      </p>
      {segment && (
        <div className="segment-bar__status">
          {canEdit ? (
            <fieldset className="segment-bar__choices" aria-busy={pending !== null} data-testid="segment-status">
              <legend>{t('translations.statusLabel')}</legend>
              {SEGMENT_STATUSES.map((status) => (
                <label key={status} className="segment-bar__choice" data-status={status}>
                  <input
                    type="radio"
                    name="segment-status"
                    value={status}
                    checked={shown === status}
                    onChange={() => setStatus(status)}
                    aria-describedby={segment.sourceChanged ? ids.changed : undefined}
                  />{' '}
                  {t(`translations.status.${status}`)}
                </label>
              ))}
            </fieldset>
          ) : (
            <p data-testid="segment-status-text">
              {t('translations.statusLabel')}: {t(`translations.status.${segment.status}`)}
            </p>
          )}
          {segment.sourceChanged && (
            <p id={ids.changed} className="segment-bar__changed notice--warn" data-testid="source-changed">
              {segment.inSource ? t('translations.sourceChanged') : t('translations.notInSource')}
            </p>
          )}
        </div>
      )}
      <div className="segment-bar__actions">
        {canEdit && segment?.inSource && current?.empty && (
          <button type="button" className="button button--small" onClick={copy} data-testid="copy-source">
            {t('translations.copySource')}
          </button>
        )}
        <button type="button" className="button button--small" onClick={goNext} disabled={!view} data-testid="next-to-do">
          {t('translations.next')}
        </button>
      </div>
      {view && (
        <p className="segment-bar__counts" data-testid="segment-counts">
          {t('translations.counts', {
            toTranslate: number.format(view.counts.toTranslate),
            draft: number.format(view.counts.draft),
            reviewed: number.format(view.counts.reviewed),
          })}
          {view.counts.sourceChanged > 0 && <> · {t('translations.countChanged', { n: number.format(view.counts.sourceChanged) })}</>}
          {view.newInSource.length > 0 && (
            <>
              {' · '}
              {t('translations.newInSource', { n: number.format(view.newInSource.length) })}{' '}
              {canEdit && (
                <button type="button" className="button button--small" onClick={() => void addNew()} data-testid="add-new-paragraphs">
                  {t('translations.addNew')}
                </button>
              )}
            </>
          )}
        </p>
      )}
      {error !== null && (
        <p className="notice notice--error" role="alert">
          {t('translations.loadError', { message: errorMessage(error) })}
        </p>
      )}
      {failure && (
        <p className="notice notice--error" role="alert">
          {failure}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
