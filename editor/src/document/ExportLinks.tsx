import type { ExportFormat } from '@rapporteur/protocol';
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

/** The export formats in menu order, with their i18n keys (visible name, accessible name). */
export const EXPORT_FORMATS = [
  { format: 'pdf', name: 'editor.exportPdf', label: 'editor.exportPdfLabel' },
  { format: 'docx', name: 'editor.exportDocx', label: 'editor.exportDocxLabel' },
  { format: 'odt', name: 'editor.exportOdt', label: 'editor.exportOdtLabel' },
  { format: 'html', name: 'editor.exportHtml', label: 'editor.exportHtmlLabel' },
  { format: 'md', name: 'editor.exportMarkdown', label: 'editor.exportMarkdownLabel' },
] as const satisfies ReadonlyArray<{ format: ExportFormat; name: string; label: string }>;

/**
 * Download links for every export format (SPEC X1). On a server with
 * accounts the download goes through the API client, so a 401 (the session
 * ended) leads to sign-in instead of saving an error as the file, and the
 * person sees progress ("Preparing PDF…", the link busy) while the server
 * renders, then the file, or the server's reason (e.g. no PDF engine).
 */
export function ExportLinks({ documentId, title }: { documentId: string; title: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const gate = useAuthGate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState<ExportFormat | null>(null);
  const href = (format: ExportFormat): string => `/api/documents/${encodeURIComponent(documentId)}/export?format=${format}`;
  const accounts = session.kind === 'signed-in' || session.kind === 'signed-out';
  const nameOf = (format: ExportFormat): string => t(EXPORT_FORMATS.find((f) => f.format === format)!.name);
  const onClick = (format: ExportFormat) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (busy !== null) {
      event.preventDefault();
      return;
    }
    if (!accounts || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setError(null);
    setDone(null);
    setBusy(format);
    api.exportFile(documentId, format).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = exportFileName(title, format);
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setBusy(null);
        setDone(format);
      },
      (e: unknown) => {
        setBusy(null);
        if (!gate(e)) setError(t('editor.exportError', { message: errorMessage(e) }));
      },
    );
  };
  return (
    <nav className="export-links" aria-label={t('editor.export')} aria-busy={busy !== null}>
      <span className="export-links__label" aria-hidden="true">
        {t('editor.export')}
      </span>
      {EXPORT_FORMATS.map(({ format, name, label }) => (
        <a
          key={format}
          className="button button--small"
          href={href(format)}
          download={exportFileName(title, format)}
          onClick={onClick(format)}
          aria-label={t(label)}
          aria-disabled={busy !== null && busy !== format ? true : undefined}
          aria-busy={busy === format ? true : undefined}
          data-testid={`export-${format}`}
        >
          {t(name)}
        </a>
      ))}
      <span className="export-links__status" role="status">
        {busy !== null ? t('editor.exportPreparing', { format: nameOf(busy) }) : done !== null ? t('editor.exportReady', { format: nameOf(done) }) : ''}
      </span>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </nav>
  );
}
