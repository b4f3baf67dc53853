import type { AdminUser } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { changeAnnouncementKey, needsConfirmation, replaceUser, rowActions, sortUsers } from './admin';

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
  disabled: false,
});

describe('rowActions', () => {
  it('offers both toggles on other people’s rows, neither on your own', () => {
    expect(rowActions(person('a', 'A'), { id: 'b' })).toEqual({ toggleAdmin: true, toggleDisabled: true });
    expect(rowActions(person('a', 'A'), { id: 'a' })).toEqual({ toggleAdmin: false, toggleDisabled: false });
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
