import { Component, type ComponentType, lazy, type ReactNode, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button that opens a dialog whose code is loaded on first use (issue 13:
 * the editor's first load carries only what every visit needs; sharing and
 * publishing are a click away and need the network anyway). While the code
 * loads the button's neighbour says so; if it cannot be loaded (offline, a
 * new release replaced the file) it says that, with a way to try again.
 * Focus returns to the button when the dialog closes: the dialog leaves the
 * page, so the browser's own return (to the element focused before
 * showModal) has nowhere to go.
 *
 * `load` must be a stable function (declared at module level): each call of
 * it after a failure is a fresh attempt.
 */
export function LazyDialogButton<P extends { onClose: () => void }>({
  label,
  testId,
  load,
  dialogProps,
}: {
  label: string;
  testId: string;
  load: () => Promise<ComponentType<P>>;
  dialogProps: Omit<P, 'onClose'>;
}) {
  const [open, setOpen] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const button = useRef<HTMLButtonElement | null>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  // A new lazy component per attempt: React keeps a failed import's rejection.
  const Dialog = useMemo(() => lazy(async () => ({ default: await load() })), [load, attempt]);
  const close = (): void => setOpen(false);
  return (
    <>
      <button ref={button} type="button" className="button button--small" data-testid={testId} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && (
        <LoadBoundary key={attempt} onRetry={() => setAttempt((n) => n + 1)} onDismiss={close}>
          <Suspense fallback={<Loading />}>
            <Dialog {...(dialogProps as P)} onClose={close} />
          </Suspense>
        </LoadBoundary>
      )}
    </>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <span className="lazy-part__status" role="status" data-testid="part-loading">
      {t('app.loading')}
    </span>
  );
}

function LoadFailed({ onRetry, onDismiss }: { onRetry: () => void; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="lazy-part__status lazy-part__status--error" role="alert" data-testid="part-load-failed">
      {t('app.partLoadFailed')}{' '}
      <button type="button" className="button button--small" onClick={onRetry}>
        {t('app.partRetry')}
      </button>{' '}
      <button type="button" className="button button--small" onClick={onDismiss}>
        {t('workflow.cancel')}
      </button>
    </span>
  );
}

class LoadBoundary extends Component<{ children: ReactNode; onRetry: () => void; onDismiss: () => void }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? <LoadFailed onRetry={this.props.onRetry} onDismiss={this.props.onDismiss} /> : this.props.children;
  }
}
