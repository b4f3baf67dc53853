import { describe, expect, it } from 'vitest';
import { authPath, inviteCodeFromNext, safeNextPath } from './nextPath';

describe('safeNextPath', () => {
  it.each([
    ['/d/abc', '/d/abc'],
    ['/profile?tab=tokens#x', '/profile?tab=tokens#x'],
    ['/invite/AbC-123', '/invite/AbC-123'],
    ['/', '/'],
  ])('keeps the same-site path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ['nothing', null],
    ['empty', ''],
    ['an absolute address', 'https://evil.example/d/1'],
    ['a protocol-relative address', '//evil.example'],
    ['a backslash host', '/\\evil.example'],
    ['a backslash later on', '/d/\\\\evil'],
    ['a relative path', 'd/abc'],
    ['a javascript: address', 'javascript:alert(1)'],
    ['a tab that browsers strip', '/\t/evil.example'],
    ['a newline', '/d/1\nx'],
    ['the sign-in page itself', '/signin?next=/d/1'],
    ['the sign-up page itself', '/signup'],
  ])('falls back to / for %s', (_, raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });
});

describe('authPath', () => {
  it('adds the encoded return path', () => {
    expect(authPath('signin', '/d/a b?x=1')).toBe('/signin?next=%2Fd%2Fa%20b%3Fx%3D1');
    expect(authPath('signup', '/invite/c1')).toBe('/signup?next=%2Finvite%2Fc1');
  });

  it('leaves out next for the home page or an unsafe path', () => {
    expect(authPath('signin', '/')).toBe('/signin');
    expect(authPath('signin', '//evil')).toBe('/signin');
  });
});

describe('inviteCodeFromNext', () => {
  it('finds the code of an invite link', () => {
    expect(inviteCodeFromNext('/invite/abc123')).toBe('abc123');
    expect(inviteCodeFromNext('/invite/a%2Bb?x')).toBe('a+b');
  });

  it('is null elsewhere', () => {
    expect(inviteCodeFromNext('/d/abc')).toBeNull();
    expect(inviteCodeFromNext('/invite/')).toBeNull();
    expect(inviteCodeFromNext('/invite/%E0')).toBeNull();
  });
});
