import { ErrorCode, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordProblem, passwordShapeProblem } from '@rapporteur/protocol';
import { AppError, type MessageRef } from '../errors';

let common: Promise<ReadonlySet<string>> | null = null;

/**
 * The ~49,000 most common passwords of zxcvbn-ts (`@zxcvbn-ts/language-common`,
 * lower-case). Loaded on first use (about 30 ms, a few MB), so a server that
 * never sets a password never pays for it.
 */
function commonPasswords(): Promise<ReadonlySet<string>> {
  // A CommonJS module for Node: its exports are `default`, the one name it
  // has in the built server (a chunk of its own: `export default require_…()`)
  // as when Node imports it itself.
  common ??= import('@zxcvbn-ts/language-common').then(({ default: { dictionary } }) => new Set(dictionary['passwords-common']));
  return common;
}

/** The form a password is compared to the list in: NFKC (as hashed), trimmed, lower-case. */
function listForm(password: string): string {
  return password.normalize('NFKC').trim().toLowerCase();
}

/**
 * The first rule a new password breaks, or null (SPEC A8): at least
 * PASSWORD_MIN_LENGTH characters, not only whitespace, not a common password.
 * No composition rules. Never applied at sign-in.
 */
export async function passwordProblem(password: string): Promise<PasswordProblem | null> {
  const shape = passwordShapeProblem(password);
  if (shape) return shape;
  return (await commonPasswords()).has(listForm(password)) ? PasswordProblem.common : null;
}

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters`,
  only_whitespace: 'The password cannot be only spaces',
  common: 'This password is one of the most commonly used, so it is easy to guess: choose another',
};

const PROBLEM_MESSAGES: Record<PasswordProblem, MessageRef> = {
  too_short: { key: 'problems.passwordTooShort', values: { min: PASSWORD_MIN_LENGTH } },
  too_long: { key: 'problems.passwordTooLong', values: { max: PASSWORD_MAX_LENGTH } },
  only_whitespace: { key: 'problems.passwordOnlyWhitespace' },
  common: { key: 'problems.passwordCommon' },
};

/** An English sentence saying why the password is refused (the CLI's messages; the API's come from the catalog). */
export function passwordProblemMessage(problem: PasswordProblem): string {
  return MESSAGES[problem];
}

/** Resolves when `password` may be set; otherwise rejects with a 400 `weak_password` whose details name the rule. */
export async function assertAcceptablePassword(password: string): Promise<void> {
  const problem = await passwordProblem(password);
  if (problem) {
    // Worded by the catalog's `problems` (the editor's own words for these rules), in the caller's language.
    const message = PROBLEM_MESSAGES[problem];
    throw new AppError(ErrorCode.weakPassword, message, [{ path: 'password', message, reason: problem }]);
  }
}
