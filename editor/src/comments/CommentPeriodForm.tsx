import type { DocumentView } from '@rapporteur/client/http';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { useAuthGate } from '../session/useAuthGate';
import { PeriodNotice } from './PeriodNotice';
import { fromLocalInput, periodState, toLocalInput } from './period';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

/**
 * The owner's comment period (in the share dialog): two local date-times,
 * sent as ISO 8601; between them any signed-in person may comment, outside
 * only editors and owners. Clearing it lifts the limit.
 */
export function CommentPeriodSection({ document: doc, onChanged }: { document: DocumentView; onChanged: (document: DocumentView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const ids = { heading: useId(), intro: useId(), opens: useId(), closes: useId(), tz: useId(), error: useId() };
  const period = doc.commentPeriod ?? null;
  const [opens, setOpens] = useState(period ? toLocalInput(period.opensAt) : '');
  const [closes, setCloses] = useState(period ? toLocalInput(period.closesAt) : '');
  const [problem, setProblem] = useState<{ field: 'opens' | 'closes' | null; message: string } | null>(null);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const zone = browserTimeZone();

  const apply = (updated: DocumentView): void => onChanged({ ...updated, commentPeriod: updated.commentPeriod ?? null });

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaved('');
    const opensAt = fromLocalInput(opens);
    const closesAt = fromLocalInput(closes);
    if (!opensAt) return setProblem({ field: 'opens', message: t('commentPeriod.invalidTime') });
    if (!closesAt) return setProblem({ field: 'closes', message: t('commentPeriod.invalidTime') });
    if (Date.parse(closesAt) <= Date.parse(opensAt)) return setProblem({ field: 'closes', message: t('commentPeriod.closesBeforeOpens') });
    setProblem(null);
    setBusy(true);
    try {
      apply(await api.setCommentPeriod(doc.id, { opensAt, closesAt }));
      setSaved(t('commentPeriod.saved'));
    } catch (e) {
      if (!gate(e)) setProblem({ field: null, message: t('commentPeriod.error', { message: errorMessage(e) }) });
    } finally {
      setBusy(false);
    }
  };

  const clear = async (): Promise<void> => {
    setSaved('');
    setProblem(null);
    setBusy(true);
    try {
      apply(await api.clearCommentPeriod(doc.id));
      setOpens('');
      setCloses('');
      setSaved(t('commentPeriod.cleared'));
    } catch (e) {
      if (!gate(e)) setProblem({ field: null, message: t('commentPeriod.error', { message: errorMessage(e) }) });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: 'opens' | 'closes') => (problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${ids.tz} ${ids.error}` } : { 'aria-describedby': ids.tz });

  return (
    <section className="share-section" aria-labelledby={ids.heading} aria-describedby={ids.intro} data-testid="comment-period">
      <h3 id={ids.heading} className="share-section__heading">
        {t('commentPeriod.heading')}
      </h3>
      <p id={ids.intro} className="field__hint">
        {t('commentPeriod.intro')}
      </p>
      <PeriodNotice state={periodState(period, Date.now())} />
      <form className="inline-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.opens}>{t('commentPeriod.opens')}</label>
          <input id={ids.opens} type="datetime-local" value={opens} onChange={(e) => setOpens(e.target.value)} required {...invalid('opens')} data-testid="comment-period-opens" />
        </div>
        <div className="field">
          <label htmlFor={ids.closes}>{t('commentPeriod.closes')}</label>
          <input id={ids.closes} type="datetime-local" value={closes} onChange={(e) => setCloses(e.target.value)} required {...invalid('closes')} data-testid="comment-period-closes" />
        </div>
        <div className="inline-form__actions">
          <button type="submit" className="button button--primary" disabled={busy} data-testid="comment-period-save">
            {t('commentPeriod.save')}
          </button>
          {period && (
            <button type="button" className="button" disabled={busy} onClick={() => void clear()} data-testid="comment-period-clear">
              {t('commentPeriod.clear')}
            </button>
          )}
        </div>
      </form>
      <p id={ids.tz} className="field__hint">
        {zone ? t('commentPeriod.timeZone', { zone }) : t('commentPeriod.timeZoneLocal')}
      </p>
      {problem && (
        <p id={ids.error} className="notice notice--error" role="alert" data-testid="comment-period-error">
          {problem.message}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="comment-period-saved">
        {saved}
      </p>
    </section>
  );
}
