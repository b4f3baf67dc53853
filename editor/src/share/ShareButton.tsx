import type { DocumentView } from '@rapporteur/client/http';
import { useTranslation } from 'react-i18next';
import { LazyDialogButton } from '../LazyDialogButton';

const loadShareDialog = async () => (await import('./ShareDialog')).ShareDialog;

/** The owner's Share button, opening the share dialog (loaded on first use); focus returns to it when the dialog closes. */
export function ShareButton({ document, onChanged }: { document: DocumentView; onChanged: (document: DocumentView) => void }) {
  const { t } = useTranslation();
  return <LazyDialogButton label={t('share.button')} testId="share-button" load={loadShareDialog} dialogProps={{ document, onChanged }} />;
}
