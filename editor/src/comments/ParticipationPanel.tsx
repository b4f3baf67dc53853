import type { ApiClient } from '@rapporteur/client/http';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

// The figures and their tables load when the panel is first opened: they need the server anyway.
const ParticipationBody = lazy(async () => ({ default: (await import('./ParticipationBody')).ParticipationBody }));

/**
 * Who took part in the comments: a folded section of the
 * comments panel; opening it fetches the figures, again when the number of
 * comments changes (ParticipationBody).
 */
export function ParticipationPanel({ api, documentId, commentCount }: { api: ApiClient; documentId: string; commentCount: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <details className="participation" data-testid="participation" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('participation.heading')}</summary>
      {open && (
        <Suspense fallback={<p role="status">{t('participation.loading')}</p>}>
          <ParticipationBody api={api} documentId={documentId} commentCount={commentCount} />
        </Suspense>
      )}
    </details>
  );
}
