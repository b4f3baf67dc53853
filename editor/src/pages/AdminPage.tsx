import { type AdminUser, type AdminUserUpdate, ApiError, type User } from '@rapporteur/client/http';
import { CopyButton } from '../CopyButton';
import type { RegistrationMode } from '@rapporteur/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { changeAnnouncementKey, needsConfirmation, replaceUser, resetLinkUrl, rowActions, sortUsers } from '../admin/admin';
import { errorMessage, useApi } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { authPath } from '../session/nextPath';
import { useSession } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { useDocumentTitle } from '../useDocumentTitle';
import { LoadStatus } from '../LoadStatus';
import { AdminTemplates } from '../templates/AdminTemplates';
import adminEnglish from '@rapporteur/i18n/locales/en.json?catalog-part=admin';
import { addEnglishPart } from '../i18n';

// This part's English messages come with its chunk, not with the first load (editor/vite.config.ts).
addEnglishPart(adminEnglish);

const REGISTRATION_MODES = ['open', 'invite-only'] as const satisfies readonly RegistrationMode[];

const isForbidden = (error: unknown): boolean => error instanceof ApiError && error.status === 403;

/**
 * `/admin`: the secretariat manages accounts (administrator right, disabled),
 * the registration mode and the templates documents start from. Everyone else gets "administrators only", also
 * when the server answers 403 because the right was removed meanwhile.
 */
export function AdminPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [forbidden, setForbidden] = useState(false);
  const onForbidden = useCallback(() => setForbidden(true), []);
  const title = session.kind === 'signed-in' && session.user.isAdmin && !forbidden ? t('admin.title') : t('admin.forbiddenTitle');
  useDocumentTitle(title);

  if (session.kind === 'loading') {
    return (
      <div className="page page--narrow">
        <p className="notice" role="status">
          {t('admin.loading')}
        </p>
      </div>
    );
  }
  if (session.kind === 'signed-out') return <Navigate to={authPath('signin', '/admin')} replace />;
  if (session.kind === 'no-accounts') {
    return (
      <div className="page page--narrow">
        <h1>{t('admin.title')}</h1>
        <p className="notice">
          {t('admin.accountsDisabled')} <Link to="/">{t('admin.toList')}</Link>
        </p>
      </div>
    );
  }
  if (!session.user.isAdmin || forbidden) return <AdministratorsOnly />;

  return (
    <div className="page admin-page" data-testid="admin-page">
      <div className="page-heading">
        <div>
          <h1>{t('admin.title')}</h1>
          <p className="page-heading__intro">{t('admin.intro')}</p>
        </div>
      </div>
      <RegistrationSetting onForbidden={onForbidden} />
      <People me={session.user} onForbidden={onForbidden} />
      <AdminTemplates onForbidden={onForbidden} />
    </div>
  );
}

function AdministratorsOnly() {
  const { t } = useTranslation();
  return (
    <div className="page page--narrow not-found" data-testid="admin-forbidden">
      <h1>{t('admin.forbiddenTitle')}</h1>
      <p>{t('admin.forbiddenBody')}</p>
      <p>
        <Link to="/" className="button">
          {t('admin.toList')}
        </Link>
      </p>
    </div>
  );
}

type Load<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'loaded'; value: T };

function RegistrationSetting({ onForbidden }: { onForbidden: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const [state, setState] = useState<Load<RegistrationMode>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<RegistrationMode | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { heading: useId(), intro: useId(), name: useId() };

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    api.getSettings().then(
      (settings) => !cancelled && setState({ kind: 'loaded', value: settings.registration }),
      (e: unknown) => {
        if (cancelled || gate(e)) return;
        if (isForbidden(e)) onForbidden();
        else setState({ kind: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, gate, onForbidden, attempt]);

  const choose = async (next: RegistrationMode): Promise<void> => {
    if (state.kind !== 'loaded' || busy) return;
    const previous = state.value;
    setState({ kind: 'loaded', value: next });
    setSaveError(null);
    setSaved(null);
    setBusy(true);
    try {
      const settings = await api.updateSettings({ registration: next });
      setState({ kind: 'loaded', value: settings.registration });
      setSaved(settings.registration);
    } catch (e) {
      setState({ kind: 'loaded', value: previous });
      if (gate(e)) return;
      if (isForbidden(e)) onForbidden();
      else setSaveError(t('admin.registrationSaveError', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel admin-section" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="panel__heading">
        {t('admin.registrationHeading')}
      </h2>
      <p id={ids.intro} className="page-heading__intro">
        {t('admin.registrationIntro')}
      </p>
      <LoadStatus
        state={state}
        loadingText={t('admin.registrationLoading')}
        errorText={(message) => t('admin.registrationLoadError', { message })}
        retryText={t('admin.retry')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
      {state.kind === 'loaded' && (
        <fieldset className="fieldset fieldset--plain" data-testid="admin-registration" aria-describedby={ids.intro} aria-busy={busy || undefined}>
          <legend className="visually-hidden">{t('admin.registrationHeading')}</legend>
          {REGISTRATION_MODES.map((mode) => (
            <label key={mode} className="radio-option">
              <input
                type="radio"
                name={ids.name}
                value={mode}
                checked={state.value === mode}
                onChange={() => void choose(mode)}
                data-testid={`admin-registration-${mode}`}
              />
              <span>
                <span className="radio-option__label">{t(`admin.registration.${mode}`)}</span>
                <span className="radio-option__hint">{t(`admin.registration.${mode}Hint`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {saveError && (
        <p className="notice notice--error" role="alert">
          {saveError}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="admin-registration-status">
        {saved ? t('admin.registrationSaved', { mode: t(`admin.registration.${saved}`) }) : ''}
      </p>
    </section>
  );
}

function People({ me, onForbidden }: { me: User; onForbidden: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [state, setState] = useState<Load<readonly AdminUser[]>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [changeError, setChangeError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const ids = { heading: useId(), intro: useId(), caption: useId() };
  const [resetLink, setResetLink] = useState<{ user: AdminUser; url: string; expiresAt: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    api.adminListUsers().then(
      (users) => !cancelled && setState({ kind: 'loaded', value: sortUsers(users, language) }),
      (e: unknown) => {
        if (cancelled || gate(e)) return;
        if (isForbidden(e)) onForbidden();
        else setState({ kind: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, gate, onForbidden, attempt, language]);

  const change = async (user: AdminUser, update: AdminUserUpdate): Promise<void> => {
    if (busyId !== null) return;
    if (needsConfirmation(update) && !window.confirm(t('admin.confirmDisable', { name: user.name }))) return;
    setBusyId(user.id);
    setChangeError(null);
    setAnnouncement('');
    try {
      const updated = await api.adminUpdateUser(user.id, update);
      setState((s) => (s.kind === 'loaded' ? { kind: 'loaded', value: replaceUser(s.value, updated) } : s));
      setAnnouncement(t(changeAnnouncementKey(update), { name: updated.name }));
    } catch (e) {
      if (gate(e)) return;
      if (isForbidden(e)) onForbidden();
      else setChangeError(t('admin.updateError', { name: user.name, message: errorMessage(e) }));
    } finally {
      setBusyId(null);
    }
  };

  const issueResetLink = async (user: AdminUser): Promise<void> => {
    if (busyId !== null) return;
    setBusyId(user.id);
    setChangeError(null);
    setResetLink(null);
    try {
      const link = await api.adminResetLink(user.id);
      setResetLink({ user, url: resetLinkUrl(link, window.location.origin), expiresAt: link.expiresAt });
    } catch (e) {
      if (gate(e)) return;
      if (isForbidden(e)) onForbidden();
      else setChangeError(t('admin.resetLinkError', { name: user.name, message: errorMessage(e) }));
    } finally {
      setBusyId(null);
    }
  };

  const none = t('admin.none');
  return (
    <section className="panel admin-section" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="panel__heading">
        {t('admin.peopleHeading')}
        {state.kind === 'loaded' && <span className="admin-section__count">{t('admin.peopleCount', { count: state.value.length })}</span>}
      </h2>
      <p id={ids.intro} className="page-heading__intro">
        {t('admin.peopleIntro')}
      </p>
      <LoadStatus
        state={state}
        loadingText={t('admin.peopleLoading')}
        errorText={(message) => t('admin.peopleLoadError', { message })}
        retryText={t('admin.retry')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
      {state.kind === 'loaded' && state.value.length === 0 && (
        <p className="empty-state" data-testid="admin-users-empty">
          {t('admin.peopleEmpty')}
        </p>
      )}
      {changeError && (
        <p className="notice notice--error" role="alert" data-testid="admin-error">
          {changeError}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="admin-status">
        {announcement}
      </p>
      {state.kind === 'loaded' && state.value.length > 0 && (
        // Scrolls sideways on narrow screens; focusable so keyboards can scroll it too.
        <div className="table-scroll" role="region" aria-labelledby={ids.caption} tabIndex={0}>
          <table className="admin-table" data-testid="admin-users" aria-describedby={ids.intro}>
            <caption id={ids.caption} className="visually-hidden">
              {t('admin.tableCaption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.column.name')}</th>
                <th scope="col">{t('admin.column.email')}</th>
                <th scope="col">{t('admin.column.organisation')}</th>
                <th scope="col">{t('admin.column.group')}</th>
                <th scope="col">{t('admin.column.region')}</th>
                <th scope="col">{t('admin.column.created')}</th>
                <th scope="col">{t('admin.column.admin')}</th>
                <th scope="col">{t('admin.column.disabled')}</th>
                <th scope="col">{t('admin.column.password')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.map((user) => {
                const can = rowActions(user, me);
                const own = user.id === me.id;
                const busy = busyId === user.id;
                return (
                  <tr
                    key={user.id}
                    className={user.disabled ? 'admin-table__row--disabled' : undefined}
                    data-testid="admin-user"
                    data-user-id={user.id}
                    data-disabled={String(user.disabled)}
                    data-admin={String(user.isAdmin)}
                    aria-busy={busy || undefined}
                  >
                    <th scope="row">
                      {user.name}
                      {own && <span className="admin-table__note"> {t('admin.you')}</span>}
                    </th>
                    <td className="admin-table__email">{user.email}</td>
                    <td>{user.organisation ?? none}</td>
                    <td>
                      <span className="admin-table__group">
                        <StakeholderBadge group={user.stakeholderGroup} />
                        <span aria-hidden="true">{t(`stakeholder.name.${user.stakeholderGroup}`)}</span>
                      </span>
                    </td>
                    <td>{t(`region.${user.region}`)}</td>
                    <td>
                      <time dateTime={user.createdAt}>{formatDate(language, user.createdAt, { dateStyle: 'medium' })}</time>
                    </td>
                    <td>
                      {can.toggleAdmin ? (
                        <Switch
                          checked={user.isAdmin}
                          label={t('admin.adminToggle', { name: user.name })}
                          busy={busy}
                          onChange={(isAdmin) => void change(user, { isAdmin })}
                          testId="admin-toggle-admin"
                        />
                      ) : (
                        <OwnValue value={user.isAdmin} />
                      )}
                    </td>
                    <td>
                      {can.toggleDisabled ? (
                        <Switch
                          checked={user.disabled}
                          label={t('admin.disabledToggle', { name: user.name })}
                          busy={busy}
                          onChange={(disabled) => void change(user, { disabled })}
                          testId="admin-toggle-disabled"
                        />
                      ) : (
                        <OwnValue value={user.disabled} />
                      )}
                    </td>
                    <td>
                      {can.resetLink ? (
                        <button
                          type="button"
                          className="button button--small"
                          aria-label={t('admin.resetLinkFor', { name: user.name })}
                          aria-disabled={busy || undefined}
                          onClick={() => void issueResetLink(user)}
                          data-testid="admin-reset-link"
                        >
                          {t('admin.resetLink')}
                        </button>
                      ) : (
                        none
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {resetLink && (
        <div className="notice admin-reset-link" role="status" data-testid="admin-reset-link-result">
          <p>
            {t('admin.resetLinkIssued', {
              name: resetLink.user.name,
              email: resetLink.user.email,
              time: formatDate(language, resetLink.expiresAt, { dateStyle: 'medium', timeStyle: 'short' }),
            })}
          </p>
          <p className="admin-reset-link__row">
            <input
              type="text"
              readOnly
              className="admin-reset-link__url"
              value={resetLink.url}
              aria-label={t('admin.resetLinkLabel', { name: resetLink.user.name })}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="admin-reset-link-url"
            />
            <CopyButton text={resetLink.url} label={t('admin.resetLinkCopy')} testId="admin-reset-link-copy" />
          </p>
        </div>
      )}
    </section>
  );
}

/**
 * An on/off switch: a checkbox with the switch role, named by `label` (which
 * says what "on" means for whom), showing Yes/No beside it. While the change
 * is saved it stays focusable (a disabled control would drop keyboard focus)
 * and further changes are ignored.
 */
function Switch({
  checked,
  label,
  busy,
  onChange,
  testId,
}: {
  checked: boolean;
  label: string;
  busy: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        aria-label={label}
        aria-busy={busy || undefined}
        onChange={(event) => {
          if (!busy) onChange(event.currentTarget.checked);
        }}
        data-testid={testId}
      />
      <span className="switch__state" aria-hidden="true">
        {checked ? t('admin.yes') : t('admin.no')}
      </span>
    </label>
  );
}

/** Your own row's value: shown, not offered (see rowActions). */
function OwnValue({ value }: { value: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="admin-table__own">
      {value ? t('admin.yes') : t('admin.no')} <span className="admin-table__note">({t('admin.ownRow')})</span>
    </span>
  );
}
