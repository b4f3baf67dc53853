import { PASSWORD_MIN_LENGTH } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { dictionary } from '@zxcvbn-ts/language-common';
import { sortedList } from './commonPasswordText';
import { assertAcceptablePassword, CommonPasswords, loadCommonPasswords, passwordProblem } from './passwordPolicy';

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

  it('the compact list holds exactly the package passwords (every one found, near misses not)', async () => {
    const words = dictionary['passwords-common'] as string[];
    const set = new Set(words);
    const list = await loadCommonPasswords();
    expect(list.size).toBe(set.size);
    // Every word, and near misses of each: a character added before or after, removed, changed.
    const wrong: string[] = [];
    for (const w of words) {
      for (const probe of [w, `${w}~`, `~${w}`, w.slice(0, -1), `${w.slice(0, -1)}\u00ff`]) if (list.has(probe) !== set.has(probe)) wrong.push(probe);
    }
    expect(wrong).toEqual([]);
    expect(list.has('')).toBe(set.has(''));
  });

  it('the compact list of no words, one word, and words out of order and repeated', () => {
    expect(new CommonPasswords('').size).toBe(0);
    expect(new CommonPasswords('').has('')).toBe(false);
    const one = new CommonPasswords('qwerty');
    expect([one.size, one.has('qwerty'), one.has('qwert'), one.has('')]).toEqual([1, true, false, false]);
    const some = new CommonPasswords(sortedList(['b', 'a', 'c', 'a', 'ab']));
    expect(some.size).toBe(4);
    expect(['a', 'ab', 'b', 'c', 'aa', 'd', ''].map((w) => some.has(w))).toEqual([true, true, true, true, false, false, false]);
  });
});
