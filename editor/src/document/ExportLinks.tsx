import { useTranslation } from 'react-i18next';

/** A file name for a download made from the document title (never empty, no path characters). */
export function exportFileName(title: string, extension: string): string {
  // eslint-disable-next-line no-control-regex
  const base = title.replace(/[\u0000-\u001f\u007f/\\?%*:|"<>]/g, '').replace(/\s+/g, ' ').trim().slice(0, 100);
  return `${base || 'document'}.${extension}`;
}

export function ExportLinks({ documentId, title }: { documentId: string; title: string }) {
  const { t } = useTranslation();
  const href = (format: 'html' | 'md'): string => `/api/documents/${encodeURIComponent(documentId)}/export?format=${format}`;
  return (
    <nav className="export-links" aria-label={t('editor.export')}>
      <span className="export-links__label" aria-hidden="true">
        {t('editor.export')}
      </span>
      <a className="button button--small" href={href('html')} download={exportFileName(title, 'html')} aria-label={t('editor.exportHtmlLabel')} data-testid="export-html">
        {t('editor.exportHtml')}
      </a>
      <a className="button button--small" href={href('md')} download={exportFileName(title, 'md')} aria-label={t('editor.exportMarkdownLabel')} data-testid="export-md">
        {t('editor.exportMarkdown')}
      </a>
    </nav>
  );
}
