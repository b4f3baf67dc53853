import type { DocumentView } from '@rapporteur/client/http';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ShareDialog } from './ShareDialog';

/** The owner's Share button, opening the share dialog; focus returns to it when the dialog closes. */
export function ShareButton({ document, onChanged }: { document: DocumentView; onChanged: (document: DocumentView) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--small" data-testid="share-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('share.button')}
      </button>
      {open && <ShareDialog document={document} onChanged={onChanged} onClose={() => setOpen(false)} />}
    </>
  );
}
