import type { MemberUser } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { matchMembers } from './MentionTextarea';

const member = (id: string, name: string, email = `${id}@example.org`): MemberUser => ({
  id,
  name,
  email,
  organisation: null,
  stakeholderGroup: 'other',
  region: 'other',
});

describe('matchMembers', () => {
  const members = [member('u1', 'Amina Diallo'), member('u2', 'Bruno Silva'), member('u3', 'Chen Wei', 'wei.chen@example.org'), member('me', 'Ana Me')];

  it('offers everyone but oneself for a bare @, by name', () => {
    expect(matchMembers(members, '', 'me').map((m) => m.id)).toEqual(['u1', 'u2', 'u3']);
  });

  it('puts names starting with the query first, then words, then anywhere or e-mail', () => {
    expect(matchMembers(members, 'a', null).map((m) => m.id)).toEqual(['u1', 'me', 'u2']);
    expect(matchMembers(members, 'sil', null).map((m) => m.id)).toEqual(['u2']);
    expect(matchMembers(members, 'wei.', null).map((m) => m.id)).toEqual(['u3']);
    expect(matchMembers(members, 'zzz', null)).toEqual([]);
  });
});
