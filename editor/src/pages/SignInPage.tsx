import { ApiError } from '@rapporteur/client/http';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { EmailField, Field, useFocusFirstInvalid, useProblemText } from '../session/fields';
import { hasProblems, type Problems, type SignInValues, validateSignIn } from '../session/forms';
import { authPath, safeNextPath } from '../session/nextPath';
import { useSession } from '../session/SessionContext';
import { useDocumentTitle } from '../useDocumentTitle';

/** The sentence for a failed sign-in. */
function signInError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.code === 'invalid_credentials') return t('signin.invalidCredentials');
    if (error.status === 429 || error.code === 'rate_limited') return t('signin.rateLimited');
    if (error.code === 'busy') return t('signin.busy');
  }
  return t('signin.error', { message: errorMessage(error) });
}

export function SignInPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session, setUser } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [values, setValues] = useState<SignInValues>({ email: '', password: '' });
  const [problems, setProblems] = useState<Problems<keyof SignInValues>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problemText = useProblemText();
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  useDocumentTitle(t('signin.title'));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = validateSignIn(values);
    setProblems(found);
    setError(null);
    if (hasProblems(found)) {
      // After React has rendered the new aria-invalid attributes.
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const user = await api.logIn(values.email.trim(), values.password);
      setUser(user);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(signInError(t, e));
      setBusy(false);
    }
  };

  const set = (key: keyof SignInValues) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setProblems((p) => ({ ...p, [key]: undefined }));
  };

  return (
    <div className="page page--form">
      <h1>{t('signin.title')}</h1>
      <p className="page-heading__intro">{t('signin.intro')}</p>
      {session.kind === 'signed-in' && (
        <p className="notice" role="status">
          {t('signin.alreadySignedIn', { name: session.user.name })} <Link to={next}>{t('signin.continue')}</Link>
        </p>
      )}
      {session.kind === 'no-accounts' && (
        <p className="notice" role="status">
          {t('signin.accountsDisabled')} <Link to="/">{t('signin.toList')}</Link>
        </p>
      )}
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <EmailField
          label={t('signin.email')}
          error={problemText(problems.email)}
          testId="signin-email"
          value={values.email}
          onChange={(v) => set('email')(v)}
        />
        <Field label={t('signin.password')} error={problemText(problems.password)}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              required
              data-testid="signin-password"
              value={values.password}
              onChange={(e) => set('password')(e.target.value)}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button button--primary" data-testid="signin-submit" disabled={busy} aria-busy={busy}>
            {busy ? t('signin.submitting') : t('signin.submit')}
          </button>
        </div>
      </form>
      <p className="form__alternative">
        {t('signin.noAccount')} <Link to={authPath('signup', next)}>{t('signin.signUpLink')}</Link>
      </p>
      <p className="form__alternative">
        <Link to="/forgot" data-testid="signin-forgot">
          {t('signin.forgot')}
        </Link>
      </p>
    </div>
  );
}
