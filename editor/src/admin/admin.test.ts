import type { AdminUser } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { changeAnnouncementKey, needsConfirmation, replaceUser, resetLinkUrl, rowActions, sortUsers } from './admin';

const person = (id: string, name: string, email = `${id}@example.org`): AdminUser => ({
  id,
  email,
  name,
  organisation: null,
  country: null,
  stakeholderGroup: 'civil-society',
  region: 'african',
  gender: null,
  youth: null,
  firstTime: null,
  showDemographics: false,
  isAdmin: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  locale: null,
  disabled: false,
});

describe('rowActions', () => {
  it('offers both toggles on other people’s rows, neither on your own', () => {
    expect(rowActions(person('a', 'A'), { id: 'b' })).toMatchObject({ toggleAdmin: true, toggleDisabled: true });
    expect(rowActions(person('a', 'A'), { id: 'a' })).toMatchObject({ toggleAdmin: false, toggleDisabled: false });
  });

  it('offers a reset link for enabled accounts (your own too), not for disabled ones', () => {
    expect(rowActions(person('a', 'A'), { id: 'b' }).resetLink).toBe(true);
    expect(rowActions(person('a', 'A'), { id: 'a' }).resetLink).toBe(true);
    expect(rowActions({ ...person('a', 'A'), disabled: true }, { id: 'b' }).resetLink).toBe(false);
  });
});

describe('resetLinkUrl (SPEC A10)', () => {
  it("uses the server's link on PUBLIC_URL, else this page's origin", () => {
    expect(resetLinkUrl({ code: 'abc', url: 'https://rapporteur.example.org/reset/abc' }, 'http://127.0.0.1:8080')).toBe(
      'https://rapporteur.example.org/reset/abc',
    );
    expect(resetLinkUrl({ code: 'a-b_c', url: null }, 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/reset/a-b_c');
  });
});

describe('sortUsers', () => {
  it('sorts by name ignoring case and accents, then by e-mail, without changing the input', () => {
    const input = [person('1', 'zoë'), person('2', 'Émile'), person('3', 'amina', 'b@x'), person('4', 'Amina', 'a@x')];
    expect(sortUsers(input, 'en').map((u) => u.id)).toEqual(['4', '3', '2', '1']);
    expect(input.map((u) => u.id)).toEqual(['1', '2', '3', '4']);
  });
});

describe('replaceUser', () => {
  it('replaces the account with the same id only', () => {
    const list = [person('1', 'A'), person('2', 'B')];
    const updated = { ...list[1]!, disabled: true };
    expect(replaceUser(list, updated)).toEqual([list[0], updated]);
  });
});

describe('changes', () => {
  const t = createI18n({ lng: 'en' }).t;

  it('asks before disabling, not before the other changes', () => {
    expect(needsConfirmation({ disabled: true })).toBe(true);
    expect(needsConfirmation({ disabled: false })).toBe(false);
    expect(needsConfirmation({ isAdmin: true })).toBe(false);
    expect(needsConfirmation({ isAdmin: false })).toBe(false);
  });

  it('announces each change by name', () => {
    expect(t(changeAnnouncementKey({ isAdmin: true }), { name: 'Amina' })).toBe('Amina is now an administrator.');
    expect(t(changeAnnouncementKey({ isAdmin: false }), { name: 'Amina' })).toBe('Amina is no longer an administrator.');
    expect(t(changeAnnouncementKey({ disabled: true }), { name: 'Amina' })).toMatch(/^Amina’s account is disabled/);
    expect(t(changeAnnouncementKey({ disabled: false }), { name: 'Amina' })).toMatch(/^Amina’s account is enabled/);
  });
});
