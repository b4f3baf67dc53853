import { REGIONS, type Region, STAKEHOLDER_GROUPS, type StakeholderGroup } from '@rapporteur/protocol';

export const PASSWORD_MIN_LENGTH = 10;
export const PROFILE_NAME_MAX_LENGTH = 120;

/** What is wrong with one field, as a key the page turns into a sentence. */
export type FieldProblem = 'required' | 'invalidEmail' | 'passwordTooShort' | 'tooLong';

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
  if (values.password === '') problems.password = 'required';
  else if ([...values.password].length < PASSWORD_MIN_LENGTH) problems.password = 'passwordTooShort';
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
