import { intlLocale } from '@rapporteur/i18n/languages';
import type { DashboardView, EventView, ImportResult, SessionView } from '@rapporteur/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, isNotFound, useApi } from '../api/ApiContext';
import { useSession } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { useDocumentTitle } from '../useDocumentTitle';
import './catalog';
import { byTrack, eventTime, parseEmails, STATUS_ORDER } from './events';
import { AddSessionForm } from './AddSessionForm';
import { Invitations } from './Invitations';

type Load = { kind: 'loading' } | { kind: 'ready'; event: EventView; dashboard: DashboardView } | { kind: 'notFound' } | { kind: 'error'; message: string };

/**
 * One event (issue 11): its days, zone and deadline rule; the dashboard of
 * its sessions' reports (counts per status, the overdue ones first, then
 * per track) with its CSV; and, for those who manage it, the session
 * import with its preview, a session added by hand, each track's messages
 * document, whether the event is public, and (administrators) its
 * organisers. A rapporteur sees only the sessions they report on: the
 * server answers only those.
 */
export function EventPage() {
  const { eventId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const { session } = useSession();
  const isAdmin = session.kind === 'signed-in' && session.user.isAdmin;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [track, setTrack] = useState('all');
  useDocumentTitle(load.kind === 'ready' ? load.event.name : t('events.list.heading'));

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.getEvent(eventId), api.dashboard(eventId)]).then(
      ([event, dashboard]) => !cancelled && setLoad({ kind: 'ready', event, dashboard }),
      (error: unknown) => {
        if (cancelled || gate(error)) return;
        setLoad(isNotFound(error) ? { kind: 'notFound' } : { kind: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, eventId, gate, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  if (load.kind === 'loading') return <p role="status">{t('app.loading')}</p>;
  if (load.kind === 'notFound')
    return (
      <div className="events-page">
        <h1>{t('events.page.notFound')}</h1>
        <Link to="/events">{t('events.page.back')}</Link>
      </div>
    );
  if (load.kind === 'error')
    return (
      <p role="alert" className="notice notice--error">
        {t('events.list.loadError', { message: load.message })}
      </p>
    );

  const { event, dashboard } = load;
  const shown = track === 'all' ? dashboard.sessions : dashboard.sessions.filter((s) => s.trackId === track);
  const overdue = shown.filter((s) => s.overdue);
  const day = new Intl.DateTimeFormat(intlLocale(i18n.language), { dateStyle: 'medium', timeZone: 'UTC' });
  return (
    <div className="events-page" data-testid="event-page">
      <Link to="/events" className="back-link">
        {t('events.page.back')}
      </Link>
      <h1>{event.name}</h1>
      <p className="event-list__meta">
        {t('events.list.dates', { start: day.format(new Date(`${event.startsAt}T00:00:00Z`)), end: day.format(new Date(`${event.endsAt}T00:00:00Z`)) })} ·{' '}
        {event.timeZone} · {t('events.page.deadlineRule', { hours: event.reportDeadlineHours })}
      </p>
      <p className="event-list__meta" data-testid="event-visibility">
        {event.public ? t('events.page.public') : t('events.page.notPublic')}
        {event.public && (
          <>
            {' · '}
            <a href={`/e/${event.id}`}>{t('events.page.publicPage')}</a>
          </>
        )}
        {event.manage && (
          <>
            {' '}
            <PublicToggle event={event} onChanged={reload} />
          </>
        )}
      </p>

      <section className="event-section" aria-labelledby="dashboard-heading">
        <h2 id="dashboard-heading">{t('events.page.dashboard')}</h2>
        <ul className="status-counts" data-testid="status-counts" aria-label={t('events.page.counts')}>
          {STATUS_ORDER.map((status) => (
            <li key={status} data-status={status}>
              <span className="status-counts__number">{dashboard.counts[status]}</span> {t(`events.reportStatus.${status}`)}
            </li>
          ))}
          <li data-status="overdue" className={dashboard.counts.overdue > 0 ? 'status-counts--alert' : undefined}>
            <span className="status-counts__number">{dashboard.counts.overdue}</span> {t('events.page.overdue')}
          </li>
        </ul>
        <div className="event-toolbar">
          <label htmlFor="event-track-filter">{t('events.page.track')}</label>{' '}
          <select id="event-track-filter" value={track} onChange={(e) => setTrack(e.target.value)} data-testid="track-filter">
            <option value="all">{t('events.page.allTracks')}</option>
            {event.tracks.map((tr) => (
              <option key={tr.id} value={tr.id}>
                {tr.name}
              </option>
            ))}
          </select>{' '}
          <a className="button button--small" href={`/api/events/${encodeURIComponent(event.id)}/dashboard?format=csv`} download data-testid="dashboard-csv">
            {t('events.page.downloadCsv')}
          </a>{' '}
          <button type="button" className="button button--small" onClick={reload}>
            {t('events.page.refresh')}
          </button>
        </div>
        {shown.length === 0 ? (
          <p className="empty-state" data-testid="sessions-empty">
            {event.manage ? t('events.page.noSessionsManage') : t('events.page.noSessions')}
          </p>
        ) : (
          <>
            {overdue.length > 0 && (
              <SessionTable caption={t('events.page.overdueCaption', { count: overdue.length })} sessions={overdue} timeZone={event.timeZone} testId="overdue-table" />
            )}
            {byTrack(shown).map((g) => (
              <SessionTable key={g.trackId} caption={g.track} sessions={g.sessions} timeZone={event.timeZone} testId="track-table" />
            ))}
          </>
        )}
      </section>

      {event.tracks.length > 0 && (
        <section className="event-section" aria-labelledby="tracks-heading">
          <h2 id="tracks-heading">{t('events.page.messages')}</h2>
          <ul className="event-tracks">
            {event.tracks.map((tr) => (
              <li key={tr.id}>
                <MessagesLink event={event} trackId={tr.id} trackName={tr.name} documentId={tr.messagesDocumentId} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {event.manage && <ImportSessions event={event} onWritten={reload} />}
      {event.manage && event.tracks.length > 0 && <AddSessionForm event={event} onAdded={reload} />}
      {isAdmin && <Organisers event={event} onChanged={reload} />}
    </div>
  );
}

function SessionTable({ caption, sessions, timeZone, testId }: { caption: string; sessions: readonly SessionView[]; timeZone: string; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="events-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('events.dashboard.column.code')}</th>
            <th scope="col">{t('events.dashboard.column.title')}</th>
            <th scope="col">{t('events.dashboard.column.type')}</th>
            <th scope="col">{t('events.dashboard.column.start')}</th>
            <th scope="col">{t('events.dashboard.column.rapporteurs')}</th>
            <th scope="col">{t('events.dashboard.column.deadline')}</th>
            <th scope="col">{t('events.dashboard.column.status')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row" data-code={s.code} data-status={s.status} data-overdue={s.overdue}>
              <th scope="row">{s.code}</th>
              <td>{s.title}</td>
              <td>{t(`events.sessionType.${s.type}`)}</td>
              <td>{eventTime(intlLocale(i18n.language), s.startsAt, timeZone)}</td>
              <td>
                <ul className="plain-list">
                  {s.rapporteurs.map((r, i) => (
                    <li key={r.id ?? r.email ?? i}>
                      {r.name ?? r.email ?? t('events.page.unknownRapporteur')}
                      {r.stakeholderGroup && ` (${t(`stakeholder.short.${r.stakeholderGroup}`)})`}
                      {r.email && r.name && <span className="event-list__meta"> {r.email}</span>}
                      {r.pending && <span className="event-list__meta"> · {t('events.dashboard.invited')}</span>}
                    </li>
                  ))}
                </ul>
              </td>
              <td>{s.deadline ? eventTime(intlLocale(i18n.language), s.deadline.at, timeZone) : '—'}</td>
              <td>
                <Link to={`/d/${s.documentId}`} data-testid="report-link">
                  {t(`events.reportStatus.${s.status}`)}
                </Link>
                {s.overdue && <strong className="overdue-flag"> · {t('events.dashboard.overdueYes')}</strong>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PublicToggle({ event, onChanged }: { event: EventView; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setFailure(null);
          api.updateEvent(event.id, { public: !event.public }).then(onChanged, (e: unknown) => {
            setFailure(errorMessage(e));
            setBusy(false);
          });
        }}
        data-testid="toggle-public"
      >
        {event.public ? t('events.page.makePrivate') : t('events.page.makePublic')}
      </button>
      {failure && (
        <span role="alert" className="field__error">
          {' '}
          {failure}
        </span>
      )}
    </>
  );
}

function MessagesLink({ event, trackId, trackName, documentId }: { event: EventView; trackId: string; trackName: string; documentId: string | null }) {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  if (documentId) return <Link to={`/d/${documentId}`}>{t('events.page.openMessages', { track: trackName })}</Link>;
  if (!event.manage)
    return (
      <span>
        {trackName}: {t('events.page.noMessagesYet')}
      </span>
    );
  return (
    <>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setFailure(null);
          api.trackMessages(event.id, trackId).then(
            (made) => void navigate(`/d/${made.documentId}`),
            (e: unknown) => setFailure(errorMessage(e)),
          );
        }}
        data-testid="make-messages"
      >
        {t('events.page.makeMessages', { track: trackName })}
      </button>
      {failure && (
        <span role="alert" className="field__error">
          {' '}
          {failure}
        </span>
      )}
    </>
  );
}

type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy'; file: File; writing: boolean }
  | { kind: 'previewed'; file: File; result: ImportResult }
  | { kind: 'written'; result: ImportResult }
  | { kind: 'failed'; message: string };

/** The session CSV: a preview first (every problem with its line), written only when confirmed and clean (SPEC EV3–EV5). */
function ImportSessions({ event, onWritten }: { event: EventView; onWritten: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [state, setState] = useState<ImportState>({ kind: 'idle' });

  const send = (file: File, dryRun: boolean): void => {
    setState({ kind: 'busy', file, writing: !dryRun });
    api.importSessions(event.id, file, dryRun).then(
      (result) => {
        if (dryRun) setState({ kind: 'previewed', file, result });
        else {
          setState({ kind: 'written', result });
          if (result.written) onWritten();
        }
      },
      (e: unknown) => setState({ kind: 'failed', message: errorMessage(e) }),
    );
  };

  const result = state.kind === 'previewed' || state.kind === 'written' ? state.result : null;
  const changes = result ? result.created.length + result.updated.length : 0;
  return (
    <section className="event-section" aria-labelledby={`${id}-heading`} data-testid="import-sessions">
      <h2 id={`${id}-heading`}>{t('events.import.heading')}</h2>
      <p className="field__hint">{t('events.import.hint')}</p>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('events.import.file')}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) send(file, true);
            e.target.value = '';
          }}
          data-testid="import-file"
        />
      </div>
      <div role="status" data-testid="import-status">
        {state.kind === 'busy' && (state.writing ? t('events.import.writing') : t('events.import.checking', { file: state.file.name }))}
        {state.kind === 'previewed' &&
          (result!.errors.length > 0
            ? t('events.import.previewErrors', { count: result!.errors.length })
            : t('events.import.previewed', { created: result!.created.length, updated: result!.updated.length, unchanged: result!.unchanged.length }))}
        {state.kind === 'written' &&
          (result!.written
            ? t('events.import.written', { created: result!.created.length, updated: result!.updated.length })
            : t('events.import.notWritten'))}
      </div>
      {state.kind === 'failed' && (
        <p role="alert" className="notice notice--error" data-testid="import-failed">
          {t('events.import.failed', { message: state.message })}
        </p>
      )}
      {result && (
        <>
          <ProblemTable caption={t('events.import.errors')} problems={result.errors} testId="import-errors" />
          <ProblemTable caption={t('events.import.warnings')} problems={result.warnings} testId="import-warnings" />
          {result.missing.length > 0 && (
            <p data-testid="import-missing">{t('events.import.missing', { sessions: result.missing.map((m) => m.code).join(', ') })}</p>
          )}
          {state.kind === 'previewed' && result.errors.length === 0 && changes > 0 && (
            <p>
              <button type="button" className="button button--primary" onClick={() => send(state.file, false)} data-testid="import-confirm">
                {t('events.import.confirm', { count: changes })}
              </button>
            </p>
          )}
          {state.kind === 'previewed' && result.errors.length === 0 && changes === 0 && <p>{t('events.import.nothingToDo')}</p>}
          {result.invitations.length > 0 && <Invitations invitations={result.invitations} />}
        </>
      )}
    </section>
  );
}

function ProblemTable({ caption, problems, testId }: { caption: string; problems: readonly { line: number; message: string }[]; testId: string }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="events-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('events.import.line')}</th>
            <th scope="col">{t('events.import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={`${p.line}-${i}`}>
              <th scope="row">{p.line}</th>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Organisers({ event, onChanged }: { event: EventView; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [text, setText] = useState(() => event.organisers.map((o) => o.email ?? '').filter(Boolean).join('\n'));
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section className="event-section" aria-labelledby={`${id}-heading`} data-testid="organisers">
      <h2 id={`${id}-heading`}>{t('events.organisers.heading')}</h2>
      {event.organisers.length > 0 && (
        <ul className="plain-list">
          {event.organisers.map((o) => (
            <li key={o.id}>
              {o.name}
              {o.email && <span className="event-list__meta"> {o.email}</span>}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setSaid(null);
          api.setOrganisers(event.id, parseEmails(text)).then(
            () => {
              setBusy(false);
              setSaid({ ok: true, text: t('events.organisers.saved') });
              onChanged();
            },
            (error: unknown) => {
              setBusy(false);
              setSaid({ ok: false, text: t('events.organisers.failed', { message: errorMessage(error) }) });
            },
          );
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-emails`}>{t('events.organisers.emails')}</label>
          <textarea id={`${id}-emails`} rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} data-testid="organisers-emails" />
          <p id={`${id}-hint`} className="field__hint">
            {t('events.organisers.hint')}
          </p>
        </div>
        <button type="submit" className="button" disabled={busy} data-testid="organisers-save">
          {t('events.organisers.save')}
        </button>
        <p role={said && !said.ok ? 'alert' : 'status'} className={said && !said.ok ? 'field__error' : undefined} data-testid="organisers-said">
          {said?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
