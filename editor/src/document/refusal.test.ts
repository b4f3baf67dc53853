import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { refusalKind, refusalNoticeKey } from './refusal';

describe('refusalKind', () => {
  it('names the refusals the page handles by close code', () => {
    expect(refusalKind(4401)).toBe('signIn');
    expect(refusalKind(4403)).toBe('accessRemoved');
    expect(refusalKind(4404)).toBe('notFound');
    expect(refusalKind(4414)).toBe('tooLarge');
  });

  it('treats every other code as a generic refusal', () => {
    for (const code of [4400, 4406, 4413, 4422, 4499]) expect(refusalKind(code)).toBe('other');
  });
});

describe('refusalNoticeKey', () => {
  const t = createI18n({ lng: 'en' }).t;

  it('has a sentence for each refusal that keeps the person on the page', () => {
    expect(t(refusalNoticeKey('accessRemoved'))).toMatch(/no longer have access/);
    expect(t(refusalNoticeKey('tooLarge'))).toMatch(/size limit/);
    expect(t(refusalNoticeKey('other'), { reason: 'invalidUpdate' })).toContain('invalidUpdate');
  });
});
