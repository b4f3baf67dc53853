import { ApiError, type CreatedInvite, type DocumentView, type Invite, type Member } from '@rapporteur/client/http';
import { ROLES, type Role, VISIBILITIES, type Visibility } from '@rapporteur/protocol';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { errorMessage, useApi } from '../api/ApiContext';
import { CommentPeriodSection } from '../comments/CommentPeriodForm';
import { CopyButton } from '../CopyButton';
import { formatDate } from '../formatDate';
import { emailProblem } from '../session/forms';
import { useCurrentUser } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { INVITE_DAYS_DEFAULT, INVITE_ROLES, INVITE_DAYS_MAX, INVITE_DAYS_MIN, inviteLink, parseExpiryDays, sortMembers, upsertMember } from './share';

/**
 * The owner's share dialog: people (add by e-mail with a role, change roles,
 * remove), the document's visibility, and invite links (role and expiry;
 * the link is shown once, with a copy button). Errors show in the section
 * they belong to.
 */
export function ShareDialog({
  document: doc,
  onChanged,
  onClose,
}: {
  document: DocumentView;
  onChanged: (document: DocumentView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const modal = useModalDialog(() => onClose());
  const ids = { title: useId(), intro: useId() };


  return (
    <dialog
      {...modal}
      className="dialog dialog--wide"
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      data-testid="share-dialog"
    >
      <div className="dialog__header">
        <h2 id={ids.title} className="dialog__title">
          {t('share.title', { title: doc.title })}
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="share-close">
          {t('share.close')}
        </button>
      </div>
      <p id={ids.intro} className="dialog__intro">
        {t('share.intro')}
      </p>
      <People documentId={doc.id} />
      <VisibilityChoice document={doc} onChanged={onChanged} />
      <CommentPeriodSection document={doc} onChanged={onChanged} />
      <InviteLinks documentId={doc.id} />
    </dialog>
  );
}

function useFailure(): [string | null, (error: unknown, explain?: (e: ApiError) => string | null) => void, () => void] {
  const { t } = useTranslation();
  const gate = useAuthGate();
  const [error, setError] = useState<string | null>(null);
  const fail = useCallback(
    (e: unknown, explain?: (e: ApiError) => string | null) => {
      if (gate(e)) return;
      const specific = e instanceof ApiError && explain ? explain(e) : null;
      setError(specific ?? t('share.error', { message: errorMessage(e) }));
    },
    [gate, t],
  );
  return [error, fail, useCallback(() => setError(null), [])];
}

function RoleOptions({ describe = false, roles = ROLES }: { describe?: boolean; roles?: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <>
      {roles.map((role) => (
        <option key={role} value={role}>
          {describe ? t(`role.describe.${role}`) : t(`role.name.${role}`)}
        </option>
      ))}
    </>
  );
}

function People({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const me = useCurrentUser();
  const [members, setMembers] = useState<readonly Member[] | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [emailError, setEmailError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, fail, clear] = useFailure();
  const ids = { heading: useId(), email: useId(), emailError: useId(), role: useId(), error: useId() };

  const explain = (e: ApiError): string | null => {
    if (e.code === 'user_not_found') return t('share.userNotFound');
    if (e.code === 'last_owner') return t('share.lastOwner');
    return null;
  };

  useEffect(() => {
    let cancelled = false;
    api.listMembers(documentId).then(
      (list) => !cancelled && setMembers(sortMembers(list)),
      (e: unknown) => !cancelled && fail(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, fail]);

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    clear();
    setDone(null);
    const problem = emailProblem(email);
    if (problem) {
      setEmailError(problem === 'required' ? t('problems.required') : t('problems.invalidEmail'));
      return;
    }
    setBusy(true);
    try {
      const member = await api.setMember(documentId, email.trim(), role);
      setMembers((list) => upsertMember(list ?? [], member));
      setEmail('');
      setDone(t('share.added', { name: member.user.name, role: t(`role.name.${member.role}`) }));
    } catch (e) {
      fail(e, explain);
    } finally {
      setBusy(false);
    }
  };

  const changeRole = async (member: Member, next: Role): Promise<void> => {
    clear();
    setDone(null);
    try {
      const updated = await api.setMemberRole(documentId, member.user.id, next);
      setMembers((list) => upsertMember(list ?? [], updated));
    } catch (e) {
      fail(e, explain);
    }
  };

  const remove = async (member: Member): Promise<void> => {
    clear();
    setDone(null);
    try {
      await api.removeMember(documentId, member.user.id);
      setMembers((list) => (list ?? []).filter((m) => m.user.id !== member.user.id));
    } catch (e) {
      fail(e, explain);
    }
  };

  return (
    <section className="share-section" aria-labelledby={ids.heading}>
      <h3 id={ids.heading} className="share-section__heading">
        {t('share.peopleHeading')}
      </h3>
      <form className="inline-form" onSubmit={(e) => void add(e)} noValidate>
        <div className="field inline-form__grow">
          <label htmlFor={ids.email}>{t('share.emailLabel')}</label>
          <input
            id={ids.email}
            type="email"
            inputMode="email"
            autoComplete="off"
            data-testid="share-email"
            value={email}
            aria-invalid={emailError !== null}
            aria-describedby={emailError ? ids.emailError : undefined}
            onChange={(e) => {
              setEmail(e.target.value);
              setEmailError(null);
            }}
          />
          {emailError && (
            <p id={ids.emailError} className="field__error" role="alert">
              {emailError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('share.roleLabel')}</label>
          <select id={ids.role} data-testid="share-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions describe />
          </select>
        </div>
        <button type="submit" className="button button--primary" data-testid="share-add" disabled={busy} aria-busy={busy}>
          {busy ? t('share.adding') : t('share.add')}
        </button>
      </form>
      {error && (
        <p className="notice notice--error" role="alert" data-testid="share-error">
          {error}
        </p>
      )}
      {done && (
        <p className="notice notice--ok" role="status">
          {done}
        </p>
      )}
      {members === null && !error && (
        <p className="notice" role="status">
          {t('share.membersLoading')}
        </p>
      )}
      {members && (
        <ul className="item-list" aria-label={t('share.membersLabel')} data-testid="share-members">
          {members.map((member) => {
            const isMe = me?.id === member.user.id;
            const name = isMe ? t('share.you', { name: member.user.name }) : member.user.name;
            return (
              <li key={member.user.id} className="item-list__item" data-testid="share-member" data-user-id={member.user.id}>
                <span className="item-list__main">
                  <span className="item-list__title">
                    {name} <StakeholderBadge group={member.user.stakeholderGroup} />
                  </span>
                  <span className="item-list__meta">
                    {[member.user.email, member.user.organisation].filter(Boolean).join(' · ')}
                  </span>
                </span>
                <select
                  aria-label={t('share.memberRoleLabel', { name: member.user.name })}
                  value={member.role}
                  onChange={(e) => void changeRole(member, e.target.value as Role)}
                  data-testid="share-member-role"
                >
                  <RoleOptions />
                </select>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('share.removeLabel', { name: member.user.name })}
                  onClick={() => void remove(member)}
                  data-testid="share-member-remove"
                >
                  {t('share.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function VisibilityChoice({ document: doc, onChanged }: { document: DocumentView; onChanged: (document: DocumentView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [value, setValue] = useState<Visibility>(doc.visibility ?? 'private');
  const [saved, setSaved] = useState(false);
  const [error, fail, clear] = useFailure();
  const headingId = useId();
  const name = useId();

  const choose = async (next: Visibility): Promise<void> => {
    const previous = value;
    setValue(next);
    setSaved(false);
    clear();
    try {
      const updated = await api.setVisibility(doc.id, next);
      setValue(updated.visibility ?? next);
      onChanged(updated);
      setSaved(true);
    } catch (e) {
      setValue(previous);
      fail(e);
    }
  };

  const hints: Record<Visibility, string> = {
    private: t('share.visibility.privateHint'),
    comment: t('share.visibility.commentHint'),
    public: t('share.visibility.publicHint'),
  };
  const labels: Record<Visibility, string> = {
    private: t('share.visibility.private'),
    comment: t('share.visibility.comment'),
    public: t('share.visibility.public'),
  };

  return (
    <section className="share-section" aria-labelledby={headingId}>
      <fieldset className="fieldset fieldset--plain" data-testid="share-visibility">
        <legend id={headingId} className="share-section__heading">
          {t('share.visibilityHeading')}
        </legend>
        {VISIBILITIES.map((v) => (
          <label key={v} className="radio-option">
            <input
              type="radio"
              name={name}
              value={v}
              checked={value === v}
              onChange={() => void choose(v)}
              data-testid={`share-visibility-${v}`}
            />
            <span>
              <span className="radio-option__label">{labels[v]}</span>
              <span className="radio-option__hint">{hints[v]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {saved ? t('share.visibilitySaved') : ''}
      </p>
    </section>
  );
}

function InviteLinks({ documentId }: { documentId: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [invites, setInvites] = useState<readonly Invite[] | null>(null);
  const [role, setRole] = useState<Role>('commenter');
  const [days, setDays] = useState(String(INVITE_DAYS_DEFAULT));
  const [daysInvalid, setDaysInvalid] = useState(false);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, fail, clear] = useFailure();
  const ids = { heading: useId(), intro: useId(), role: useId(), days: useId(), daysHint: useId(), daysError: useId(), link: useId() };
  const language = i18n.resolvedLanguage ?? i18n.language;

  useEffect(() => {
    let cancelled = false;
    api.listInvites(documentId).then(
      (list) => !cancelled && setInvites(list),
      (e: unknown) => !cancelled && fail(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, fail]);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    clear();
    const expiresInDays = parseExpiryDays(days);
    if (expiresInDays === null) {
      setDaysInvalid(true);
      return;
    }
    setBusy(true);
    try {
      const invite = await api.createInvite(documentId, { role, expiresInDays });
      setCreated(invite);
      setInvites((list) => [
        ...(list ?? []),
        { id: invite.id, role: invite.role, expiresAt: invite.expiresAt, createdAt: new Date().toISOString() },
      ]);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (invite: Invite): Promise<void> => {
    clear();
    try {
      await api.revokeInvite(documentId, invite.id);
      setInvites((list) => (list ?? []).filter((i) => i.id !== invite.id));
      if (created?.id === invite.id) setCreated(null);
    } catch (e) {
      fail(e);
    }
  };

  const link = created ? inviteLink(window.location.origin, created.code) : '';

  return (
    <section className="share-section" aria-labelledby={ids.heading} aria-describedby={ids.intro}>
      <h3 id={ids.heading} className="share-section__heading">
        {t('share.invitesHeading')}
      </h3>
      <p id={ids.intro} className="field__hint">
        {t('share.invitesIntro')}
      </p>
      <form className="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.role}>{t('share.inviteRole')}</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="share-invite-role">
            <RoleOptions describe roles={INVITE_ROLES} />
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.days}>{t('share.expiresLabel')}</label>
          <input
            id={ids.days}
            type="number"
            inputMode="numeric"
            min={INVITE_DAYS_MIN}
            max={INVITE_DAYS_MAX}
            step={1}
            className="input--short"
            value={days}
            aria-invalid={daysInvalid}
            aria-describedby={daysInvalid ? `${ids.daysError} ${ids.daysHint}` : ids.daysHint}
            onChange={(e) => {
              setDays(e.target.value);
              setDaysInvalid(false);
            }}
            data-testid="share-invite-days"
          />
          <p id={ids.daysHint} className="field__hint">
            {t('share.expiresHint')}
          </p>
          {daysInvalid && (
            <p id={ids.daysError} className="field__error" role="alert">
              {t('share.expiryInvalid')}
            </p>
          )}
        </div>
        <button type="submit" className="button" disabled={busy} aria-busy={busy} data-testid="share-invite-create">
          {busy ? t('share.creatingInvite') : t('share.createInvite')}
        </button>
      </form>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div className="secret" role="status">
          <label htmlFor={ids.link} className="secret__title">
            {t('share.newLink')}
          </label>
          <div className="secret__row">
            <input id={ids.link} type="text" readOnly value={link} className="secret__value" data-testid="share-invite-link" onFocus={(e) => e.target.select()} />
            <CopyButton text={link} label={t('share.copy')} testId="share-invite-copy" />
          </div>
        </div>
      )}
      {invites && invites.length === 0 && <p className="field__hint">{t('share.invitesEmpty')}</p>}
      {invites && invites.length > 0 && (
        <ul className="item-list" aria-label={t('share.invitesLabel')} data-testid="share-invites">
          {invites.map((invite) => {
            const date = formatDate(language, invite.expiresAt, { dateStyle: 'medium' });
            const roleName = t(`role.name.${invite.role}`);
            return (
              <li key={invite.id} className="item-list__item" data-testid="share-invite">
                <span className="item-list__main">{t('share.inviteItem', { role: roleName, date })}</span>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('share.revokeInviteLabel', { role: roleName, date })}
                  onClick={() => void revoke(invite)}
                  data-testid="share-invite-revoke"
                >
                  {t('share.revokeInvite')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
