import { ApiError, fieldIssues } from '@rapporteur/client/http';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { EmailField, Field, useFocusFirstInvalid, useProblemText } from '../session/fields';
import {
  hasProblems,
  isRegion,
  isStakeholderGroup,
  optionalText,
  PASSWORD_MIN_LENGTH,
  type Problems,
  type SignUpValues,
  validateSignUp,
  weakPasswordProblem,
} from '../session/forms';
import { authPath, inviteCodeFromNext, safeNextPath } from '../session/nextPath';
import { ProfileFields } from '../session/ProfileFields';
import { currentLanguage } from '../i18n';
import { useSession } from '../session/SessionContext';
import { useDocumentTitle } from '../useDocumentTitle';

const EMPTY: SignUpValues = { email: '', password: '', name: '', organisation: '', country: '', stakeholderGroup: '', region: '' };

export function SignUpPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { session, setUser } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const inviteCode = inviteCodeFromNext(next);
  const [values, setValues] = useState<SignUpValues>(EMPTY);
  const [problems, setProblems] = useState<Problems<keyof SignUpValues>>({});
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  // The API's error code behind `error`, for the `data-code` test hook (e.g. `registration_closed`).
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problemText = useProblemText();
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  useDocumentTitle(t('signup.title'));


  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = validateSignUp(values);
    setProblems(found);
    setServerProblems({});
    setError(null);
    setErrorCode(null);
    if (hasProblems(found) || !isStakeholderGroup(values.stakeholderGroup) || !isRegion(values.region)) {
      setError(t('problems.fixBelow'));
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const organisation = optionalText(values.organisation);
      const country = optionalText(values.country);
      const user = await api.signUp({
        email: values.email.trim(),
        password: values.password,
        name: values.name.trim().replace(/\s+/g, ' '),
        stakeholderGroup: values.stakeholderGroup,
        region: values.region,
        ...(organisation ? { organisation } : {}),
        ...(country ? { country } : {}),
        ...(inviteCode ? { inviteCode } : {}),
        // The language the page is shown in becomes the profile's (SPEC L3).
        locale: currentLanguage(i18n),
      });
      setUser(user);
      void navigate(next, { replace: true });
    } catch (e) {
      setBusy(false);
      setErrorCode(e instanceof ApiError ? e.code : null);
      if (e instanceof ApiError && (e.status === 409 || e.code === 'email_taken')) {
        setServerProblems({ email: t('signup.emailTaken') });
        focusFirstInvalid();
      } else if (e instanceof ApiError && e.code === 'weak_password') {
        // The server's reason (e.g. a common password), in the person's language when it names a rule.
        setServerProblems({ password: weakPasswordProblem(e.details) ?? e.message });
        setError(t('problems.fixBelow'));
        focusFirstInvalid();
      } else if (e instanceof ApiError && e.code === 'registration_closed') {
        setError(t('signup.registrationClosed'));
      } else if (e instanceof ApiError && (e.status === 429 || e.code === 'rate_limited')) {
        setError(t('signin.rateLimited'));
      } else if (e instanceof ApiError && e.code === 'busy') {
        setError(t('signin.busy'));
      } else {
        const issues = fieldIssues(e);
        if (issues) {
          setServerProblems(issues);
          setError(t('problems.fixBelow'));
          focusFirstInvalid();
        } else {
          setError(t('signup.error', { message: errorMessage(e) }));
        }
      }
    }
  };

  const set = (key: keyof SignUpValues, value: string): void => {
    setValues((v) => ({ ...v, [key]: value }));
    setProblems((p) => ({ ...p, [key]: undefined }));
    setServerProblems(({ [key]: _, ...rest }) => rest);
  };
  const fieldError = (key: 'email' | 'password'): string | undefined => problemText(problems[key] ?? serverProblems[key]);

  return (
    <div className="page page--form">
      <h1>{t('signup.title')}</h1>
      <p className="page-heading__intro">{t('signup.intro')}</p>
      {session.kind === 'no-accounts' && (
        <p className="notice" role="status">
          {t('signin.accountsDisabled')} <Link to="/">{t('signin.toList')}</Link>
        </p>
      )}
      {inviteCode && <p className="notice">{t('signup.inviteNote')}</p>}
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error && (
          <p className="notice notice--error" role="alert" data-testid="signup-error" data-code={errorCode ?? undefined}>
            {error}
          </p>
        )}
        <EmailField label={t('signup.email')} error={fieldError('email')} testId="signup-email" value={values.email} onChange={(v) => set('email', v)} />
        <Field label={t('signup.password')} hint={t('signup.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={fieldError('password')}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              data-testid="signup-password"
              value={values.password}
              onChange={(e) => set('password', e.target.value)}
            />
          )}
        </Field>
        <ProfileFields values={values} onChange={set} problems={problems} serverProblems={serverProblems} testIdPrefix="signup" />
        <div className="form__actions">
          <button type="submit" className="button button--primary" data-testid="signup-submit" disabled={busy} aria-busy={busy}>
            {busy ? t('signup.submitting') : t('signup.submit')}
          </button>
        </div>
      </form>
      <p className="form__alternative">
        {t('signup.haveAccount')} <Link to={authPath('signin', next)}>{t('signup.signInLink')}</Link>
      </p>
    </div>
  );
}
