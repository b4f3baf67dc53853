import { describe, expect, it } from 'vitest';
import { abilities, commentAbilities, roleNoticeKey } from './role';

describe('abilities', () => {
  it('lets everyone edit on a server without accounts, but nobody share', () => {
    expect(abilities(undefined)).toEqual({ edit: true, rename: true, share: false });
  });

  it('follows the role', () => {
    expect(abilities('owner')).toEqual({ edit: true, rename: true, share: true });
    expect(abilities('editor')).toEqual({ edit: true, rename: true, share: false });
    expect(abilities('commenter')).toEqual({ edit: false, rename: false, share: false });
    expect(abilities('viewer')).toEqual({ edit: false, rename: false, share: false });
  });
});

describe('roleNoticeKey', () => {
  it('explains each role', () => {
    expect(roleNoticeKey('owner')).toBe('role.canEdit');
    expect(roleNoticeKey('editor')).toBe('role.canEdit');
    expect(roleNoticeKey('commenter')).toBe('role.canComment');
    expect(roleNoticeKey('viewer')).toBe('role.canRead');
  });
});

describe('commentAbilities', () => {
  it('lets commenters comment, editors decide, owners moderate, and viewers only read', () => {
    expect(commentAbilities('owner')).toEqual({ comment: true, dispose: true, moderate: true });
    expect(commentAbilities('editor')).toEqual({ comment: true, dispose: true, moderate: false });
    expect(commentAbilities('commenter')).toEqual({ comment: true, dispose: false, moderate: false });
    expect(commentAbilities('viewer')).toEqual({ comment: false, dispose: false, moderate: false });
    expect(commentAbilities(undefined)).toEqual({ comment: false, dispose: false, moderate: false });
  });
});
