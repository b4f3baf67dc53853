import type { InvitationView } from '@rapporteur/protocol';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../CopyButton';

/** Links for rapporteurs without an account: shown once, to be sent (they were e-mailed when the server can). */
export function Invitations({ invitations }: { invitations: readonly InvitationView[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="events-table" data-testid="invitations">
        <caption>{t('events.import.invitations')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('events.dashboard.column.code')}</th>
            <th scope="col">{t('events.import.email')}</th>
            <th scope="col">{t('events.import.link')}</th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((inv) => (
            <tr key={`${inv.sessionCode}-${inv.email}`}>
              <th scope="row">{inv.sessionCode}</th>
              <td>
                {inv.email}
                {inv.emailed && <span className="event-list__meta"> · {t('events.import.emailed')}</span>}
              </td>
              <td>
                <CopyButton text={inv.url} label={t('events.import.copyLink', { email: inv.email })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

