import type { Member } from '@rapporteur/client/http';
import { ROLES, type Role } from '@rapporteur/protocol';

export const INVITE_DAYS_MIN = 1;
export const INVITE_DAYS_MAX = 90;
export const INVITE_DAYS_DEFAULT = 14;
/** An invite link never makes an owner: ownership is given by e-mail, to a known person. */
export const INVITE_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'owner');

/** The whole number of days an invite link stays valid, or null when the input is not one from 1 to 90. */
export function parseExpiryDays(input: string): number | null {
  const trimmed = input.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const days = Number(trimmed);
  return days >= INVITE_DAYS_MIN && days <= INVITE_DAYS_MAX ? days : null;
}

/** The link to give people for an invite code. */
export function inviteLink(origin: string, code: string): string {
  return `${origin.replace(/\/$/, '')}/invite/${encodeURIComponent(code)}`;
}

/** Owners first, then editors, commenters, viewers; by name within a role. */
export function sortMembers(members: readonly Member[]): Member[] {
  const rank = (role: Role): number => ROLES.indexOf(role);
  return [...members].sort((a, b) => rank(a.role) - rank(b.role) || a.user.name.localeCompare(b.user.name) || a.user.id.localeCompare(b.user.id));
}

/** Puts a changed or added member into the list (by user id). */
export function upsertMember(members: readonly Member[], member: Member): Member[] {
  return sortMembers([...members.filter((m) => m.user.id !== member.user.id), member]);
}
