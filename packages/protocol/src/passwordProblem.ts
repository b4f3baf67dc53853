/**
 * The password policy's shape rules (NIST SP 800-63B: length, no composition
 * rules). The editor checks them as the person types; the server checks them
 * again and also refuses common passwords (its list stays on the server, out of
 * the editor bundle). Applies when a password is set, never at sign-in.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Generous (NIST asks for at least 64) while bounding the work of hashing. */
export const PASSWORD_MAX_LENGTH = 200;

/** Why a new password is refused; the `reason` in a `weak_password` error's details. */
export const PasswordProblem = {
  tooShort: 'too_short',
  tooLong: 'too_long',
  onlyWhitespace: 'only_whitespace',
  common: 'common',
} as const;
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem];

/** Characters as NIST counts them: code points of the NFKC form, which is the form that is hashed. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

/** The first shape rule `password` breaks, or null. Does not look for common passwords. */
export function passwordShapeProblem(password: string): PasswordProblem | null {
  const length = passwordLength(password);
  if (length > 0 && password.trim() === '') return PasswordProblem.onlyWhitespace;
  if (length < PASSWORD_MIN_LENGTH) return PasswordProblem.tooShort;
  if (length > PASSWORD_MAX_LENGTH) return PasswordProblem.tooLong;
  return null;
}
