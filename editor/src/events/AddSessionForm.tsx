import type { EventView, ImportProblem, InvitationView, SessionType } from '@rapporteur/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { Invitations } from './Invitations';
import { parseEmails, parseSpeakers } from './events';

/**
 * One session added by hand (those who manage the event): the same checks
 * as a CSV row on the server; its report is made from the session-report
 * template at once, the rapporteurs become its editors or get an invitation.
 */
export function AddSessionForm({ event, onAdded }: { event: EventView; onAdded: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  // The session types are the catalog's: the editor's first load carries no list of its own for them.
  const types = Object.keys(t('events.sessionType', { returnObjects: true }) as Record<string, string>) as SessionType[];
  const empty = { code: '', title: '', type: 'workshop' as SessionType, track: event.tracks[0]?.name ?? '', start: '', end: '', rapporteurs: '', speakers: '' };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<{ code: string; invitations: InvitationView[]; warnings: ImportProblem[] } | null>(null);
  const speakers = parseSpeakers(form.speakers);

  return (
    <section className="event-section" aria-labelledby={`${id}-heading`} data-testid="add-session">
      <h2 id={`${id}-heading`}>{t('events.addSession.heading')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (speakers.bad.length > 0) {
            setFailure(t('events.addSession.badSpeakers', { lines: speakers.bad.join(', ') }));
            return;
          }
          setBusy(true);
          setFailure(null);
          setDone(null);
          api
            .addSession(event.id, {
              code: form.code.trim(),
              title: form.title.trim(),
              type: form.type,
              track: form.track,
              start: form.start,
              end: form.end,
              rapporteurs: parseEmails(form.rapporteurs),
              speakers: speakers.ok,
            })
            .then(
              (added) => {
                setBusy(false);
                setDone({ code: added.session.code, invitations: added.invitations, warnings: added.warnings });
                setForm(empty);
                onAdded();
              },
              (error: unknown) => {
                setBusy(false);
                setFailure(errorMessage(error));
              },
            );
        }}
      >
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-code`}>{t('events.dashboard.column.code')}</label>
            <input id={`${id}-code`} required maxLength={40} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} data-testid="session-code" />
          </div>
          <div className="field field--grow">
            <label htmlFor={`${id}-title`}>{t('events.dashboard.column.title')}</label>
            <input id={`${id}-title`} required maxLength={300} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} data-testid="session-title" />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-type`}>{t('events.dashboard.column.type')}</label>
            <select id={`${id}-type`} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as SessionType })}>
              {types.map((type) => (
                <option key={type} value={type}>
                  {t(`events.sessionType.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-track`}>{t('events.dashboard.column.track')}</label>
            <select id={`${id}-track`} value={form.track} onChange={(e) => setForm({ ...form, track: e.target.value })}>
              {event.tracks.map((tr) => (
                <option key={tr.id} value={tr.name}>
                  {tr.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-start`}>{t('events.addSession.start', { zone: event.timeZone })}</label>
            <input id={`${id}-start`} type="datetime-local" required value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} data-testid="session-start" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-end`}>{t('events.addSession.end', { zone: event.timeZone })}</label>
            <input id={`${id}-end`} type="datetime-local" required value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} data-testid="session-end" />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-rapporteurs`}>{t('events.addSession.rapporteurs')}</label>
          <textarea id={`${id}-rapporteurs`} rows={2} required value={form.rapporteurs} onChange={(e) => setForm({ ...form, rapporteurs: e.target.value })} data-testid="session-rapporteurs" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-speakers`}>{t('events.addSession.speakers')}</label>
          <textarea id={`${id}-speakers`} rows={3} value={form.speakers} onChange={(e) => setForm({ ...form, speakers: e.target.value })} aria-describedby={`${id}-speakers-hint`} />
          <p id={`${id}-speakers-hint`} className="field__hint">
            {t('events.addSession.speakersHint')}
          </p>
        </div>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="session-add">
          {t('events.addSession.submit')}
        </button>
        <p role="alert" className="field__error" data-testid="session-add-error">
          {failure ? t('events.addSession.failed', { message: failure }) : ''}
        </p>
        <p role="status" data-testid="session-added">
          {done ? t('events.addSession.added', { code: done.code }) : ''}
        </p>
      </form>
      {done && done.warnings.length > 0 && (
        <ul>
          {done.warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
      )}
      {done && done.invitations.length > 0 && <Invitations invitations={done.invitations} />}
    </section>
  );
}
