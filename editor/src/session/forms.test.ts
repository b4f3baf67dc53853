import { describe, expect, it } from 'vitest';
import {
  hasProblems,
  newPasswordProblem,
  optionalText,
  PASSWORD_MIN_LENGTH,
  validateProfile,
  validateSignIn,
  validateSignUp,
  weakPasswordProblem,
} from './forms';

const valid = {
  email: 'amina@example.org',
  password: 'x'.repeat(PASSWORD_MIN_LENGTH),
  name: 'Amina Diallo',
  organisation: '',
  country: '',
  stakeholderGroup: 'civil-society',
  region: 'african',
};

describe('validateSignUp', () => {
  it('accepts a complete form (organisation and country are optional)', () => {
    expect(validateSignUp(valid)).toEqual({});
    expect(hasProblems(validateSignUp(valid))).toBe(false);
  });

  it('reports each missing or wrong field', () => {
    expect(validateSignUp({ ...valid, email: ' ', password: '', name: '  ', stakeholderGroup: '', region: 'mars' })).toEqual({
      email: 'required',
      password: 'required',
      name: 'required',
      stakeholderGroup: 'required',
      region: 'required',
    });
  });

  it('wants a plausible e-mail address and a long enough password', () => {
    const problems = validateSignUp({ ...valid, email: 'amina@example', password: 'x'.repeat(PASSWORD_MIN_LENGTH - 1) });
    expect(problems).toEqual({ email: 'invalidEmail', password: 'passwordTooShort' });
    expect(hasProblems(problems)).toBe(true);
  });

  it('counts password characters, not UTF-16 units', () => {
    expect(validateSignUp({ ...valid, password: '🔒'.repeat(PASSWORD_MIN_LENGTH - 1) }).password).toBe('passwordTooShort');
  });
});

describe('new passwords (SPEC A8)', () => {
  it('asks for twelve characters that are not all spaces, with no composition rules', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(newPasswordProblem(' '.repeat(12))).toBe('passwordOnlyWhitespace');
    expect(newPasswordProblem('elevenchars')).toBe('passwordTooShort');
    expect(newPasswordProblem('zebra lantern')).toBeUndefined();
    expect(newPasswordProblem('x'.repeat(201))).toBe('passwordTooLong');
  });

  it("turns the server's weak_password reason into the field's problem", () => {
    expect(weakPasswordProblem([{ path: 'password', message: 'This password is…', reason: 'common' }])).toBe('passwordCommon');
    expect(weakPasswordProblem([{ path: 'password', reason: 'something new' }])).toBeUndefined();
    expect(weakPasswordProblem(undefined)).toBeUndefined();
  });
});

describe('validateSignIn', () => {
  it('needs both fields but does not judge the password', () => {
    expect(validateSignIn({ email: 'a@b.org', password: 'x' })).toEqual({});
    expect(validateSignIn({ email: '', password: '' })).toEqual({ email: 'required', password: 'required' });
  });
});

describe('validateProfile', () => {
  it('limits the length of the name', () => {
    expect(validateProfile({ ...valid, name: 'a'.repeat(121) }).name).toBe('tooLong');
  });
});

describe('optionalText', () => {
  it('trims and treats blank as not given', () => {
    expect(optionalText('  Kenya ')).toBe('Kenya');
    expect(optionalText('   ')).toBeUndefined();
  });
});
