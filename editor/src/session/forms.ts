import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordProblem,
  passwordShapeProblem,
  REGIONS,
  type Region,
  STAKEHOLDER_GROUPS,
  type StakeholderGroup,
} from '@rapporteur/protocol';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };
export const PROFILE_NAME_MAX_LENGTH = 120;

/** What is wrong with one field, as a key the page turns into a sentence. */
export type FieldProblem =
  | 'required'
  | 'invalidEmail'
  | 'passwordTooShort'
  | 'passwordTooLong'
  | 'passwordOnlyWhitespace'
  | 'passwordCommon'
  | 'tooLong';

const PASSWORD_PROBLEMS: Record<PasswordProblem, FieldProblem> = {
  too_short: 'passwordTooShort',
  too_long: 'passwordTooLong',
  only_whitespace: 'passwordOnlyWhitespace',
  common: 'passwordCommon',
};

/**
 * What is wrong with a new password as far as the browser can tell (length,
 * only spaces). Whether it is a common password only the server knows.
 */
export function newPasswordProblem(password: string): FieldProblem | undefined {
  if (password === '') return 'required';
  const problem = passwordShapeProblem(password);
  return problem ? PASSWORD_PROBLEMS[problem] : undefined;
}

/** The field problem for a `weak_password` error's reason (from its details), if it names one. */
export function weakPasswordProblem(details: unknown): FieldProblem | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const item of details as unknown[]) {
    const reason = typeof item === 'object' && item !== null ? (item as { reason?: unknown }).reason : undefined;
    if (typeof reason === 'string' && reason in PASSWORD_PROBLEMS) return PASSWORD_PROBLEMS[reason as PasswordProblem];
  }
  return undefined;
}

export type Problems<K extends string> = Partial<Record<K, FieldProblem>>;

// Deliberately loose: one @, something on each side, a dot in the domain. The server decides.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): FieldProblem | undefined {
  const value = email.trim();
  if (value === '') return 'required';
  return EMAIL.test(value) ? undefined : 'invalidEmail';
}

export interface SignInValues {
  readonly email: string;
  readonly password: string;
}

export function validateSignIn(values: SignInValues): Problems<keyof SignInValues> {
  const problems: Problems<keyof SignInValues> = {};
  const email = emailProblem(values.email);
  if (email) problems.email = email;
  if (values.password === '') problems.password = 'required';
  return problems;
}

export interface ProfileValues {
  readonly name: string;
  readonly organisation: string;
  readonly country: string;
  /** '' until one is chosen. */
  readonly stakeholderGroup: string;
  readonly region: string;
}

export interface SignUpValues extends ProfileValues {
  readonly email: string;
  readonly password: string;
}

export function isStakeholderGroup(value: unknown): value is StakeholderGroup {
  return typeof value === 'string' && (STAKEHOLDER_GROUPS as readonly string[]).includes(value);
}

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

export function validateProfile(values: ProfileValues): Problems<keyof ProfileValues> {
  const problems: Problems<keyof ProfileValues> = {};
  const name = values.name.trim();
  if (name === '') problems.name = 'required';
  else if ([...name].length > PROFILE_NAME_MAX_LENGTH) problems.name = 'tooLong';
  if (values.organisation.trim().length > 200) problems.organisation = 'tooLong';
  if (values.country.trim().length > 200) problems.country = 'tooLong';
  if (!isStakeholderGroup(values.stakeholderGroup)) problems.stakeholderGroup = 'required';
  if (!isRegion(values.region)) problems.region = 'required';
  return problems;
}

export function validateSignUp(values: SignUpValues): Problems<keyof SignUpValues> {
  const problems: Problems<keyof SignUpValues> = { ...validateProfile(values) };
  const email = emailProblem(values.email);
  if (email) problems.email = email;
  const password = newPasswordProblem(values.password);
  if (password) problems.password = password;
  return problems;
}

export function hasProblems(problems: Problems<string>): boolean {
  return Object.values(problems).some((p) => p !== undefined);
}

/** Optional text: trimmed, with an empty field sent as "not given". */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? undefined : trimmed;
}
