import { type SyntheticEvent, useEffect, useRef } from 'react';

/**
 * A `<dialog>` that is open while its component is mounted: shown modal on
 * mount (the rest of the page inert, focus inside), closed on unmount, and
 * Escape handed to `onCancel` instead of closing it behind React's back.
 * Spread the result on the element: `<dialog {...useModalDialog(onClose)}>`.
 * Focus goes back to the opener through the opener (`LazyDialogButton`, the
 * panel toggles): the dialog leaves the page, so the browser's own return
 * has nowhere to go.
 */
export function useModalDialog(onCancel: () => void): {
  ref: React.RefObject<HTMLDialogElement | null>;
  onCancel: (event: SyntheticEvent<HTMLDialogElement>) => void;
} {
  const ref = useRef<HTMLDialogElement | null>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    return () => dialog.close();
  }, []);
  return {
    ref,
    onCancel: (event) => {
      event.preventDefault();
      cancel.current();
    },
  };
}
