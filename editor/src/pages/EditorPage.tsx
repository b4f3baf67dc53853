import { parseDocumentId } from '@rapporteur/protocol';
import type { DocumentSummary } from '@rapporteur/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage, isNotFound, useApi } from '../api/ApiContext';
import { CollaborativeEditor } from '../document/CollaborativeEditor';
import { DocumentTitle } from '../document/DocumentTitle';
import { ExportLinks } from '../document/ExportLinks';
import { Presence } from '../document/Presence';
import { SaveStatus } from '../document/SaveStatus';
import { useConnection } from '../document/useConnection';
import { useDocumentTitle } from '../useDocumentTitle';
import { NotFoundPage } from './NotFoundPage';

export function EditorPage() {
  const { documentId: raw = '' } = useParams();
  const documentId = parseDocumentId(raw);
  if (documentId === null) return <NotFoundPage kind="document" />;
  // A new session (connection, editor, title) for every document.
  return <DocumentSession key={documentId} documentId={documentId} />;
}

type MetaState =
  | { kind: 'loading' }
  | { kind: 'loaded'; summary: DocumentSummary }
  | { kind: 'notFound' }
  | { kind: 'error'; message: string };

/**
 * One open document. The text is available as soon as the connection exists,
 * even when the title cannot be fetched (offline, the IndexedDB copy is
 * editable); only a document the server does not know leads to "not found".
 */
function DocumentSession({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const connection = useConnection(documentId);
  const [meta, setMeta] = useState<MetaState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useDocumentTitle(meta.kind === 'loaded' ? meta.summary.title : null);

  useEffect(() => {
    let cancelled = false;
    api.getDocument(documentId).then(
      (summary) => !cancelled && setMeta({ kind: 'loaded', summary }),
      (error: unknown) => !cancelled && setMeta(isNotFound(error) ? { kind: 'notFound' } : { kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, attempt]);

  // Opened offline: fetch the title again once the server is reachable.
  const failed = meta.kind === 'error';
  useEffect(() => {
    if (!connection || !failed) return;
    return connection.subscribe((s) => {
      if (s.connection === 'connected') setAttempt((n) => n + 1);
    });
  }, [connection, failed]);

  if (meta.kind === 'notFound') return <NotFoundPage kind="document" />;

  const title = meta.kind === 'loaded' ? meta.summary.title : '';
  return (
    <div className="editor-page">
      <h1 className="visually-hidden">{t('editor.pageHeading', { title: title || t('editor.untitled') })}</h1>
      <div className="editor-page__top">
        <Link to="/" className="back-link">
          <span aria-hidden="true" className="back-link__arrow">
            {t('editor.backArrow')}
          </span>{' '}
          {t('editor.backToList')}
        </Link>
        <div className="editor-page__heading">
          {meta.kind === 'loaded' ? (
            <DocumentTitle summary={meta.summary} onRenamed={(summary) => setMeta({ kind: 'loaded', summary })} />
          ) : (
            <div className="document-title document-title--placeholder" aria-hidden="true" />
          )}
          <ExportLinks documentId={documentId} title={title} />
        </div>
        {meta.kind === 'error' && (
          <p className="notice notice--error" role="alert">
            {t('editor.loadError', { message: meta.message })}
          </p>
        )}
        {connection && <SaveStatus connection={connection} />}
      </div>
      <div className="editor-page__body">
        <div className="editor-page__main">
          {connection ? (
            <CollaborativeEditor key={connection.doc.guid} connection={connection} />
          ) : (
            <p className="notice" role="status">
              {t('editor.loading')}
            </p>
          )}
        </div>
        <aside className="editor-page__aside">{connection && <Presence connection={connection} />}</aside>
      </div>
    </div>
  );
}
