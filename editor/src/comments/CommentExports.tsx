import type { ApiClient } from '@rapporteur/client/http';
import { type MouseEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { exportFileName } from '../document/ExportLinks';
import { useAuthGate } from '../session/useAuthGate';

type Kind = 'csv' | 'html' | 'compendium-html' | 'compendium-md';

const FILES: Record<Kind, { path: string; extension: string; type: string; testId: string }> = {
  csv: { path: 'comments/export?format=csv', extension: 'csv', type: 'text/csv', testId: 'export-comments-csv' },
  html: { path: 'comments/export?format=html', extension: 'html', type: 'text/html', testId: 'export-comments-html' },
  'compendium-html': { path: 'comments/compendium?format=html', extension: 'html', type: 'text/html', testId: 'export-compendium' },
  'compendium-md': { path: 'comments/compendium?format=md', extension: 'md', type: 'text/markdown', testId: 'export-compendium-md' },
};

/**
 * Downloads of the disposition-of-comments table (CSV, HTML) and the
 * compendium of views by stakeholder group (HTML, Markdown). The download
 * goes through the API client, so an ended session leads to sign-in instead
 * of saving an error page.
 */
export function CommentExports({ api, documentId, title }: { api: ApiClient; documentId: string; title: string }) {
  const { t } = useTranslation();
  const gate = useAuthGate();
  const [error, setError] = useState<string | null>(null);
  const href = (kind: Kind): string => `/api/documents/${encodeURIComponent(documentId)}/${FILES[kind].path}`;
  const fileName = (kind: Kind): string =>
    exportFileName(kind.startsWith('compendium') ? t('comments.exports.compendiumFile', { title }) : t('comments.exports.dispositionFile', { title }), FILES[kind].extension);
  const onClick = (kind: Kind) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setError(null);
    const fetchText =
      kind === 'csv' || kind === 'html' ? api.exportComments(documentId, kind) : api.exportCompendium(documentId, kind === 'compendium-md' ? 'md' : 'html');
    fetchText.then(
      (text) => {
        const url = URL.createObjectURL(new Blob([text], { type: FILES[kind].type }));
        const a = document.createElement('a');
        a.href = url;
        a.download = fileName(kind);
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      (e: unknown) => !gate(e) && setError(t('editor.exportError', { message: errorMessage(e) })),
    );
  };
  const link = (kind: Kind, label: string, accessible: string) => (
    <a className="button button--small" href={href(kind)} download={fileName(kind)} onClick={onClick(kind)} aria-label={accessible} data-testid={FILES[kind].testId}>
      {label}
    </a>
  );
  return (
    <section className="comment-exports" aria-label={t('comments.exports.heading')}>
      <h3 className="comments-panel__subheading">{t('comments.exports.heading')}</h3>
      <p className="comment-exports__row">
        <span>{t('comments.exports.disposition')}</span>
        {link('csv', t('comments.exports.csv'), t('comments.exports.dispositionCsvLabel'))}
        {link('html', t('comments.exports.html'), t('comments.exports.dispositionHtmlLabel'))}
      </p>
      <p className="comment-exports__row">
        <span>{t('comments.exports.compendium')}</span>
        {link('compendium-html', t('comments.exports.html'), t('comments.exports.compendiumHtmlLabel'))}
        {link('compendium-md', t('comments.exports.markdown'), t('comments.exports.compendiumMdLabel'))}
      </p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
