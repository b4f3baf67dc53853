import { useTranslation } from 'react-i18next';
import { formatDate } from '../formatDate';
import type { PeriodState } from './period';

/** "Comments open until …", "Comment period closed on …", "Commenting opens on …". */
export function PeriodNotice({ state }: { state: PeriodState }) {
  const { t, i18n } = useTranslation();
  if (state.kind === 'none') return null;
  const date = (iso: string) => formatDate(i18n.language, iso, { dateStyle: 'full', timeStyle: 'short' });
  const text =
    state.kind === 'before'
      ? t('comments.period.before', { opens: date(state.opensAt), closes: date(state.closesAt) })
      : state.kind === 'open'
        ? t('comments.period.open', { closes: date(state.closesAt) })
        : t('comments.period.after', { closes: date(state.closesAt) });
  return (
    <p className={`period-notice period-notice--${state.kind}`} data-testid="comment-period-status" data-state={state.kind}>
      {text}
    </p>
  );
}
