import type { ApiClient } from '@rapporteur/client/http';
import type { CitationView, DocumentEventView, SessionType, StakeholderGroup, TakeawayKind, TakeawayView } from '@rapporteur/protocol';
import { useEffect, useId, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isNotFound } from '../api/ApiContext';
import { filterChoices, filterTakeaways, groupTakeaways, NO_FILTER, type TakeawayFilter, type TakeawayGroup } from './takeaways';
import type { CitationsController } from './CitationsController';
import consolidationEnglish from '@rapporteur/i18n/locales/en.json?catalog-part=consolidation';
import { addEnglishPart } from '../i18n';

// This part's English messages come with its chunk, not with the first load (editor/vite.config.ts).
addEnglishPart(consolidationEnglish);

type Track = { kind: 'loading' } | { kind: 'none' } | { kind: 'ready'; link: DocumentEventView } | { kind: 'error'; message: string };
type Takeaways = { kind: 'loading' } | { kind: 'ready'; items: TakeawayView[] } | { kind: 'hidden' } | { kind: 'error'; message: string };

/**
 * The consolidation side panel (issue 11, SPEC EV8–EV10) of a track's
 * messages: the key takeaways and calls to action of the track's session
 * reports the reader may read, grouped where they say nearly the same thing
 * (the server's `group`), filtered by kind, session type, the speakers'
 * stakeholder groups and words; a writer inserts one as a new message citing
 * its source, a group as one message citing every session in it, or adds a
 * source to the message at the caret. Above, the citation asked about
 * (from its "source changed" button) with the difference, and every
 * citation whose source changed or went.
 */
export function ConsolidationPanel({
  api,
  documentId,
  controller,
  canEdit,
  onClose,
}: {
  api: ApiClient;
  documentId: string;
  controller: CitationsController;
  canEdit: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [track, setTrack] = useState<Track>({ kind: 'loading' });
  const [takeaways, setTakeaways] = useState<Takeaways>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [filter, setFilter] = useState<TakeawayFilter>(NO_FILTER);
  const [busy, setBusy] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.documentEvent(documentId).then(
      (link) => !cancelled && setTrack({ kind: 'ready', link }),
      (error: unknown) => !cancelled && setTrack(isNotFound(error) ? { kind: 'none' } : { kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId]);

  const link = track.kind === 'ready' ? track.link : null;
  useEffect(() => {
    if (!link) return;
    let cancelled = false;
    setTakeaways({ kind: 'loading' });
    api.takeaways(link.event.id, link.track.id).then(
      (items) => !cancelled && setTakeaways({ kind: 'ready', items }),
      // A reader of the messages who may not see the event's sessions (EV7): their citations still say what they may know.
      (error: unknown) => !cancelled && setTakeaways(isNotFound(error) ? { kind: 'hidden' } : { kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, link, attempt]);

  const items = takeaways.kind === 'ready' ? takeaways.items : [];
  const choices = useMemo(() => filterChoices(items), [items]);
  const groups = useMemo(() => groupTakeaways(filterTakeaways(items, filter)), [items, filter]);

  const insert = async (sources: readonly TakeawayView[], mode: 'message' | 'cite', busyKey: string): Promise<void> => {
    setBusy(busyKey);
    setFailure(null);
    setSaid(t('consolidation.inserting'));
    try {
      const created = await Promise.all(sources.map((s) => api.cite(documentId, { documentId: s.documentId, blockId: s.blockId })));
      const inserted = controller.insert({ text: created[0]?.text ?? '', citations: created.map((c) => c.citation) }, mode);
      if (!inserted) throw new Error(t('consolidation.notEditable'));
      setSaid(t('consolidation.inserted', { labels: created.map((c) => c.citation.label).join(', ') }));
    } catch (error) {
      setSaid('');
      setFailure(isNotFound(error) ? t('consolidation.sourceGone') : errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const changed = snapshot.local.filter((c) => {
    const s = snapshot.statuses.get(controller.keyOf(c))?.status;
    return s === 'changed' || s === 'gone';
  });
  const selected = snapshot.selected !== null ? snapshot.statuses.get(snapshot.selected) : undefined;
  const selectedLocal = snapshot.selected !== null ? snapshot.local.find((c) => controller.keyOf(c) === snapshot.selected) : undefined;

  return (
    <aside
      className="side-panel consolidation-panel"
      aria-labelledby={headingId}
      data-testid="consolidation-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="side-panel__header">
        <h2 id={headingId} className="side-panel__title">
          {link ? t('consolidation.headingTrack', { track: link.track.name }) : t('consolidation.heading')}
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="consolidation-close">
          {t('consolidation.close')}
        </button>
      </div>
      <p role="status" className="consolidation-panel__said" data-testid="consolidation-status">
        {said}
      </p>
      {failure && (
        <p role="alert" className="notice notice--error" data-testid="consolidation-error">
          {failure}
        </p>
      )}

      {selected && selectedLocal && (
        <CitationDetails
          view={selected}
          label={selectedLocal.label}
          canEdit={canEdit}
          onUpdate={() => {
            setFailure(null);
            controller.recite(controller.keyOf(selectedLocal)).then(
              (done) => done && setSaid(t('consolidation.updated', { label: selectedLocal.label })),
              (error: unknown) => setFailure(isNotFound(error) ? t('consolidation.sourceGone') : errorMessage(error)),
            );
          }}
          onClose={() => controller.select(null)}
        />
      )}

      <section className="consolidation-panel__section" aria-labelledby={`${headingId}-citations`}>
        <h3 id={`${headingId}-citations`} className="consolidation-panel__subheading">
          {t('consolidation.citations.heading')}
        </h3>
        <p data-testid="citations-summary">
          {snapshot.error
            ? t('consolidation.citations.unknown')
            : t('consolidation.citations.summary', { count: snapshot.local.length, changed: changed.length })}{' '}
          <button type="button" className="button button--small" onClick={() => controller.refresh()}>
            {t('consolidation.citations.check')}
          </button>
        </p>
        {changed.length > 0 && (
          <ul className="consolidation-panel__changed">
            {changed.map((c, i) => (
              <li key={`${controller.keyOf(c)}-${i}`}>
                <button type="button" className="button button--small" onClick={() => controller.select(controller.keyOf(c))} data-testid="changed-citation">
                  {t(snapshot.statuses.get(controller.keyOf(c))?.status === 'gone' ? 'consolidation.citations.goneItem' : 'consolidation.citations.changedItem', { label: c.label })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="consolidation-panel__section" aria-labelledby={`${headingId}-takeaways`}>
        <h3 id={`${headingId}-takeaways`} className="consolidation-panel__subheading">
          {t('consolidation.takeaways.heading')}
        </h3>
        {track.kind === 'loading' && <p role="status">{t('consolidation.loading')}</p>}
        {track.kind === 'none' && <p data-testid="consolidation-no-track">{t('consolidation.noTrack')}</p>}
        {track.kind === 'error' && (
          <p role="alert" className="notice notice--error">
            {t('consolidation.loadError', { message: track.message })}
          </p>
        )}
        {link && (
          <>
            <p className="consolidation-panel__event">{t('consolidation.event', { event: link.event.name, track: link.track.name })}</p>
            {items.length > 0 && <Filters filter={filter} onChange={setFilter} sessionTypes={choices.sessionTypes} stakeholderGroups={choices.stakeholderGroups} />}
            {takeaways.kind !== 'hidden' && (<p className="consolidation-panel__actions">
              <button type="button" className="button button--small" onClick={() => setAttempt((n) => n + 1)} data-testid="takeaways-refresh">
                {t('consolidation.takeaways.refresh')}
              </button>
            </p>)}
            {takeaways.kind === 'loading' && <p role="status">{t('consolidation.loading')}</p>}
            {takeaways.kind === 'error' && (
              <p role="alert" className="notice notice--error">
                {t('consolidation.loadError', { message: takeaways.message })}
              </p>
            )}
            {takeaways.kind === 'hidden' && <p data-testid="takeaways-hidden">{t('consolidation.takeaways.hidden')}</p>}
            {takeaways.kind === 'ready' && items.length === 0 && <p data-testid="takeaways-empty">{t('consolidation.takeaways.empty')}</p>}
            {takeaways.kind === 'ready' && items.length > 0 && (
              <>
                <p data-testid="takeaways-count">{t('consolidation.takeaways.count', { count: groups.reduce((n, g) => n + g.items.length, 0), total: items.length })}</p>
                {groups.length === 0 ? (
                  <p data-testid="takeaways-none-match">{t('consolidation.takeaways.noneMatch')}</p>
                ) : (
                  <ol className="takeaway-groups">
                    {groups.map((g) => (
                      <TakeawayGroupView
                        key={g.group}
                        group={g}
                        controller={controller}
                        canEdit={canEdit}
                        busy={busy}
                        onInsert={(sources, mode, key) => void insert(sources, mode, key)}
                      />
                    ))}
                  </ol>
                )}
              </>
            )}
          </>
        )}
      </section>
    </aside>
  );
}

function Filters({
  filter,
  onChange,
  sessionTypes,
  stakeholderGroups,
}: {
  filter: TakeawayFilter;
  onChange: (f: TakeawayFilter) => void;
  sessionTypes: readonly SessionType[];
  stakeholderGroups: readonly StakeholderGroup[];
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="consolidation-filters">
      <legend>{t('consolidation.filter.legend')}</legend>
      <label htmlFor={`${id}-kind`}>{t('consolidation.filter.kind')}</label>
      <select id={`${id}-kind`} value={filter.kind} onChange={(e) => onChange({ ...filter, kind: e.target.value as TakeawayKind | 'all' })} data-testid="filter-kind">
        <option value="all">{t('consolidation.filter.all')}</option>
        <option value="takeaway">{t('consolidation.kind.takeaway')}</option>
        <option value="call-to-action">{t('consolidation.kind.call-to-action')}</option>
      </select>
      <label htmlFor={`${id}-type`}>{t('consolidation.filter.sessionType')}</label>
      <select
        id={`${id}-type`}
        value={filter.sessionType}
        onChange={(e) => onChange({ ...filter, sessionType: e.target.value as SessionType | 'all' })}
        data-testid="filter-session-type"
      >
        <option value="all">{t('consolidation.filter.all')}</option>
        {sessionTypes.map((type) => (
          <option key={type} value={type}>
            {t(`events.sessionType.${type}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-group`}>{t('consolidation.filter.stakeholderGroup')}</label>
      <select
        id={`${id}-group`}
        value={filter.stakeholderGroup}
        onChange={(e) => onChange({ ...filter, stakeholderGroup: e.target.value as StakeholderGroup | 'all' })}
        data-testid="filter-stakeholder-group"
      >
        <option value="all">{t('consolidation.filter.all')}</option>
        {stakeholderGroups.map((group) => (
          <option key={group} value={group}>
            {t(`stakeholder.name.${group}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-query`}>{t('consolidation.filter.words')}</label>
      <input id={`${id}-query`} type="search" value={filter.query} onChange={(e) => onChange({ ...filter, query: e.target.value })} data-testid="filter-words" />
    </fieldset>
  );
}

function TakeawayGroupView({
  group,
  controller,
  canEdit,
  busy,
  onInsert,
}: {
  group: TakeawayGroup;
  controller: CitationsController;
  canEdit: boolean;
  busy: string | null;
  onInsert: (sources: readonly TakeawayView[], mode: 'message' | 'cite', key: string) => void;
}) {
  const { t } = useTranslation();
  const groupKey = `g${group.group}`;
  return (
    <li className={group.items.length > 1 ? 'takeaway-group takeaway-group--several' : 'takeaway-group'} data-testid="takeaway-group">
      {group.items.length > 1 && (
        <div className="takeaway-group__header">
          <p className="takeaway-group__similar">{t('consolidation.group.similar', { count: group.sessions })}</p>
          {canEdit && (
            <button
              type="button"
              className="button button--small"
              disabled={busy !== null}
              onClick={() => onInsert(group.items, 'message', groupKey)}
              data-testid="insert-group"
            >
              {t('consolidation.group.insert', { count: group.items.length })}
            </button>
          )}
        </div>
      )}
      <ul className="takeaway-list">
        {group.items.map((item) => {
          const key = `${item.documentId}:${item.blockId}`;
          const isCited = controller.cites(item);
          return (
            <li key={key} className="takeaway" data-testid="takeaway" data-kind={item.kind}>
              <p className="takeaway__source">
                <span className="takeaway__kind">{t(`consolidation.kind.${item.kind}`)}</span>
                {' · '}
                <a href={`/d/${encodeURIComponent(item.documentId)}?block=${encodeURIComponent(item.blockId)}`} target="_blank" rel="noopener">
                  {t('consolidation.source', { code: item.sessionCode, title: item.sessionTitle })}
                </a>
                {' · '}
                {t(`events.sessionType.${item.sessionType}`)}
                {isCited && (
                  <>
                    {' · '}
                    <span className="takeaway__cited" data-testid="takeaway-cited">
                      {t('consolidation.cited')}
                    </span>
                  </>
                )}
              </p>
              <p className="takeaway__text">{item.text}</p>
              {canEdit && (
                <p className="takeaway__actions">
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy !== null}
                    onClick={() => onInsert([item], 'message', key)}
                    aria-label={t('consolidation.forSession', { action: t('consolidation.insert'), code: item.sessionCode })}
                    data-testid="insert-takeaway"
                  >
                    {t('consolidation.insert')}
                  </button>{' '}
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy !== null}
                    onClick={() => onInsert([item], 'cite', `${key}:cite`)}
                    aria-label={t('consolidation.forSession', { action: t('consolidation.citeHere'), code: item.sessionCode })}
                    data-testid="cite-here"
                  >
                    {t('consolidation.citeHere')}
                  </button>
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

function CitationDetails({
  view,
  label,
  canEdit,
  onUpdate,
  onClose,
}: {
  view: CitationView;
  label: string;
  canEdit: boolean;
  onUpdate: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="citation-details" aria-labelledby={id} data-testid="citation-details" data-status={view.status}>
      <div className="side-panel__header">
        <h3 id={id} className="consolidation-panel__subheading">
          {t('consolidation.details.heading', { label })}
        </h3>
        <button type="button" className="button button--small" onClick={onClose}>
          {t('consolidation.details.close')}
        </button>
      </div>
      {view.status === 'not-public' ? (
        <p>{t('consolidation.details.notPublic')}</p>
      ) : (
        <>
          {view.documentId && view.blockId && (
            <p>
              <a href={`/d/${encodeURIComponent(view.documentId)}?block=${encodeURIComponent(view.blockId)}`} target="_blank" rel="noopener">
                {t('consolidation.details.open', { title: view.title ?? '' })}
              </a>
            </p>
          )}
          <p>{t(`consolidation.details.status.${view.status}`)}</p>
          {view.status === 'changed' && view.diff && (
            <p className="citation-diff" data-testid="citation-diff">
              {view.diff.map((part, i) =>
                part.type === 'equal' ? (
                  <span key={i}>{part.text}</span>
                ) : part.type === 'insert' ? (
                  <ins key={i}>
                    <span className="visually-hidden">{t('consolidation.details.inserted')} </span>
                    {part.text}
                  </ins>
                ) : (
                  <del key={i}>
                    <span className="visually-hidden">{t('consolidation.details.deleted')} </span>
                    {part.text}
                  </del>
                ),
              )}
            </p>
          )}
          {view.status === 'gone' && view.cited && (
            <blockquote className="citation-details__cited" data-testid="citation-cited">
              {view.cited}
            </blockquote>
          )}
          {view.status === 'changed' && canEdit && (
            <p>
              <button type="button" className="button button--small" onClick={onUpdate} data-testid="citation-update">
                {t('consolidation.details.update')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
