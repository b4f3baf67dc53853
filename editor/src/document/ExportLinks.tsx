import { type MouseEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { useSession } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';

/** A file name for a download made from the document title (never empty, no path characters). */
export function exportFileName(title: string, extension: string): string {
  // eslint-disable-next-line no-control-regex
  const base = title.replace(/[\u0000-\u001f\u007f/\\?%*:|"<>]/g, '').replace(/\s+/g, ' ').trim().slice(0, 100);
  return `${base || 'document'}.${extension}`;
}

/**
 * Download links for the document's HTML and Markdown. On a server with
 * accounts the download goes through the API client, so a 401 (the session
 * ended) leads to sign-in instead of saving an error as the file.
 */
export function ExportLinks({ documentId, title }: { documentId: string; title: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const gate = useAuthGate();
  const [error, setError] = useState<string | null>(null);
  const href = (format: 'html' | 'md'): string => `/api/documents/${encodeURIComponent(documentId)}/export?format=${format}`;
  const accounts = session.kind === 'signed-in' || session.kind === 'signed-out';
  const onClick = (format: 'html' | 'md') => (event: MouseEvent<HTMLAnchorElement>) => {
    if (!accounts || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setError(null);
    api.exportDocument(documentId, format).then(
      (text) => {
        const url = URL.createObjectURL(new Blob([text], { type: format === 'html' ? 'text/html' : 'text/markdown' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = exportFileName(title, format);
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      (e: unknown) => !gate(e) && setError(t('editor.exportError', { message: errorMessage(e) })),
    );
  };
  return (
    <nav className="export-links" aria-label={t('editor.export')}>
      <span className="export-links__label" aria-hidden="true">
        {t('editor.export')}
      </span>
      <a className="button button--small" href={href('html')} download={exportFileName(title, 'html')} onClick={onClick('html')} aria-label={t('editor.exportHtmlLabel')} data-testid="export-html">
        {t('editor.exportHtml')}
      </a>
      <a className="button button--small" href={href('md')} download={exportFileName(title, 'md')} onClick={onClick('md')} aria-label={t('editor.exportMarkdownLabel')} data-testid="export-md">
        {t('editor.exportMarkdown')}
      </a>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </nav>
  );
}
