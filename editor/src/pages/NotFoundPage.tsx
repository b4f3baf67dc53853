import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { useDocumentTitle } from '../useDocumentTitle';

/** Shown for unknown addresses and, with `kind="document"`, for documents that do not exist. */
export function NotFoundPage({ kind = 'page' }: { kind?: 'page' | 'document' }) {
  const { t } = useTranslation();
  const title = kind === 'document' ? t('notFound.documentTitle') : t('notFound.title');
  useDocumentTitle(title);
  return (
    <div className="page page--narrow not-found" data-testid="not-found">
      <h1>{title}</h1>
      <p>{kind === 'document' ? t('notFound.documentBody') : t('notFound.body')}</p>
      <p>
        <Link to="/" className="button">
          {t('notFound.back')}
        </Link>
      </p>
    </div>
  );
}

/** The router's fallback when a page throws: a plain explanation and a way back. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <main id="main" className="page page--narrow not-found" role="alert">
      <h1>{t('error.title')}</h1>
      <p>{t('error.body')}</p>
      <p>
        <a href="/" className="button">
          {t('notFound.back')}
        </a>
      </p>
    </main>
  );
}
