import type { DocumentView } from '@rapporteur/client/http';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ShareDialog } from './ShareDialog';

/** The owner's Share button, opening the share dialog; focus returns to it when the dialog closes. */
export function ShareButton({ document, onChanged }: { document: DocumentView; onChanged: (document: DocumentView) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement | null>(null);
  const wasOpen = useRef(false);
  // The dialog leaves the page when it closes, so the browser's own focus
  // return (to the element focused before showModal) has nowhere to go: give
  // focus back to this button once the dialog is gone (while it is modal, the
  // rest of the page is inert and cannot take focus), however it was closed.
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const close = (): void => setOpen(false);
  return (
    <>
      <button ref={button} type="button" className="button button--small" data-testid="share-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('share.button')}
      </button>
      {open && <ShareDialog document={document} onChanged={onChanged} onClose={close} />}
    </>
  );
}
