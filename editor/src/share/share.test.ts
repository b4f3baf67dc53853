import type { Member } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { INVITE_ROLES, inviteLink, parseExpiryDays, sortMembers, upsertMember } from './share';

const member = (id: string, name: string, role: Member['role']): Member => ({
  user: { id, name, email: `${id}@example.org`, organisation: null, stakeholderGroup: 'academia', region: 'african' },
  role,
  addedAt: '2026-01-01T00:00:00Z',
});

describe('parseExpiryDays', () => {
  it('accepts whole days from 1 to 90', () => {
    expect(parseExpiryDays('1')).toBe(1);
    expect(parseExpiryDays(' 90 ')).toBe(90);
  });

  it.each(['0', '91', '', '7.5', '-3', '1e1', 'seven'])('refuses %j', (input) => {
    expect(parseExpiryDays(input)).toBeNull();
  });
});

describe('INVITE_ROLES', () => {
  it('does not offer ownership through a link', () => {
    expect(INVITE_ROLES).toEqual(['editor', 'commenter', 'viewer']);
  });
});

describe('inviteLink', () => {
  it('builds the link on this site', () => {
    expect(inviteLink('https://rapporteur.example/', 'a b')).toBe('https://rapporteur.example/invite/a%20b');
  });
});

describe('members', () => {
  it('sorts by role, then name', () => {
    const sorted = sortMembers([member('3', 'Zoé', 'viewer'), member('2', 'Bo', 'owner'), member('1', 'Ana', 'editor'), member('4', 'Al', 'owner')]);
    expect(sorted.map((m) => m.user.name)).toEqual(['Al', 'Bo', 'Ana', 'Zoé']);
  });

  it('replaces a member by user id', () => {
    const list = upsertMember([member('1', 'Ana', 'editor'), member('2', 'Bo', 'owner')], member('1', 'Ana', 'commenter'));
    expect(list.map((m) => [m.user.id, m.role])).toEqual([
      ['2', 'owner'],
      ['1', 'commenter'],
    ]);
  });
});
