import type { DocumentView } from '@rapporteur/client/http';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { useCurrentUser } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { useDocumentTitle } from '../useDocumentTitle';
import { LoadStatus } from '../LoadStatus';
import { NewDocumentDialog } from '../templates/NewDocumentDialog';

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; documents: readonly DocumentView[] };

/** Most recently changed first. */
function byUpdatedDesc(a: DocumentView, b: DocumentView): number {
  return b.updatedAt.localeCompare(a.updatedAt);
}

export function DocumentListPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [choosing, setChoosing] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const gate = useAuthGate();
  // Administrators are listed every document on the server, not only theirs: the heading says so.
  const admin = useCurrentUser()?.isAdmin === true;
  const heading = admin ? t('documents.headingAdmin') : t('documents.heading');
  useDocumentTitle(heading);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    api.listDocuments().then(
      (documents) => !cancelled && setState({ kind: 'loaded', documents: [...documents].sort(byUpdatedDesc) }),
      (error: unknown) => !cancelled && !gate(error) && setState({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt, gate]);

  const created = useCallback((doc: DocumentView) => void navigate(`/d/${encodeURIComponent(doc.id)}`), [navigate]);
  const closeDialog = useCallback(() => {
    setChoosing(false);
    newButton.current?.focus();
  }, []);

  const dateFormat = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div className="page page--narrow">
      <div className="page-heading">
        <div>
          <h1 data-testid="documents-heading" data-scope={admin ? 'all' : 'mine'}>
            {heading}
          </h1>
          <p className="page-heading__intro">{admin ? t('documents.introAdmin') : t('documents.intro')}</p>
        </div>
        <button
          type="button"
          ref={newButton}
          className="button button--primary"
          data-testid="new-document"
          aria-haspopup="dialog"
          onClick={() => setChoosing(true)}
        >
          {t('documents.newDocument')}
        </button>
      </div>
      {choosing && <NewDocumentDialog onCreated={created} onClose={closeDialog} onError={gate} />}
      <LoadStatus
        state={state}
        loadingText={t('documents.loading')}
        errorText={(message) => t('documents.loadError', { message })}
        retryText={t('documents.retry')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
      {state.kind === 'loaded' && state.documents.length === 0 && (
        <div className="empty-state" data-testid="empty-state">
          <h2>{t('documents.emptyHeading')}</h2>
          <p>{t('documents.emptyBody')}</p>
        </div>
      )}
      {state.kind === 'loaded' && state.documents.length > 0 && (
        <ul className="document-list" aria-label={admin ? t('documents.listLabelAdmin') : t('documents.listLabel')}>
          {state.documents.map((doc) => (
            <li key={doc.id} className="document-list__item">
              <Link to={`/d/${encodeURIComponent(doc.id)}`} data-testid="document-link" className="document-list__link">
                {doc.title}
              </Link>
              <span className="document-list__meta">
                {doc.type && doc.type !== 'blank' && <span className="document-list__type">{t(`templates.type.${doc.type}.name`)} · </span>}
                {doc.role && doc.role !== 'owner' && <span className="document-list__role">{t(`role.name.${doc.role}`)} · </span>}
                <time dateTime={doc.updatedAt}>{t('documents.updated', { date: formatDate(dateFormat, doc.updatedAt) })}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function formatDate(format: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}
