import type { DocumentView } from '@rapporteur/client/http';
import { useTranslation } from 'react-i18next';
import { LazyDialogButton } from '../LazyDialogButton';

const loadPublishDialog = async () => (await import('./PublishDialog')).PublishDialog;

/** Opens the publish dialog (loaded on first use: most visits never publish). */
export function PublishButton({ document, onPublished }: { document: DocumentView; onPublished?: () => void }) {
  const { t } = useTranslation();
  return (
    <LazyDialogButton
      label={t('publish.button')}
      testId="publish-button"
      load={loadPublishDialog}
      dialogProps={{ document, ...(onPublished ? { onPublished } : {}) }}
    />
  );
}
