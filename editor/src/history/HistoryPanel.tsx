import type { ApiClient } from '@rapporteur/client/http';
import type { DiffChange, DiffView, HistoryEntry, Role, StakeholderGroup, VersionView } from '@rapporteur/protocol';
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { AuditTrail } from './AuditTrail';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { stakeholderLabelKeys } from '../stakeholder/stakeholder';
import { appendEntries, authorsText, authorText, changeLabelKey, changesByAuthor, changesBySection, comparePoints, historyAbilities, sessionTime } from './history';

/** A point picked in the panel: a version or a timeline entry, with the words that name it. */
interface Picked {
  readonly id: string;
  readonly label: string;
  /** When it was: a version's naming, an edit session's last change (orders two points for a comparison). */
  readonly at: string;
}

type Load<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'error'; message: string };

const PAGE_SIZE = 20;

export interface HistoryPanelProps {
  readonly api: ApiClient;
  readonly documentId: string;
  readonly role: Role | undefined;
  /** Closes the panel (Escape, or its Close button); the page returns focus to the button that opened it. */
  readonly onClose: () => void;
}

/** Moves focus between the panel's points (versions and entries) with the arrow keys, Home and End. */
function onPointKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
  const list = event.currentTarget.closest('[data-history-lists]');
  const points = [...(list?.querySelectorAll<HTMLElement>('[data-history-point]') ?? [])];
  const index = points.indexOf(event.target as HTMLElement);
  if (index < 0) return;
  event.preventDefault();
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? points.length - 1 : index + (event.key === 'ArrowDown' ? 1 : -1);
  points[Math.max(0, Math.min(points.length - 1, next))]?.focus();
}

/**
 * The document's history beside the text: named versions apart from the
 * timeline of edit sessions (newest first, paged); a picked point shows the
 * text as it was (the server's HTML export, in a sandboxed frame: no script,
 * nothing from the page), compared with now, and — for editors and owners —
 * restored. The live text stays open and editable beside it.
 */
export function HistoryPanel({ api, documentId, role, onClose }: HistoryPanelProps) {
  const { t, i18n } = useTranslation();
  const can = historyAbilities(role);
  const ids = { heading: useId(), versions: useId(), timeline: useId(), name: useId() };
  const [versions, setVersions] = useState<Load<VersionView[]>>({ kind: 'loading' });
  const [entries, setEntries] = useState<Load<HistoryEntry[]>>({ kind: 'loading' });
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const headingRef = useRef<HTMLHeadingElement | null>(null);

  const announce = useCallback((message: string) => {
    // Cleared first, so the same message is announced again.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  useEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    let cancelled = false;
    setVersions({ kind: 'loading' });
    setEntries({ kind: 'loading' });
    api.listVersions(documentId).then(
      (value) => !cancelled && setVersions({ kind: 'ready', value }),
      (error: unknown) => !cancelled && setVersions({ kind: 'error', message: errorMessage(error) }),
    );
    api.history(documentId, { limit: PAGE_SIZE }).then(
      (page) => {
        if (cancelled) return;
        setEntries({ kind: 'ready', value: page.entries });
        setNext(page.next);
      },
      (error: unknown) => !cancelled && setEntries({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, reloads]);

  const loadMore = (): void => {
    if (next === null || entries.kind !== 'ready') return;
    setLoadingMore(true);
    api.history(documentId, { before: next, limit: PAGE_SIZE }).then(
      (page) => {
        setEntries({ kind: 'ready', value: appendEntries(entries.value, page.entries) });
        setNext(page.next);
        setLoadingMore(false);
        announce(t('history.moreLoaded', { count: page.entries.length }));
      },
      (error: unknown) => {
        setLoadingMore(false);
        setProblem(t('history.loadError', { message: errorMessage(error) }));
      },
    );
  };

  const groupName = (group: StakeholderGroup): string => t(stakeholderLabelKeys(group).name);
  const entryLabel = (entry: HistoryEntry): string =>
    t('history.entryLabel', {
      author: authorsText(i18n.language, entry.authors, groupName, t('history.unknownAuthor')),
      time: sessionTime(i18n.language, entry.from, entry.to, new Date()),
      count: entry.changes,
    });
  const versionLabel = (version: VersionView): string =>
    t(version.kind === 'restore' ? 'history.restoreLabel' : 'history.versionLabel', {
      name: version.name,
      author: authorText(version.createdBy, groupName, t('history.unknownAuthor')),
      time: formatDate(i18n.language, version.createdAt),
    });

  return (
    <aside
      className="history-panel"
      aria-labelledby={ids.heading}
      data-testid="history-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="comments-panel__header">
        <h2 id={ids.heading} className="comments-panel__heading" tabIndex={-1} ref={headingRef}>
          {t('history.heading')}
        </h2>
        <div className="comments-panel__tools">
          <button type="button" className="button button--small" onClick={() => setReloads((n) => n + 1)} data-testid="history-refresh">
            {t('history.refresh')}
          </button>
          <button type="button" className="button button--small" onClick={onClose} data-testid="history-close">
            {t('history.close')}
          </button>
        </div>
      </div>
      <p className="visually-hidden" role="status" data-testid="history-announcer">
        {announcement}
      </p>
      {problem && (
        <p className="field__error" role="alert" data-testid="history-problem">
          {problem}
        </p>
      )}
      <div className="comments-panel__body">
        {can.change && (
          <NameVersionForm
            api={api}
            documentId={documentId}
            onNamed={(version) => {
              setProblem(null);
              announce(t('history.named', { name: version.name }));
              setReloads((n) => n + 1);
            }}
            onProblem={setProblem}
          />
        )}
        <div className="history-panel__lists" data-history-lists="">
          <section aria-labelledby={ids.versions}>
            <h3 id={ids.versions} className="comments-panel__subheading">
              {t('history.versionsHeading')}
            </h3>
            {versions.kind === 'loading' && (
              <p className="comments-panel__hint" role="status">
                {t('history.loadingVersions')}
              </p>
            )}
            {versions.kind === 'error' && (
              <p className="notice notice--error" role="alert">
                {t('history.loadError', { message: versions.message })}
              </p>
            )}
            {versions.kind === 'ready' && versions.value.length === 0 && (
              <p className="comments-panel__empty" data-testid="history-versions-empty">
                {t('history.noVersions')}
              </p>
            )}
            {versions.kind === 'ready' && versions.value.length > 0 && (
              <ul className="history-list" aria-labelledby={ids.versions} data-testid="history-versions">
                {versions.value.map((version) => (
                  <li key={version.id}>
                    <button
                      type="button"
                      className="history-point"
                      aria-pressed={picked?.id === version.id}
                      data-history-point=""
                      data-testid="history-version"
                      data-point={version.id}
                      onKeyDown={onPointKeyDown}
                      onClick={() => setPicked({ id: version.id, label: version.name, at: version.createdAt })}
                    >
                      <span className="history-point__name">{version.name}</span>
                      <span className="history-point__meta">
                        {version.createdBy && <StakeholderBadge group={version.createdBy.stakeholderGroup} />} {versionLabel(version)}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby={ids.timeline}>
            <h3 id={ids.timeline} className="comments-panel__subheading">
              {t('history.timelineHeading')}
            </h3>
            {entries.kind === 'loading' && (
              <p className="comments-panel__hint" role="status">
                {t('history.loadingTimeline')}
              </p>
            )}
            {entries.kind === 'error' && (
              <div className="notice notice--error" role="alert" data-testid="history-error">
                <p>{t('history.loadError', { message: entries.message })}</p>
                <button type="button" className="button button--small" onClick={() => setReloads((n) => n + 1)}>
                  {t('history.retry')}
                </button>
              </div>
            )}
            {entries.kind === 'ready' && entries.value.length === 0 && (
              <p className="comments-panel__empty" data-testid="history-empty">
                {t('history.noEntries')}
              </p>
            )}
            {entries.kind === 'ready' && entries.value.length > 0 && (
              <>
                <p className="comments-panel__hint">{t('history.keyboardHint')}</p>
                <ol className="history-list" aria-labelledby={ids.timeline} data-testid="history-timeline">
                  {entries.value.map((entry) => {
                    const label = entryLabel(entry);
                    return (
                      <li key={entry.id}>
                        <button
                          type="button"
                          className="history-point"
                          aria-pressed={picked?.id === entry.id}
                          data-history-point=""
                          data-testid="history-entry"
                          data-point={entry.id}
                          onKeyDown={onPointKeyDown}
                          onClick={() => setPicked({ id: entry.id, label, at: entry.to })}
                        >
                          {entry.authors.map((a, i) => a && <StakeholderBadge key={`${a.id}-${i}`} group={a.stakeholderGroup} />)} {label}
                        </button>
                      </li>
                    );
                  })}
                </ol>
                {next !== null && (
                  <button type="button" className="button button--small" onClick={loadMore} disabled={loadingMore} data-testid="history-more">
                    {loadingMore ? t('history.loadingMore') : t('history.loadMore')}
                  </button>
                )}
              </>
            )}
          </section>
        </div>
        {role === 'owner' && <AuditTrail api={api} documentId={documentId} />}
        {picked && (
          <PointView
            key={picked.id}
            api={api}
            documentId={documentId}
            point={picked}
            others={[
              ...(versions.kind === 'ready' ? versions.value.map((v) => ({ id: v.id, label: v.name, at: v.createdAt })) : []),
              ...(entries.kind === 'ready' ? entries.value.map((e) => ({ id: e.id, label: entryLabel(e), at: e.to })) : []),
            ].filter((o) => o.id !== picked.id)}
            canRestore={can.change}
            announce={announce}
            onRestored={(version) => {
              announce(t('history.restored', { name: version.name }));
              setReloads((n) => n + 1);
            }}
          />
        )}
      </div>
    </aside>
  );
}

function NameVersionForm({
  api,
  documentId,
  onNamed,
  onProblem,
}: {
  api: ApiClient;
  documentId: string;
  onNamed: (version: VersionView) => void;
  onProblem: (message: string | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!name.trim()) {
      onProblem(t('history.nameRequired'));
      return;
    }
    setBusy(true);
    api.nameVersion(documentId, name.trim()).then(
      (version) => {
        setBusy(false);
        setName('');
        onNamed(version);
      },
      (error: unknown) => {
        setBusy(false);
        onProblem(t('history.nameError', { message: errorMessage(error) }));
      },
    );
  };
  return (
    <form className="history-name" onSubmit={submit} data-testid="history-name-form">
      <label htmlFor={id}>{t('history.nameLabel')}</label>
      <div className="history-name__row">
        <input id={id} type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="history-name-input" />
        <button type="submit" className="button button--small button--primary" disabled={busy} data-testid="history-name-submit">
          {t('history.nameSubmit')}
        </button>
      </div>
    </form>
  );
}

type Compare = { kind: 'idle' } | Load<DiffView>;

/** One picked point: its text then, compared with now, and restored (after a confirmation). */
function PointView({
  api,
  documentId,
  point,
  others,
  canRestore,
  announce,
  onRestored,
}: {
  api: ApiClient;
  documentId: string;
  point: Picked;
  /** The other points it can be compared with (besides now). */
  others: readonly Picked[];
  canRestore: boolean;
  announce: (message: string) => void;
  onRestored: (version: VersionView) => void;
}) {
  const { t } = useTranslation();
  const ids = { heading: useId(), confirm: useId(), changes: useId(), target: useId() };
  const [html, setHtml] = useState<Load<string>>({ kind: 'loading' });
  const [compare, setCompare] = useState<Compare>({ kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const [restoreProblem, setRestoreProblem] = useState<string | null>(null);
  const restoreButton = useRef<HTMLButtonElement | null>(null);
  const confirmButton = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    let cancelled = false;
    announce(t('history.loadingPoint'));
    api.exportVersion(documentId, point.id, 'html').then(
      (value) => {
        if (cancelled) return;
        setHtml({ kind: 'ready', value });
        announce(t('history.pointShown', { label: point.label }));
      },
      (error: unknown) => !cancelled && setHtml({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, point, announce, t]);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const [target, setTarget] = useState('current');
  const runCompare = (): void => {
    setCompare({ kind: 'loading' });
    const other = others.find((o) => o.id === target);
    const [from, to] = comparePoints(point, other ?? null);
    api.diff(documentId, from, to).then(
      (value) => {
        setCompare({ kind: 'ready', value });
        announce(t('history.compared', { count: value.changes.length }));
      },
      (error: unknown) => setCompare({ kind: 'error', message: errorMessage(error) }),
    );
  };

  const restore = (): void => {
    setRestoring(true);
    setRestoreProblem(null);
    api.restoreVersion(documentId, point.id).then(
      (version) => {
        setRestoring(false);
        setConfirming(false);
        onRestored(version);
      },
      (error: unknown) => {
        setRestoring(false);
        setRestoreProblem(t('history.restoreError', { message: errorMessage(error) }));
      },
    );
  };

  return (
    <section className="history-point-view" aria-labelledby={ids.heading} data-testid="history-point-view" data-point={point.id}>
      <h3 id={ids.heading} className="comments-panel__subheading">
        {t('history.pointHeading', { label: point.label })}
      </h3>
      {html.kind === 'loading' && (
        <p className="comments-panel__hint" role="status">
          {t('history.loadingPoint')}
        </p>
      )}
      {html.kind === 'error' && (
        <p className="notice notice--error" role="alert">
          {t('history.loadError', { message: html.message })}
        </p>
      )}
      {html.kind === 'ready' && (
        // sandbox="" : no script, no forms, its own origin — the text of then is only shown.
        <iframe className="history-point-view__text" sandbox="" srcDoc={html.value} title={t('history.pointFrameTitle', { label: point.label })} data-testid="history-point-text" />
      )}
      <div className="comment-form__actions">
        <label className="visually-hidden" htmlFor={ids.target}>
          {t('history.compareTarget')}
        </label>
        <select id={ids.target} value={target} onChange={(e) => {
            setTarget(e.target.value);
            setCompare({ kind: 'idle' });
          }} data-testid="history-compare-target">
          <option value="current">{t('history.now')}</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="button" className="button button--small" onClick={runCompare} disabled={compare.kind === 'loading'} data-testid="history-compare">
          {t('history.compare')}
        </button>
        {canRestore && (
          <button
            type="button"
            ref={restoreButton}
            className="button button--small"
            aria-expanded={confirming}
            aria-controls={ids.confirm}
            onClick={() => setConfirming(true)}
            data-testid="history-restore"
          >
            {t('history.restore')}
          </button>
        )}
      </div>
      {confirming && (
        <div
          id={ids.confirm}
          className="history-confirm"
          role="group"
          aria-label={t('history.restoreConfirmLabel')}
          data-testid="history-restore-confirm"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              setConfirming(false);
              restoreButton.current?.focus();
            }
          }}
        >
          <p>{t('history.restoreExplain', { label: point.label })}</p>
          <div className="comment-form__actions">
            <button type="button" ref={confirmButton} className="button button--small button--primary" onClick={restore} disabled={restoring} data-testid="history-restore-confirm-button">
              {restoring ? t('history.restoring') : t('history.restoreConfirm')}
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setConfirming(false);
                restoreButton.current?.focus();
              }}
            >
              {t('history.cancel')}
            </button>
          </div>
        </div>
      )}
      {restoreProblem && (
        <p className="field__error" role="alert" data-testid="history-restore-problem">
          {restoreProblem}
        </p>
      )}
      {compare.kind === 'loading' && (
        <p className="comments-panel__hint" role="status">
          {t('history.comparing')}
        </p>
      )}
      {compare.kind === 'error' && (
        <p className="notice notice--error" role="alert">
          {t('history.compareError', { message: compare.message })}
        </p>
      )}
      {compare.kind === 'ready' && <Changes diff={compare.value} labelId={ids.changes} />}
    </section>
  );
}

/**
 * The changes between two points: a summary per author and per section
 * (heading), then every inserted and deleted run labelled with its author in words.
 */
function Changes({ diff, labelId }: { diff: DiffView; labelId: string }) {
  const { changes } = diff;
  const { t } = useTranslation();
  const groupName = (group: StakeholderGroup): string => t(stakeholderLabelKeys(group).name);
  const who = (author: DiffChange['author']): string => authorText(author, groupName, t('history.unknownAuthor'));
  if (changes.length === 0) {
    return (
      <p className="comments-panel__empty" data-testid="history-diff-empty">
        {t('history.noChanges')}
      </p>
    );
  }
  return (
    <div className="history-diff" data-testid="history-diff">
      <h4 id={labelId} className="comments-panel__subheading">
        {t('history.changesHeading')}
      </h4>
      <ul className="history-diff__summary" aria-label={t('history.summaryLabel')}>
        {changesByAuthor(changes).map((s) => (
          <li key={s.author?.id ?? ''}>{t('history.summaryLine', { author: who(s.author), inserted: s.inserted, deleted: s.deleted })}</li>
        ))}
      </ul>
      <h5 className="history-diff__sections-heading">{t('history.sectionsHeading')}</h5>
      <ul className="history-diff__sections" data-testid="history-diff-sections">
        {changesBySection(diff).map((s, index) => (
          <li key={s.section?.block ?? `section-${index}`} data-testid="history-diff-section">
            <span className="history-diff__section-name">{s.section ? s.section.heading || t('history.untitledSection') : t('history.beforeFirstHeading')}</span>
            {': '}
            {t('history.sectionLine', {
              inserted: s.inserted,
              deleted: s.deleted,
              authors: s.authors.map((a) => who(a.author)).join('; '),
            })}
          </li>
        ))}
      </ul>
      <ol className="history-diff__changes" aria-labelledby={labelId}>
        {changes.map((change, index) => (
          <li key={index} className={`history-change history-change--${change.type}`} data-testid="history-change" data-type={change.type}>
            <span className="history-change__label" data-testid="history-change-author">
              {t(changeLabelKey(change), { author: who(change.author), suggester: who(change.suggestedBy ?? null) })}
            </span>{' '}
            {change.type === 'insert' ? <ins>{change.text}</ins> : <del>{change.text}</del>}
          </li>
        ))}
      </ol>
    </div>
  );
}
