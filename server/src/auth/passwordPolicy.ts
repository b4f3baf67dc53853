import { ErrorCode, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordProblem, passwordShapeProblem } from '@rapporteur/protocol';
import { AppError, type MessageRef } from '../errors';
import { commonPasswordText } from './commonPasswordText';

let common: Promise<CommonPasswords> | null = null;

/**
 * The ~49,000 most common passwords of zxcvbn-ts (`@zxcvbn-ts/language-common`,
 * lower-case), held compactly: one sorted, newline-separated string and where
 * each entry starts (about 0.6 MB in all), searched by bisection.
 */
export class CommonPasswords {
  /** Where each entry starts in `text`, and one more: `text.length + 1`. */
  private readonly starts: Uint32Array;

  /** @param text the entries, sorted in UTF-16 code unit order (as `<` compares), joined by newlines */
  constructor(private readonly text: string) {
    let count = text.length > 0 ? 1 : 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
    this.starts = new Uint32Array(count + 1);
    let entry = 0;
    let from = 0;
    while (entry < count) {
      this.starts[entry++] = from;
      const end = text.indexOf('\n', from);
      from = (end === -1 ? text.length : end) + 1;
    }
    this.starts[count] = text.length + 1;
  }

  get size(): number {
    return this.starts.length - 1;
  }

  has(word: string): boolean {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.text.slice(this.starts[mid]!, this.starts[mid + 1]! - 1);
      if (entry === word) return true;
      if (entry < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

/** The list, built on first use, so a server that never sets a password never pays for it. */
export async function loadCommonPasswords(): Promise<CommonPasswords> {
  return new CommonPasswords(await commonPasswordText());
}

function commonPasswords(): Promise<CommonPasswords> {
  common ??= loadCommonPasswords().catch((error: unknown) => {
    common = null; // the next password set tries again
    throw error;
  });
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
