import { fieldIssues, type User } from '@rapporteur/client/http';
import { GENDERS, type Gender } from '@rapporteur/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { AccessTokens } from '../session/AccessTokens';
import { hasProblems, isRegion, isStakeholderGroup, type ProfileValues, type Problems, validateProfile } from '../session/forms';
import { authPath } from '../session/nextPath';
import { ProfileFields } from '../session/ProfileFields';
import { useFocusFirstInvalid } from '../session/fields';
import { useSession } from '../session/SessionContext';
import { useAuthGate } from '../session/useAuthGate';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { useDocumentTitle } from '../useDocumentTitle';

export function ProfilePage() {
  const { t } = useTranslation();
  const { session } = useSession();
  useDocumentTitle(t('profile.title'));
  return (
    <div className="page page--form">
      <h1>{t('profile.title')}</h1>
      {session.kind === 'loading' && (
        <p className="notice" role="status">
          {t('profile.loading')}
        </p>
      )}
      {session.kind === 'no-accounts' && (
        <p className="notice">
          {t('profile.accountsDisabled')} <Link to="/">{t('signin.toList')}</Link>
        </p>
      )}
      {/* The server answered 401 to /api/me: sign in, then come back. */}
      {session.kind === 'signed-out' && <Navigate to={authPath('signin', '/profile')} replace />}
      {session.kind === 'signed-in' && (
        <>
          <p className="page-heading__intro">{t('profile.intro')}</p>
          <ProfileForm key={session.user.id} user={session.user} />
          <AccessTokens />
        </>
      )}
    </div>
  );
}

type TriState = '' | 'yes' | 'no';
const toTri = (v: boolean | null): TriState => (v === null ? '' : v ? 'yes' : 'no');
const fromTri = (v: TriState): boolean | null => (v === '' ? null : v === 'yes');

function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const api = useApi();
  const { setUser } = useSession();
  const gate = useAuthGate();
  const [values, setValues] = useState<ProfileValues>({
    name: user.name,
    organisation: user.organisation ?? '',
    country: user.country ?? '',
    stakeholderGroup: user.stakeholderGroup,
    region: user.region,
  });
  const [gender, setGender] = useState<Gender | ''>(user.gender ?? '');
  const [youth, setYouth] = useState<TriState>(toTri(user.youth));
  const [firstTime, setFirstTime] = useState<TriState>(toTri(user.firstTime));
  const [showDemographics, setShowDemographics] = useState(user.showDemographics);
  const [problems, setProblems] = useState<Problems<keyof ProfileValues>>({});
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const ids = { details: useId(), demographics: useId(), demographicsIntro: useId(), gender: useId(), youth: useId(), firstTime: useId(), show: useId(), showHint: useId() };

  const set = (key: keyof ProfileValues, value: string): void => {
    setValues((v) => ({ ...v, [key]: value }));
    setProblems((p) => ({ ...p, [key]: undefined }));
    setServerProblems(({ [key]: _, ...rest }) => rest);
    setResult(null);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = validateProfile(values);
    setProblems(found);
    setServerProblems({});
    setResult(null);
    if (hasProblems(found) || !isStakeholderGroup(values.stakeholderGroup) || !isRegion(values.region)) {
      setResult({ ok: false, message: t('problems.fixBelow') });
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const updated = await api.updateMe({
        name: values.name.trim().replace(/\s+/g, ' '),
        organisation: values.organisation.trim() || null,
        country: values.country.trim() || null,
        stakeholderGroup: values.stakeholderGroup,
        region: values.region,
        gender: gender === '' ? null : gender,
        youth: fromTri(youth),
        firstTime: fromTri(firstTime),
        showDemographics,
      });
      setUser(updated);
      setResult({ ok: true, message: t('profile.saved') });
    } catch (e) {
      if (gate(e)) return;
      const issues = fieldIssues(e);
      if (issues) setServerProblems(issues);
      setResult({ ok: false, message: issues ? t('problems.fixBelow') : t('profile.saveError', { message: errorMessage(e) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="form panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={ids.details} data-testid="profile-form">
      <h2 id={ids.details} className="panel__heading">
        {t('profile.detailsHeading')} <StakeholderBadge group={user.stakeholderGroup} />
      </h2>
      <p className="field__hint">
        {t('profile.email')}: <strong>{user.email}</strong>
      </p>
      <ProfileFields values={values} onChange={set} problems={problems} serverProblems={serverProblems} testIdPrefix="profile" />
      <fieldset className="fieldset" aria-describedby={ids.demographicsIntro}>
        <legend id={ids.demographics}>{t('profile.demographicsHeading')}</legend>
        <p id={ids.demographicsIntro} className="field__hint">
          {t('profile.demographicsIntro')}
        </p>
        <div className="field">
          <label htmlFor={ids.gender}>{t('profile.gender')}</label>
          <select id={ids.gender} value={gender} onChange={(e) => setGender(e.target.value as Gender | '')} data-testid="profile-gender">
            <option value="">{t('profile.notGiven')}</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.youth}>{t('profile.youth')}</label>
          <select id={ids.youth} value={youth} onChange={(e) => setYouth(e.target.value as TriState)} data-testid="profile-youth">
            <option value="">{t('profile.notGiven')}</option>
            <option value="yes">{t('profile.yes')}</option>
            <option value="no">{t('profile.no')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.firstTime}>{t('profile.firstTime')}</label>
          <select id={ids.firstTime} value={firstTime} onChange={(e) => setFirstTime(e.target.value as TriState)} data-testid="profile-first-time">
            <option value="">{t('profile.notGiven')}</option>
            <option value="yes">{t('profile.yes')}</option>
            <option value="no">{t('profile.no')}</option>
          </select>
        </div>
        <div className="checkbox">
          <input
            id={ids.show}
            type="checkbox"
            checked={showDemographics}
            onChange={(e) => setShowDemographics(e.target.checked)}
            aria-describedby={ids.showHint}
            data-testid="profile-show-demographics"
          />
          <label htmlFor={ids.show}>{t('profile.showDemographics')}</label>
          <p id={ids.showHint} className="field__hint checkbox__hint">
            {t('profile.showDemographicsHint')}
          </p>
        </div>
      </fieldset>
      {result && (
        <p className={result.ok ? 'notice notice--ok' : 'notice notice--error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy} data-testid="profile-save">
          {busy ? t('profile.saving') : t('profile.save')}
        </button>
      </div>
    </form>
  );
}
