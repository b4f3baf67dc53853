import { ROLES, VISIBILITIES } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { can, type DocumentAction, effectiveRole } from './policy';

const user = { userId: 'u', isAdmin: false };
const admin = { userId: 'a', isAdmin: true };

describe('policy (SPEC A1)', () => {
  it('grants each role exactly its actions', () => {
    const table: Record<string, DocumentAction[]> = {
      owner: ['read', 'comment', 'write', 'rename', 'share', 'dispose', 'moderate'],
      editor: ['read', 'comment', 'write', 'rename', 'dispose'],
      commenter: ['read', 'comment'],
      viewer: ['read'],
    };
    const actions: DocumentAction[] = ['read', 'comment', 'write', 'rename', 'share', 'dispose', 'moderate'];
    for (const role of ROLES) {
      const allowed = actions.filter((a) => can(user, a, { visibility: 'private', memberRole: role }));
      expect(allowed, role).toEqual(table[role]);
    }
  });

  it('gives non-members what the visibility grants, and anonymous visitors only public reading', () => {
    expect(effectiveRole(user, { visibility: 'private', memberRole: null })).toBeNull();
    expect(effectiveRole(user, { visibility: 'comment', memberRole: null })).toBe('commenter');
    expect(effectiveRole(user, { visibility: 'public', memberRole: null })).toBe('viewer');
    expect(effectiveRole(null, { visibility: 'comment', memberRole: null })).toBeNull();
    expect(effectiveRole(null, { visibility: 'public', memberRole: null })).toBe('viewer');
    // Anonymous callers never get a member's role, whatever is passed.
    expect(effectiveRole(null, { visibility: 'private', memberRole: 'owner' })).toBeNull();
  });

  it('never lowers a member below what the visibility gives everyone', () => {
    expect(effectiveRole(user, { visibility: 'comment', memberRole: 'viewer' })).toBe('commenter');
    expect(effectiveRole(user, { visibility: 'public', memberRole: 'editor' })).toBe('editor');
  });

  it('lets admins do everything everywhere', () => {
    for (const visibility of VISIBILITIES) expect(can(admin, 'share', { visibility, memberRole: null })).toBe(true);
  });
});
