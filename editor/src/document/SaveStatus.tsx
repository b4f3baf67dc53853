import type { Connection } from '@rapporteur/client/connect';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { saveStatusLabel } from './saveStatus';

/** The live "Saved / Saving… / Offline — N changes waiting" line; re-renders only on status changes. */
export function SaveStatus({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const status = useSyncExternalStore(
    (onChange) => connection.subscribe(onChange),
    () => connection.status,
  );
  const { state, label } = saveStatusLabel(t, status);
  return (
    <p className={`save-status save-status--${state}`} role="status" aria-live="polite" data-testid="save-status" data-state={state}>
      <span className="save-status__dot" aria-hidden="true" />
      {label}
    </p>
  );
}
