import { intlLocale } from '@rapporteur/i18n/languages';
import type { EventView } from '@rapporteur/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { useSession } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { useDocumentTitle } from '../useDocumentTitle';
import './catalog';
import { browserTimeZone, eventFormProblems, parseTracks, timeZones } from './events';

type Load = { kind: 'loading' } | { kind: 'ready'; events: EventView[] } | { kind: 'error'; message: string };

/**
 * The events the person may see (issue 11, SPEC EV7): name, dates, time
 * zone, tracks and how many reports are in; administrators create one here
 * (name, days, time zone, the report deadline rule, tracks).
 */
export function EventsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const { session } = useSession();
  const isAdmin = session.kind === 'signed-in' && session.user.isAdmin;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [creating, setCreating] = useState(false);
  useDocumentTitle(t('events.list.heading'));

  useEffect(() => {
    let cancelled = false;
    api.listEvents().then(
      (events) => !cancelled && setLoad({ kind: 'ready', events }),
      (error: unknown) => !cancelled && !gate(error) && setLoad({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, gate]);

  const dates = (e: EventView) => {
    const format = new Intl.DateTimeFormat(intlLocale(i18n.language), { dateStyle: 'medium', timeZone: 'UTC' });
    return t('events.list.dates', { start: format.format(new Date(`${e.startsAt}T00:00:00Z`)), end: format.format(new Date(`${e.endsAt}T00:00:00Z`)) });
  };

  return (
    <div className="events-page" data-testid="events-page">
      <div className="page-heading">
        <h1>{t('events.list.heading')}</h1>
        {isAdmin && !creating && (
          <button type="button" className="button" onClick={() => setCreating(true)} data-testid="new-event">
            {t('events.create.open')}
          </button>
        )}
      </div>
      {creating && <NewEventForm onCancel={() => setCreating(false)} />}
      {load.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
      {load.kind === 'error' && (
        <p role="alert" className="notice notice--error">
          {t('events.list.loadError', { message: load.message })}
        </p>
      )}
      {load.kind === 'ready' && load.events.length === 0 && (
        <p className="empty-state" data-testid="events-empty">
          {isAdmin ? t('events.list.emptyAdmin') : t('events.list.empty')}
        </p>
      )}
      {load.kind === 'ready' && load.events.length > 0 && (
        <ul className="event-list">
          {load.events.map((e) => (
            <li key={e.id} className="event-list__item" data-testid="event-item">
              <h2 className="event-list__name">
                <Link to={`/events/${e.id}`}>{e.name}</Link>
              </h2>
              <p className="event-list__meta">
                {dates(e)} · {e.timeZone} · {t('events.list.tracks', { tracks: e.tracks.map((tr) => tr.name).join(', ') || t('events.list.noTracks') })}
              </p>
              <p className="event-list__meta">
                {t('events.list.reports', { sessions: e.counts.sessions, submitted: e.counts.submitted + e.counts.published, overdue: e.counts.overdue })}
                {e.public && ` · ${t('events.page.public')}`}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewEventForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const id = useId();
  const [zone] = useState(browserTimeZone);
  const [form, setForm] = useState({ name: '', startsAt: '', endsAt: '', timeZone: zone, deadlineHours: '24', tracks: '', public: false });
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const problems = eventFormProblems(form);
  const problem = (field: keyof typeof problems) =>
    shown && problems[field] ? (
      <p id={`${id}-${field}-error`} className="field__error" data-testid={`event-${field}-error`}>
        {t(`events.create.problem.${problems[field]!}`)}
      </p>
    ) : null;
  const described = (field: keyof typeof problems) => (shown && problems[field] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-error` } : {});

  const submit = async (): Promise<void> => {
    setShown(true);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const tracks = parseTracks(form.tracks);
      const event = await api.createEvent({
        name: form.name.trim(),
        startsAt: form.startsAt,
        endsAt: form.endsAt,
        timeZone: form.timeZone,
        reportDeadlineHours: Number(form.deadlineHours),
        public: form.public,
        ...(tracks.length > 0 ? { tracks } : {}),
      });
      void navigate(`/events/${event.id}`);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };

  return (
    <form
      className="panel event-form"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="new-event-form"
    >
      <h2 id={`${id}-heading`}>{t('events.create.heading')}</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('events.create.name')}</label>
        <input id={`${id}-name`} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} maxLength={200} {...described('name')} data-testid="event-name" />
        {problem('name')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-start`}>{t('events.create.startsAt')}</label>
          <input id={`${id}-start`} type="date" value={form.startsAt} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} {...described('startsAt')} data-testid="event-start" />
          {problem('startsAt')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>{t('events.create.endsAt')}</label>
          <input id={`${id}-end`} type="date" value={form.endsAt} onChange={(e) => setForm({ ...form, endsAt: e.target.value })} {...described('endsAt')} data-testid="event-end" />
          {problem('endsAt')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zone`}>{t('events.create.timeZone')}</label>
        <select id={`${id}-zone`} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} data-testid="event-zone">
          {timeZones(zone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-deadline`}>{t('events.create.deadlineHours')}</label>
        <input
          id={`${id}-deadline`}
          type="number"
          min={1}
          max={1440}
          value={form.deadlineHours}
          onChange={(e) => setForm({ ...form, deadlineHours: e.target.value })}
          {...described('deadlineHours')}
          data-testid="event-deadline"
        />
        <p className="field__hint">{t('events.create.deadlineHint')}</p>
        {problem('deadlineHours')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-tracks`}>{t('events.create.tracks')}</label>
        <textarea id={`${id}-tracks`} rows={4} value={form.tracks} onChange={(e) => setForm({ ...form, tracks: e.target.value })} aria-describedby={`${id}-tracks-hint`} data-testid="event-tracks" />
        <p id={`${id}-tracks-hint`} className="field__hint">
          {t('events.create.tracksHint')}
        </p>
      </div>
      <div className="field field--check">
        <input id={`${id}-public`} type="checkbox" checked={form.public} onChange={(e) => setForm({ ...form, public: e.target.checked })} />
        <label htmlFor={`${id}-public`}>{t('events.create.public')}</label>
      </div>
      <p role="alert" className="field__error">
        {failure ? t('events.create.failed', { message: failure }) : ''}
      </p>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="event-create">
          {busy ? t('events.create.creating') : t('events.create.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('events.create.cancel')}
        </button>
      </div>
    </form>
  );
}
