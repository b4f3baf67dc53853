import { intlLocale } from '@rapporteur/i18n/languages';
import type { DeadlineView, DocumentStatus } from '@rapporteur/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dueState, relativeParts } from './workflow';

/** Now, moving every minute while mounted (the "due in" labels follow the clock). */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * "Due in 5 hours" / "Overdue (due 2 hours ago)" in words (never colour
 * alone), with the deadline's date and zone as its accessible description;
 * nothing without a deadline; "met" once final or published (SPEC WF8).
 */
export function DueLabel({ deadline, status }: { deadline: DeadlineView | null; status: DocumentStatus }) {
  const { t, i18n } = useTranslation();
  const now = useMinuteClock();
  const state = dueState(deadline, status, now);
  if (state.kind === 'none' || !deadline) return null;
  const language = i18n.resolvedLanguage ?? i18n.language;
  const date = new Intl.DateTimeFormat(intlLocale(language), { dateStyle: 'medium', timeStyle: 'short', timeZone: deadline.timeZone }).format(
    new Date(deadline.at),
  );
  const full = t('workflow.deadlineTitle', { date, zone: deadline.timeZone.replaceAll('_', ' ') });
  let text: string;
  if (state.kind === 'met') {
    text = t('workflow.deadlineMet', { date });
  } else {
    const { value, unit } = relativeParts(state.kind === 'due' ? state.ms : -state.ms);
    const relative = new Intl.RelativeTimeFormat(intlLocale(language), { numeric: 'always' }).format(value, unit);
    text = state.kind === 'due' ? t('workflow.due', { relative }) : t('workflow.overdue', { relative });
  }
  return (
    <span className={`due-label due-label--${state.kind}`} data-testid="due-label" data-due={state.kind} title={full}>
      <time dateTime={deadline.at}>{text}</time>
      <span className="visually-hidden"> — {full}</span>
    </span>
  );
}
