import type { ApiClient } from '@rapporteur/client/http';
import type { MarkerView } from '@rapporteur/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { errorMessage } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { stakeholderLabelKeys } from '../stakeholder/stakeholder';
import { consensusTranslate } from './consensus';
import type { ConsensusController } from './ConsensusController';

type Load = { kind: 'loading' } | { kind: 'ready'; markers: MarkerView[] } | { kind: 'error'; message: string };

/** How long the text must be quiet before the list is asked for again (the server stores an edit first). */
const REFRESH_AFTER_MS = 800;
/** While others keep typing, the list is still asked for at least this often. */
const REFRESH_AT_LEAST_MS = 5000;

/**
 * The consensus summary of the open document: every marked passage in
 * document order with its level, basis and views, who set it and when (from
 * the server's records), and a button that moves the caret to it. Follows
 * the text: asks again once edits have been quiet for a moment (and at least
 * every 5 s while they go on).
 */
export function ConsensusPanel({
  api,
  documentId,
  doc,
  controller,
  onClose,
}: {
  api: ApiClient;
  documentId: string;
  doc: Y.Doc;
  controller: ConsensusController;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const ct = consensusTranslate(t);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [gone, setGone] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    let cancelled = false;
    api.markers(documentId).then(
      (markers) => !cancelled && setLoad({ kind: 'ready', markers }),
      (error: unknown) => !cancelled && setLoad({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, attempt]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstPending: number | null = null;
    const refresh = (): void => {
      firstPending = null;
      setAttempt((n) => n + 1);
    };
    const onUpdate = (): void => {
      const now = Date.now();
      firstPending ??= now;
      clearTimeout(timer);
      timer = setTimeout(refresh, Math.max(0, Math.min(REFRESH_AFTER_MS, firstPending + REFRESH_AT_LEAST_MS - now)));
    };
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc]);

  const count = load.kind === 'ready' ? load.markers.length : null;
  return (
    <aside className="consensus-panel" aria-labelledby={headingId} data-testid="consensus-panel">
      <div className="consensus-panel__header">
        <h2 id={headingId} className="consensus-panel__heading">
          {t('markers.panel.heading')} {count !== null && <span className="consensus-panel__count">({count})</span>}
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="consensus-panel-close">
          {t('markers.panel.close')}
        </button>
      </div>
      {load.kind === 'loading' && (
        <p className="consensus-panel__status" role="status">
          {t('markers.panel.loading')}
        </p>
      )}
      {load.kind === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{t('markers.panel.error', { message: load.message })}</p>
          <button type="button" className="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('markers.panel.retry')}
          </button>
        </div>
      )}
      {load.kind === 'ready' && load.markers.length === 0 && <p className="consensus-panel__empty">{t('markers.panel.empty')}</p>}
      {gone && (
        <p className="consensus-panel__status" role="status">
          {t('markers.panel.gone')}
        </p>
      )}
      {load.kind === 'ready' && load.markers.length > 0 && (
        <ol className="consensus-panel__list" aria-label={t('markers.panel.listLabel')}>
          {load.markers.map((m, index) => (
            <li key={m.blockId ?? `i${index}`} className="consensus-panel__item" data-level={m.level} data-testid="consensus-item">
              <p className="consensus-panel__level">
                <strong>{ct(`level.${m.level}.label`)}</strong>
              </p>
              <blockquote className="consensus-panel__passage">{m.passage === '' ? t('markers.panel.emptyPassage') : m.passage}</blockquote>
              <p className="consensus-panel__basis">{m.basisNote ? ct('basisLineWithNote', { basis: ct(`basis.${m.basis}`), note: m.basisNote }) : ct('basisLine', { basis: ct(`basis.${m.basis}`) })}</p>
              {m.views.length > 0 && (
                <ul className="consensus-panel__views" aria-label={t('markers.panel.viewsLabel')}>
                  {m.views.map((v, i) => (
                    <li key={i}>
                      {v.text.trim() === '' ? <em>{ct('viewTextMissing')}</em> : v.text}{' '}
                      <span className="consensus-panel__groups">
                        ({v.groups.length === 0 ? t('markers.panel.groupsNotStated') : v.groups.map((g) => t(stakeholderLabelKeys(g).name)).join(', ')})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <p className="consensus-panel__who" data-testid="consensus-item-who">
                {m.setBy && m.setAt
                  ? t('markers.panel.setBy', {
                      name: m.setBy.name,
                      group: t(stakeholderLabelKeys(m.setBy.stakeholderGroup).name),
                      time: formatDate(i18n.language, m.setAt),
                    })
                  : t('markers.panel.setByUnknown')}
              </p>
              {m.blockId !== null && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setGone(controller.jumpTo(m.blockId!) ? null : m.blockId)}
                  data-testid="consensus-item-go"
                >
                  {t('markers.panel.goTo')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
