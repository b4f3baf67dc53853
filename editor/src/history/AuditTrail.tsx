import type { ApiClient } from '@rapporteur/client/http';
import type { AuditEventView, StakeholderGroup } from '@rapporteur/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { stakeholderLabelKeys } from '../stakeholder/stakeholder';
import { auditActionKey, auditDetails, authorText } from './history';

type Load = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; events: AuditEventView[] } | { kind: 'error'; message: string };

/** The owner's audit trail (`GET …/audit`, newest first), asked for when the disclosure is first opened. */
export function AuditTrail({ api, documentId }: { api: ApiClient; documentId: string }) {
  const { t, i18n } = useTranslation();
  const [load, setLoad] = useState<Load>({ kind: 'idle' });
  const groupName = (group: StakeholderGroup): string => t(stakeholderLabelKeys(group).name);
  const fetchEvents = (): void => {
    setLoad({ kind: 'loading' });
    api.audit(documentId).then(
      (events) => setLoad({ kind: 'ready', events }),
      (error: unknown) => setLoad({ kind: 'error', message: errorMessage(error) }),
    );
  };
  return (
    <details
      className="history-audit"
      data-testid="history-audit"
      onToggle={(event) => {
        if (event.currentTarget.open && load.kind !== 'loading') fetchEvents();
      }}
    >
      <summary>{t('history.audit.heading')}</summary>
      {load.kind === 'loading' && (
        <p className="comments-panel__hint" role="status">
          {t('history.audit.loading')}
        </p>
      )}
      {load.kind === 'error' && (
        <p className="notice notice--error" role="alert">
          {t('history.audit.error', { message: load.message })}
        </p>
      )}
      {load.kind === 'ready' && load.events.length === 0 && <p className="comments-panel__empty">{t('history.audit.empty')}</p>}
      {load.kind === 'ready' && load.events.length > 0 && (
        <ol className="history-audit__events" aria-label={t('history.audit.listLabel')}>
          {load.events.map((event) => {
            const key = auditActionKey(event.action);
            const details = auditDetails(event.details);
            return (
              <li key={event.id} data-testid="history-audit-event" data-action={event.action}>
                {t('history.audit.event', {
                  time: formatDate(i18n.language, event.at),
                  actor: authorText(event.actor, groupName, t('history.unknownAuthor')),
                  action: key ? t(key) : event.action,
                })}
                {details && <span className="history-audit__details"> ({details})</span>}
              </li>
            );
          })}
        </ol>
      )}
    </details>
  );
}
