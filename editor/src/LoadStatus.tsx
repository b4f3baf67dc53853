/**
 * What a page section says while its data loads, and when loading failed:
 * a polite status, or an alert with the reason and a Retry button. Renders
 * nothing once loaded; the caller shows the data (or its empty state).
 */
export function LoadStatus({
  state,
  loadingText,
  errorText,
  retryText,
  onRetry,
}: {
  state: { readonly kind: 'loading' } | { readonly kind: 'error'; readonly message: string } | { readonly kind: 'loaded' };
  loadingText: string;
  /** The error line, given the server's message. */
  errorText: (message: string) => string;
  retryText: string;
  onRetry: () => void;
}) {
  if (state.kind === 'loading') {
    return (
      <p className="notice" role="status">
        {loadingText}
      </p>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="notice notice--error" role="alert">
        <p>{errorText(state.message)}</p>
        <button type="button" className="button" onClick={onRetry}>
          {retryText}
        </button>
      </div>
    );
  }
  return null;
}
