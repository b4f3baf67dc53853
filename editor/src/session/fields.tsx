import { type ReactNode, type RefObject, useCallback, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from './forms';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './forms';

/** The sentence for a field problem found in the browser, or the server's own message. */
export function useProblemText(): (problem: FieldProblem | string | undefined) => string | undefined {
  const { t } = useTranslation();
  return (problem) => {
    switch (problem) {
      case undefined:
        return undefined;
      case 'required':
        return t('problems.required');
      case 'invalidEmail':
        return t('problems.invalidEmail');
      case 'passwordTooShort':
        return t('problems.passwordTooShort', { min: PASSWORD_MIN_LENGTH });
      case 'passwordTooLong':
        return t('problems.passwordTooLong', { max: PASSWORD_MAX_LENGTH });
      case 'passwordOnlyWhitespace':
        return t('problems.passwordOnlyWhitespace');
      case 'passwordCommon':
        return t('problems.passwordCommon');
      case 'tooLong':
        return t('problems.tooLong');
      default:
        return problem;
    }
  };
}

export interface FieldControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

/**
 * A labelled form field with an optional hint and error, wired for screen
 * readers (aria-describedby, aria-invalid). `children` renders the control
 * with the props it is given.
 */
export function Field({
  label,
  optional = false,
  hint,
  error,
  children,
}: {
  label: string;
  optional?: boolean;
  hint?: string;
  error?: string;
  children: (props: FieldControlProps) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="field__optional"> {t('signup.optional')}</span>}
      </label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A form's ref and a function that moves focus to its first invalid control
 * once React has rendered the new `aria-invalid` attributes, so a keyboard or
 * screen-reader user lands on the problem after a refused submit.
 */
export function useFocusFirstInvalid(): { formRef: RefObject<HTMLFormElement | null>; focusFirstInvalid: () => void } {
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useCallback((): void => {
    setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  }, []);
  return { formRef, focusFirstInvalid };
}

/** The e-mail field of the sign-in, sign-up and forgotten-password forms. */
export function EmailField({
  label,
  error,
  testId,
  value,
  onChange,
}: {
  label: string;
  error?: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} error={error}>
      {(props) => (
        <input
          {...props}
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          data-testid={testId}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
