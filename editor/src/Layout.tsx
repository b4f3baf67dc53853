import { Link, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IdentityButton } from './identity/IdentityButton';
import { LanguageMenu } from './LanguageMenu';
import { NotificationsButton } from './notifications/NotificationsButton';
import { AccountControls } from './session/AccountControls';
import { useSession } from './session/SessionContext';

/** Page frame: skip link, header with the app name, the person's colour and account, and the main landmark. */
export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="app-name" aria-label={t('app.homeLink')}>
          {t('app.name')}
        </Link>
        <span className="app-tagline">{t('app.tagline')}</span>
        <div className="app-header__end">
          <LanguageMenu />
          <IdentityButton />
          {session.kind === 'signed-in' && <NotificationsButton key={session.user.id} />}
          <AccountControls />
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
