import { ApiError } from '@rapporteur/client/http';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { authPath } from '../session/nextPath';
import { useSession } from '../session/SessionContext';
import { useDocumentTitle } from '../useDocumentTitle';

type AcceptState = { kind: 'idle' } | { kind: 'accepting' } | { kind: 'failed'; message: string };

/**
 * An invite link (`/invite/<code>`): signed in, it is accepted at once and the
 * document opens; signed out, the page explains and offers sign-in and
 * sign-up, both returning here.
 */
export function InvitePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const { session, markSignedOut } = useSession();
  const [state, setState] = useState<AcceptState>({ kind: 'idle' });
  const started = useRef(false);
  useDocumentTitle(t('invite.title'));
  const here = `/invite/${encodeURIComponent(code)}`;

  useEffect(() => {
    if (session.kind !== 'signed-in' || started.current) return;
    started.current = true;
    setState({ kind: 'accepting' });
    api.acceptInvite(code).then(
      ({ documentId }) => void navigate(`/d/${encodeURIComponent(documentId)}`, { replace: true }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          started.current = false;
          markSignedOut();
          setState({ kind: 'idle' });
          return;
        }
        let message: string;
        if (error instanceof ApiError && (error.status === 410 || error.code === 'invite_expired')) message = t('invite.expired');
        else if (error instanceof ApiError && error.status === 404) message = t('invite.invalid');
        else message = t('invite.error', { message: errorMessage(error) });
        setState({ kind: 'failed', message });
      },
    );
  }, [session.kind, api, code, navigate, markSignedOut, t]);

  return (
    <div className="page page--form" data-testid="invite-page">
      <h1>{t('invite.title')}</h1>
      {(session.kind === 'loading' || state.kind === 'accepting') && (
        <p className="notice" role="status">
          {t('invite.accepting')}
        </p>
      )}
      {session.kind === 'signed-out' && (
        <>
          <p>{t('invite.signedOutBody')}</p>
          <p className="form__actions">
            <Link className="button button--primary" to={authPath('signin', here)}>
              {t('invite.signIn')}
            </Link>
            <Link className="button" to={authPath('signup', here)}>
              {t('invite.signUp')}
            </Link>
          </p>
        </>
      )}
      {session.kind === 'no-accounts' && (
        <p className="notice">
          {t('invite.accountsDisabled')} <Link to="/">{t('invite.toList')}</Link>
        </p>
      )}
      {state.kind === 'failed' && (
        <div className="notice notice--error" role="alert">
          <p>{state.message}</p>
          <p>
            <Link to="/">{t('invite.toList')}</Link>
          </p>
        </div>
      )}
    </div>
  );
}
