import { CATALOG } from '@rapporteur/i18n';
import { ErrorCode } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { AppError, translate } from './errors';

// SPEC L5: every error code has the catalog's words, so a message written
// without a key of its own still reads in the caller's language.
describe('error messages from the catalog (SPEC L5)', () => {
  it('every error code has server.errors.<code> in English (L9 holds the other five to it)', () => {
    const errors = (CATALOG.en as { server: { errors: Record<string, string> } }).server.errors;
    const missing = Object.values(ErrorCode).filter((code) => typeof errors[code] !== 'string');
    expect(missing).toEqual([]);
  });

  it('words a value that is itself a message, and each item of a list, in the same language', () => {
    const ref = { key: 'server.workflow.noSuchMove', values: { from: { key: 'workflow.status.drafting' }, to: { key: 'workflow.status.final' } } };
    expect(translate('en', ref)).toBe('A document cannot move from Drafting to Final');
    const ru = (key: string) => translate('ru', { key });
    expect(translate('ru', ref)).toBe(`Документ не может перейти с этапа «${ru('workflow.status.drafting')}» на этап «${ru('workflow.status.final')}»`);
  });

  it('a message written without a key is English, and other languages get the words for its code', () => {
    const error = new AppError(ErrorCode.exportFailed, 'pandoc failed: exit 1');
    expect(error.messageIn('en')).toBe('pandoc failed: exit 1');
    expect(error.messageIn('fr')).toBe(translate('fr', { key: 'server.errors.export_failed' }));
    expect(error.messageIn('fr')).not.toContain('server.errors');
  });

  it('a problem’s message given as a key in details is worded in the language, its path kept', () => {
    const error = new AppError(ErrorCode.badRequest, { key: 'server.templates.invalid', values: { problems: 'x' } }, [
      { path: 'corrects', message: { key: 'server.publications.noSuchCorrected' } },
    ]);
    expect(error.detailsIn('es')).toEqual([{ path: 'corrects', message: translate('es', { key: 'server.publications.noSuchCorrected' }) }]);
  });
});
