import { PASSWORD_MIN_LENGTH } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertAcceptablePassword, passwordProblem } from './passwordPolicy';

describe('password policy (SPEC A8)', () => {
  it('asks for length only: twelve characters of any kind, no composition rules', async () => {
    expect(await passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe('too_short');
    expect(await passwordProblem('zebra lantern')).toBeNull();
    expect(await passwordProblem('kobieta w oknie')).toBeNull();
    // Code points, not UTF-16 units: eleven emoji are eleven characters.
    expect(await passwordProblem('🔒'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe('too_short');
    expect(await passwordProblem('🔒'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    // Generous maximum: NIST asks for at least 64.
    expect(await passwordProblem('long passphrase '.repeat(12))).toBeNull();
    expect(await passwordProblem('x'.repeat(201))).toBe('too_long');
  });

  it('refuses a password of only whitespace, whatever its length', async () => {
    expect(await passwordProblem(' '.repeat(12))).toBe('only_whitespace');
    expect(await passwordProblem('\t \u3000 \n'.repeat(4))).toBe('only_whitespace');
  });

  it('refuses common passwords, compared after NFKC, trimmed, case-insensitive', async () => {
    expect(await passwordProblem('password1234')).toBe('common');
    expect(await passwordProblem('  PassWord1234 ')).toBe('common');
    expect(await passwordProblem('qwertyuiop12')).toBe('common');
    // Full-width letters and digits are the same password after NFKC.
    expect(await passwordProblem('ｐａｓｓｗｏｒｄ１２３４')).toBe('common');
    expect(await passwordProblem('password1234 and more')).toBeNull();
  });

  it('throws weak_password with the reason in its details', async () => {
    const error = await assertAcceptablePassword(' '.repeat(12)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'weak_password', details: [{ path: 'password', reason: 'only_whitespace' }] });
    await expect(assertAcceptablePassword('correct horse battery staple')).resolves.toBeUndefined();
  });
});
