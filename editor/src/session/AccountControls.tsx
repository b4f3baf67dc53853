import { documentsWithUnsavedChanges } from '@rapporteur/client/offline';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api/ApiContext';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { authPath } from './nextPath';
import { useSession } from './SessionContext';

/**
 * The header's account part: the signed-in person (name and stakeholder
 * group, linking to the profile) and Sign out; or, on a server with
 * accounts, Sign in and Sign up. Nothing on a server without accounts.
 */
export function AccountControls() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signOutHintId = useId();

  if (session.kind === 'signed-in') {
    const { user } = session;
    const doSignOut = async (): Promise<void> => {
      // Changes the server has not confirmed live only in the offline copies that signing out deletes.
      const unsaved = documentsWithUnsavedChanges();
      if (unsaved > 0 && !window.confirm(t('session.signOutUnsaved', { count: unsaved }))) return;
      setBusy(true);
      setError(null);
      try {
        await signOut();
        void navigate('/signin');
      } catch (e) {
        setError(t('session.signOutError', { message: errorMessage(e) }));
      } finally {
        setBusy(false);
      }
    };
    return (
      <nav className="account" aria-label={t('session.accountMenu')}>
        <NavLink to="/events" className="button button--small" data-testid="events-link">
          {t('events.link')}
        </NavLink>
        {user.isAdmin && (
          <NavLink to="/admin" className="button button--small" data-testid="admin-link">
            {t('admin.link')}
          </NavLink>
        )}
        <Link
          to="/profile"
          className="account__user"
          data-testid="current-user"
          aria-label={t('session.currentUserLabel', { name: user.name, group: t(`stakeholder.name.${user.stakeholderGroup}`) })}
        >
          <span className="account__name">{user.name}</span>
          <StakeholderBadge group={user.stakeholderGroup} />
        </Link>
        <button
          type="button"
          className="button button--small"
          data-testid="signout"
          onClick={() => void doSignOut()}
          disabled={busy}
          aria-busy={busy}
          aria-describedby={signOutHintId}
          title={t('session.signOutHint')}
        >
          {t('session.signOut')}
        </button>
        <span id={signOutHintId} className="visually-hidden">
          {t('session.signOutHint')}
        </span>
        {error && (
          <p className="field__error account__error" role="alert">
            {error}
          </p>
        )}
      </nav>
    );
  }

  if (session.kind === 'signed-out') {
    const here = location.pathname + location.search;
    const onAuthPage = location.pathname === '/signin' || location.pathname === '/signup';
    const next = onAuthPage ? (new URLSearchParams(location.search).get('next') ?? '/') : here;
    return (
      <nav className="account" aria-label={t('session.accountMenu')}>
        <Link to={authPath('signin', next)} className="button button--small">
          {t('session.signIn')}
        </Link>
        <Link to={authPath('signup', next)} className="button button--small button--primary">
          {t('session.signUp')}
        </Link>
      </nav>
    );
  }

  return null;
}
