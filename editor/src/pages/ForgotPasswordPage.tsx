import { ApiError } from '@rapporteur/client/http';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { EmailField, useFocusFirstInvalid, useProblemText } from '../session/fields';
import { emailProblem, type FieldProblem } from '../session/forms';
import { useDocumentTitle } from '../useDocumentTitle';

type Options = { kind: 'loading' } | { kind: 'loaded'; byEmail: boolean } | { kind: 'error'; message: string };

/**
 * `/forgot`: with SMTP on the server, asks for the address and sends a reset
 * link; the page says the same whether or not an account uses it (SPEC A10).
 * Without SMTP it says to ask an administrator.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [options, setOptions] = useState<Options>({ kind: 'loading' });
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<FieldProblem | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problemText = useProblemText();
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  useDocumentTitle(t('forgot.title'));

  useEffect(() => {
    let cancelled = false;
    api.passwordResetOptions().then(
      ({ byEmail }) => !cancelled && setOptions({ kind: 'loaded', byEmail }),
      (e: unknown) => !cancelled && setOptions({ kind: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = emailProblem(email);
    setProblem(found);
    setError(null);
    if (found) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      await api.requestPasswordReset(email.trim());
      setSentTo(email.trim());
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setOptions({ kind: 'loaded', byEmail: false });
      else if (e instanceof ApiError && (e.status === 429 || e.code === 'rate_limited')) setError(t('signin.rateLimited'));
      else setError(t('forgot.error', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page--form">
      <h1>{t('forgot.title')}</h1>
      {options.kind === 'loading' && (
        <p className="notice" role="status">
          {t('app.loading')}
        </p>
      )}
      {options.kind === 'error' && (
        <p className="notice notice--error" role="alert">
          {t('forgot.error', { message: options.message })}
        </p>
      )}
      {options.kind === 'loaded' && !options.byEmail && (
        <p className="notice" data-testid="forgot-ask-admin">
          {t('forgot.askAdmin')}
        </p>
      )}
      {options.kind === 'loaded' && options.byEmail && sentTo !== null && (
        <p className="notice" role="status" data-testid="forgot-sent">
          {t('forgot.sent', { email: sentTo })}
        </p>
      )}
      {options.kind === 'loaded' && options.byEmail && sentTo === null && (
        <>
          <p className="page-heading__intro">{t('forgot.intro')}</p>
          <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
            {error && (
              <p className="notice notice--error" role="alert">
                {error}
              </p>
            )}
            <EmailField
              label={t('signin.email')}
              error={problemText(problem)}
              testId="forgot-email"
              value={email}
              onChange={(v) => {
                setEmail(v);
                setProblem(undefined);
              }}
            />
            <div className="form__actions">
              <button type="submit" className="button button--primary" data-testid="forgot-submit" disabled={busy} aria-busy={busy}>
                {busy ? t('forgot.submitting') : t('forgot.submit')}
              </button>
            </div>
          </form>
        </>
      )}
      <p className="form__alternative">
        <Link to="/signin">{t('forgot.backToSignIn')}</Link>
      </p>
    </div>
  );
}
