import { intlLocale } from '@rapporteur/i18n/languages';
import type { DocumentFilters, DocumentView } from '@rapporteur/client/http';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES, DUE_FILTERS, type DocumentStatus, type DocumentType, type DueFilter } from '@rapporteur/protocol';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { useCurrentUser } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { useDocumentTitle } from '../useDocumentTitle';
import { LoadStatus } from '../LoadStatus';
import { LazyDialogButton } from '../LazyDialogButton';
import { NewDocumentDialog } from '../templates/NewDocumentDialog';

const loadImportDialog = async () => (await import('../imports/ImportFileDialog')).ImportFileDialog;
import { DueLabel } from '../workflow/DueLabel';

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; documents: readonly DocumentView[] };

/** The list's filters from the address (`?type=&status=&due=`), so a filtered list can be shared; unknown values are ignored. */
function filtersOf(params: URLSearchParams): DocumentFilters {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = params.get(name);
    return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  };
  const type = pick<DocumentType>('type', DOCUMENT_TYPES);
  const status = pick<DocumentStatus>('status', DOCUMENT_STATUSES);
  const due = pick<DueFilter>('due', DUE_FILTERS);
  return { ...(type ? { type } : {}), ...(status ? { status } : {}), ...(due ? { due } : {}) };
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
  const [searchParams, setSearchParams] = useSearchParams();
  const filterKey = searchParams.toString();
  // Keyed by the query string: a new URLSearchParams with the same filters does not fetch again.
  const filters = useMemo(() => filtersOf(new URLSearchParams(filterKey)), [filterKey]);
  const filtered = Object.keys(filters).length > 0;
  const ids = { type: useId(), status: useId(), due: useId() };
  // Administrators are listed every document on the server, not only theirs: the heading says so.
  const admin = useCurrentUser()?.isAdmin === true;
  const heading = admin ? t('documents.headingAdmin') : t('documents.heading');
  useDocumentTitle(heading);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    // The server's order: overdue first, then by deadline, then the most recently updated (SPEC WF7).
    api.listDocuments(filters).then(
      (documents) => !cancelled && setState({ kind: 'loaded', documents }),
      (error: unknown) => !cancelled && !gate(error) && setState({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt, gate, filters]);

  const setFilter = (name: keyof DocumentFilters, value: string): void => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearchParams(next, { replace: true });
  };

  const created = useCallback((doc: DocumentView) => void navigate(`/d/${encodeURIComponent(doc.id)}`), [navigate]);
  const closeDialog = useCallback(() => {
    setChoosing(false);
    newButton.current?.focus();
  }, []);

  const dateFormat = new Intl.DateTimeFormat(intlLocale(i18n.resolvedLanguage ?? i18n.language), { dateStyle: 'medium', timeStyle: 'short' });

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
        <LazyDialogButton label={t('imports.button')} testId="import-document" load={loadImportDialog} dialogProps={{}} />
      </div>
      {choosing && <NewDocumentDialog onCreated={created} onClose={closeDialog} onError={gate} />}
      <LoadStatus
        state={state}
        loadingText={t('documents.loading')}
        errorText={(message) => t('documents.loadError', { message })}
        retryText={t('documents.retry')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
      <form className="document-filters" role="search" aria-label={t('documents.filtersLabel')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.type}>{t('documents.filterType')}</label>
          <select id={ids.type} value={filters.type ?? ''} onChange={(e) => setFilter('type', e.target.value)} data-testid="filter-type">
            <option value="">{t('documents.filterAny')}</option>
            {DOCUMENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`templates.type.${type}.name`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('documents.filterStatus')}</label>
          <select id={ids.status} value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)} data-testid="filter-status">
            <option value="">{t('documents.filterAny')}</option>
            {DOCUMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`workflow.status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.due}>{t('documents.filterDue')}</label>
          <select id={ids.due} value={filters.due ?? ''} onChange={(e) => setFilter('due', e.target.value)} data-testid="filter-due">
            <option value="">{t('documents.filterAny')}</option>
            {DUE_FILTERS.map((due) => (
              <option key={due} value={due}>
                {t(`documents.due.${due}`)}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button type="button" className="button button--small" onClick={() => setSearchParams(new URLSearchParams(), { replace: true })} data-testid="clear-filters">
            {t('documents.clearFilters')}
          </button>
        )}
      </form>
      <p className="visually-hidden" role="status" data-testid="documents-count">
        {state.kind === 'loaded' ? t('documents.count', { count: state.documents.length }) : ''}
      </p>
      {state.kind === 'loaded' && state.documents.length === 0 && !filtered && (
        <div className="empty-state" data-testid="empty-state">
          <h2>{t('documents.emptyHeading')}</h2>
          <p>{t('documents.emptyBody')}</p>
        </div>
      )}
      {state.kind === 'loaded' && state.documents.length === 0 && filtered && (
        <div className="empty-state" data-testid="empty-filtered">
          <h2>{t('documents.noMatchHeading')}</h2>
          <p>{t('documents.noMatchBody')}</p>
          <button type="button" className="button" onClick={() => setSearchParams(new URLSearchParams(), { replace: true })}>
            {t('documents.clearFilters')}
          </button>
        </div>
      )}
      {state.kind === 'loaded' && state.documents.length > 0 && (
        <ul className="document-list" aria-label={admin ? t('documents.listLabelAdmin') : t('documents.listLabel')}>
          {state.documents.map((doc) => (
            <li key={doc.id} className="document-list__item" data-testid="document-item" data-status={doc.status}>
              <Link to={`/d/${encodeURIComponent(doc.id)}`} data-testid="document-link" className="document-list__link">
                {doc.title}
              </Link>
              <span className="document-list__meta">
                {doc.status && (
                  <span className="document-list__badges">
                    <span className={`status-badge status-badge--${doc.status}`} data-testid="status-badge" data-status={doc.status}>
                      {t(`workflow.status.${doc.status}`)}
                    </span>
                    <DueLabel deadline={doc.deadline ?? null} status={doc.status} />
                  </span>
                )}
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
