import type { ResetLinkInfo } from '@rapporteur/client/http';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { Field, useFocusFirstInvalid, useProblemText } from '../session/fields';
import { type FieldProblem, newPasswordProblem, PASSWORD_MIN_LENGTH } from '../session/forms';
import { resetFailure } from '../session/resetFailure';
import { useSession } from '../session/SessionContext';
import { useDocumentTitle } from '../useDocumentTitle';

type LinkState = { kind: 'loading' } | { kind: 'live'; info: ResetLinkInfo } | { kind: 'invalid' } | { kind: 'error'; message: string };

/**
 * `/reset/<code>`: a one-time reset link (SPEC A10). Shows which account it is
 * for, takes a new password under the policy (checked here for length, by the
 * server for common passwords), then signs the person in; every other session
 * of the account has ended.
 */
export function ResetPasswordPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const { setUser } = useSession();
  const [link, setLink] = useState<LinkState>({ kind: 'loading' });
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<FieldProblem | string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problemText = useProblemText();
  const { formRef, focusFirstInvalid: focusField } = useFocusFirstInvalid();
  const language = i18n.resolvedLanguage ?? i18n.language;
  useDocumentTitle(t('reset.title'));

  useEffect(() => {
    let cancelled = false;
    api.resetLinkInfo(code).then(
      (info) => !cancelled && setLink({ kind: 'live', info }),
      (e: unknown) => {
        if (cancelled) return;
        const failure = resetFailure(e);
        setLink(failure.kind === 'invalid' ? { kind: 'invalid' } : { kind: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, code]);


  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = newPasswordProblem(password);
    setProblem(found);
    setError(null);
    if (found) {
      focusField();
      return;
    }
    setBusy(true);
    try {
      const user = await api.resetPassword(code, password);
      setUser(user);
      void navigate('/', { replace: true });
    } catch (e) {
      setBusy(false);
      const failure = resetFailure(e);
      if (failure.kind === 'invalid') setLink({ kind: 'invalid' });
      else if (failure.kind === 'password') {
        setProblem(failure.problem);
        focusField();
      } else setError(t(failure.key, { message: failure.message }));
    }
  };

  return (
    <div className="page page--form">
      <h1>{t('reset.title')}</h1>
      {link.kind === 'loading' && (
        <p className="notice" role="status">
          {t('app.loading')}
        </p>
      )}
      {link.kind === 'invalid' && (
        <p className="notice notice--error" role="alert" data-testid="reset-invalid">
          {t('reset.invalid')} <Link to="/forgot">{t('reset.askAgain')}</Link>
        </p>
      )}
      {link.kind === 'error' && (
        <p className="notice notice--error" role="alert">
          {t('reset.error', { message: link.message })}
        </p>
      )}
      {link.kind === 'live' && (
        <>
          <p className="page-heading__intro" data-testid="reset-for">
            {t('reset.intro', {
              email: link.info.email,
              time: formatDate(language, link.info.expiresAt, { dateStyle: 'medium', timeStyle: 'short' }),
            })}
          </p>
          <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
            {error && (
              <p className="notice notice--error" role="alert">
                {error}
              </p>
            )}
            {/* Lets password managers save the new password under the right account. */}
            <input type="email" autoComplete="username" value={link.info.email} readOnly hidden />
            <Field label={t('reset.password')} hint={t('signup.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={problemText(problem)}>
              {(props) => (
                <input
                  {...props}
                  type="password"
                  autoComplete="new-password"
                  required
                  minLength={PASSWORD_MIN_LENGTH}
                  data-testid="reset-password"
                  value={password}
                  onChange={(e) => {
                    setPassword(e.target.value);
                    setProblem(undefined);
                  }}
                />
              )}
            </Field>
            <div className="form__actions">
              <button type="submit" className="button button--primary" data-testid="reset-submit" disabled={busy} aria-busy={busy}>
                {busy ? t('reset.submitting') : t('reset.submit')}
              </button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}
