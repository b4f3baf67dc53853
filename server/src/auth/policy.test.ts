import { DOCUMENT_STATUSES, ROLES, VISIBILITIES } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { can, decide, decideMove, type DocumentAccess, type DocumentAction, effectiveRole, movesFor } from './policy';

const user = { userId: 'u', isAdmin: false };
const admin = { userId: 'a', isAdmin: true };
const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;
const access = (a: Partial<DocumentAccess> = {}): DocumentAccess => ({ visibility: 'private', memberRole: null, commentPeriod: null, ...a });

describe('policy (SPEC A1)', () => {
  it('grants each role exactly its actions', () => {
    const table: Record<string, DocumentAction[]> = {
      owner: ['read', 'comment', 'write', 'rename', 'share', 'dispose', 'moderate', 'seeMemberEmails'],
      editor: ['read', 'comment', 'write', 'rename', 'dispose'],
      commenter: ['read', 'comment'],
      viewer: ['read'],
    };
    const actions: DocumentAction[] = ['read', 'comment', 'write', 'rename', 'share', 'dispose', 'moderate', 'seeMemberEmails'];
    for (const role of ROLES) {
      const allowed = actions.filter((a) => can(user, a, access({ memberRole: role }), NOW));
      expect(allowed, role).toEqual(table[role]);
    }
  });

  it('V4: history is for members: editors name and restore, owners audit; a role from visibility or a period does not count', () => {
    const history: DocumentAction[] = ['readHistory', 'nameVersion', 'restore', 'audit'];
    const table: Record<string, DocumentAction[]> = {
      owner: ['readHistory', 'nameVersion', 'restore', 'audit'],
      editor: ['readHistory', 'nameVersion', 'restore'],
      commenter: ['readHistory'],
      viewer: ['readHistory'],
    };
    for (const role of ROLES) {
      for (const visibility of VISIBILITIES) {
        const allowed = history.filter((a) => can(user, a, access({ memberRole: role, visibility }), NOW));
        expect(allowed, `${role} ${visibility}`).toEqual(table[role]);
      }
    }
    const period = { opensAt: NOW - HOUR, closesAt: NOW + HOUR };
    for (const visibility of ['comment', 'public'] as const) {
      expect(decide(user, 'readHistory', access({ visibility, commentPeriod: period }), NOW)).toEqual({
        allowed: false,
        refusal: { kind: 'not-member', role: 'commenter' },
      });
      expect(decide(null, 'readHistory', access({ visibility }), NOW).allowed).toBe(false);
    }
    expect(decide(user, 'readHistory', access(), NOW)).toEqual({ allowed: false, refusal: { kind: 'no-access' } });
    expect(history.every((a) => can(admin, a, access(), NOW))).toBe(true);
  });

  it('gives non-members what the visibility grants, and anonymous visitors only public reading', () => {
    expect(effectiveRole(user, access(), NOW)).toBeNull();
    expect(effectiveRole(user, access({ visibility: 'comment' }), NOW)).toBe('commenter');
    expect(effectiveRole(user, access({ visibility: 'public' }), NOW)).toBe('viewer');
    expect(effectiveRole(null, access({ visibility: 'comment' }), NOW)).toBeNull();
    expect(effectiveRole(null, access({ visibility: 'public' }), NOW)).toBe('viewer');
    // Anonymous callers never get a member's role, whatever is passed.
    expect(effectiveRole(null, access({ memberRole: 'owner' }), NOW)).toBeNull();
  });

  it('never lowers a member below what the visibility gives everyone', () => {
    expect(effectiveRole(user, access({ visibility: 'comment', memberRole: 'viewer' }), NOW)).toBe('commenter');
    expect(effectiveRole(user, access({ visibility: 'public', memberRole: 'editor' }), NOW)).toBe('editor');
  });

  it('lets admins do everything everywhere', () => {
    for (const visibility of VISIBILITIES) expect(can(admin, 'share', access({ visibility }), NOW)).toBe(true);
  });
});

describe('comment period in the policy (SPEC C8)', () => {
  const period = { opensAt: NOW, closesAt: NOW + HOUR };

  it('opens commenting to signed-in users from opensAt (inclusive) to closesAt (exclusive), by the time it is given', () => {
    const doc = access({ commentPeriod: period });
    expect(can(user, 'comment', doc, NOW - 1)).toBe(false);
    expect(can(user, 'comment', doc, NOW)).toBe(true);
    expect(can(user, 'comment', doc, NOW + HOUR - 1)).toBe(true);
    expect(can(user, 'comment', doc, NOW + HOUR)).toBe(false);
    expect(can(null, 'comment', access({ visibility: 'public', commentPeriod: period }), NOW)).toBe(false);
  });

  it('binds commenters, members or not, outside the period, and says which side of it they are on', () => {
    for (const doc of [access({ visibility: 'comment', commentPeriod: period }), access({ memberRole: 'commenter', commentPeriod: period })]) {
      expect(decide(user, 'comment', doc, NOW - 1)).toEqual({
        allowed: false,
        refusal: { kind: 'comment-period-not-open', role: 'commenter', opensAt: period.opensAt },
      });
      expect(decide(user, 'comment', doc, NOW + HOUR)).toEqual({
        allowed: false,
        refusal: { kind: 'comment-period-closed', role: 'commenter', closesAt: period.closesAt },
      });
      // Reading is not bound by the period.
      expect(can(user, 'read', doc, NOW + HOUR)).toBe(true);
    }
  });

  it('leaves editors, owners and admins free to comment at any time', () => {
    for (const memberRole of ['editor', 'owner'] as const) {
      expect(can(user, 'comment', access({ memberRole, commentPeriod: period }), NOW + 2 * HOUR)).toBe(true);
    }
    expect(can(admin, 'comment', access({ commentPeriod: period }), NOW + 2 * HOUR)).toBe(true);
  });

  it('refuses those with no access as no-access, not as a closed period', () => {
    expect(decide(user, 'comment', access({ commentPeriod: period }), NOW + HOUR)).toEqual({ allowed: false, refusal: { kind: 'no-access' } });
  });
});

describe('workflow moves (SPEC WF2)', () => {
  type Outcome = 'ok' | 'role' | 'invalid';
  // Every move the workflow has, and the least role that makes it; anything else is invalid.
  const EXISTS: Record<string, 'editor' | 'owner'> = {
    'drafting>review': 'editor',
    'review>drafting': 'editor',
    'review>public-comment': 'owner',
    'review>revising': 'owner',
    'public-comment>review': 'owner',
    'public-comment>revising': 'owner',
    'revising>review': 'owner',
    'revising>public-comment': 'owner',
    'revising>final': 'editor',
    'final>revising': 'owner',
    'published>revising': 'owner',
  };
  const outcome = (d: ReturnType<typeof decideMove>): Outcome =>
    d.allowed ? 'ok' : d.refusal.kind === 'invalid-transition' ? 'invalid' : d.refusal.kind === 'role' ? 'role' : (d.refusal.kind as Outcome);

  it('every move by every role: owners make all, editors drafting ↔ review and revising → final, commenters and viewers none', () => {
    for (const role of ROLES) {
      for (const from of DOCUMENT_STATUSES) {
        for (const to of DOCUMENT_STATUSES) {
          const got = outcome(decideMove(user, access({ memberRole: role }), from, to, NOW));
          const needs = EXISTS[`${from}>${to}`];
          let want: Outcome;
          if (role === 'viewer' || role === 'commenter') want = 'role';
          else if (from === to) want = 'ok';
          else if (needs === undefined) want = 'invalid';
          else want = role === 'owner' || needs === 'editor' ? 'ok' : 'role';
          expect(got, `${role}: ${from} → ${to}`).toBe(want);
        }
      }
    }
  });

  it('published is reached only by publishing: no move leads there, for anyone', () => {
    for (const from of DOCUMENT_STATUSES) {
      if (from === 'published') continue;
      expect(decideMove(admin, access(), from, 'published', NOW)).toMatchObject({ allowed: false, refusal: { kind: 'invalid-transition' } });
    }
  });

  it('strangers have no access; a role from visibility or a comment period moves nothing', () => {
    expect(decideMove(user, access(), 'drafting', 'review', NOW)).toEqual({ allowed: false, refusal: { kind: 'no-access' } });
    const period = { opensAt: NOW - HOUR, closesAt: NOW + HOUR };
    expect(decideMove(user, access({ visibility: 'comment', commentPeriod: period }), 'drafting', 'review', NOW)).toMatchObject({
      allowed: false,
      refusal: { kind: 'role', role: 'commenter' },
    });
  });

  it('movesFor lists exactly the allowed moves, in workflow order', () => {
    expect(movesFor('owner', 'review')).toEqual(['drafting', 'public-comment', 'revising']);
    expect(movesFor('editor', 'review')).toEqual(['drafting']);
    expect(movesFor('editor', 'revising')).toEqual(['final']);
    expect(movesFor('editor', 'final')).toEqual([]);
    expect(movesFor('owner', 'published')).toEqual(['revising']);
    expect(movesFor('commenter', 'drafting')).toEqual([]);
    expect(movesFor(null, 'drafting')).toEqual([]);
    for (const role of ROLES) {
      for (const from of DOCUMENT_STATUSES) {
        const allowed = DOCUMENT_STATUSES.filter((to) => to !== from && decideMove(user, access({ memberRole: role }), from, to, NOW).allowed);
        expect(movesFor(role, from), `${role} from ${from}`).toEqual(allowed);
      }
    }
  });
});
