import { formatIssuePath } from '@rapporteur/protocol';
import { bodySchema } from '@rapporteur/schema';
import type { Language } from '@rapporteur/i18n';
import type * as z from 'zod';
import { BadRequestError, type MessageRef, translate } from '../errors';
import { ZOD_LOCALES } from '../lib/zodLocales';

/** One thing wrong with a template, at the path people read (`content[3].attrs.level`). */
export interface TemplateProblem {
  readonly path: string;
  /** Zod's words (in the language it was checked in), or ours from the catalog. */
  readonly message: string | MessageRef;
}

/**
 * Parses template JSON with `schema` (CreateTemplateRequest or
 * UpdateTemplateRequest), then checks the content against the body schema
 * itself (TPL6). Throws a 400 listing every problem, each with its path; an
 * unknown key is named in the path (`content[2].attrs.blockId`).
 */
export function parseTemplate<S extends z.ZodType<{ content: unknown[] }>>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const recheck = (language: Language): readonly TemplateProblem[] => {
      const again = schema.safeParse(input, { error: ZOD_LOCALES[language]().localeError });
      return again.success ? [] : problemsOf(again.error);
    };
    throw new TemplateInvalidError(problemsOf(result.error), recheck);
  }
  const problem = schemaProblem(result.data.content);
  if (problem) throw new TemplateInvalidError([problem], null);
  return result.data;
}

function problemsOf(error: z.ZodError): TemplateProblem[] {
  return error.issues.flatMap((issue): TemplateProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatIssuePath([...issue.path, key]), message: { key: 'server.templates.unknownKey', values: { key } } }))
      : [{ path: formatIssuePath(issue.path), message: issue.message }],
  );
}

/** The body schema's own verdict on the content (the zod grammar should have caught everything first). */
function schemaProblem(content: readonly unknown[]): TemplateProblem | null {
  // No content is the blank template: a document that starts empty.
  if (content.length === 0) return null;
  try {
    bodySchema().nodeFromJSON({ type: 'doc', content }).check();
    return null;
  } catch (error) {
    return { path: 'content', message: { key: 'server.templates.schemaProblem', values: { detail: (error as Error).message } } };
  }
}

/**
 * 400 naming each problem's path (the first 20, then how many more), in the
 * caller's language: the catalog's words for ours, zod's locale for the
 * grammar's (the input is checked again in that language, as `parse` does).
 */
class TemplateInvalidError extends BadRequestError {
  constructor(
    private readonly problems: readonly TemplateProblem[],
    private readonly recheck: ((language: Language) => readonly TemplateProblem[]) | null,
  ) {
    super(templateMessage(problems, 'en'), detailsOf(problems, 'en'));
  }

  private problemsIn(language: Language): readonly TemplateProblem[] {
    return language === 'en' || !this.recheck ? this.problems : this.recheck(language);
  }

  override messageIn(language: Language): string {
    return templateMessage(this.problemsIn(language), language);
  }

  override detailsIn(language: Language): unknown {
    return detailsOf(this.problemsIn(language), language);
  }
}

const SHOWN = 20;

function wording(message: string | MessageRef, language: Language): string {
  return typeof message === 'string' ? message : translate(language, message);
}

function detailsOf(problems: readonly TemplateProblem[], language: Language): Array<{ path: string; message: string }> {
  return problems.slice(0, SHOWN).map((p) => ({ path: p.path, message: wording(p.message, language) }));
}

function templateMessage(problems: readonly TemplateProblem[], language: Language): string {
  const shown = problems
    .slice(0, SHOWN)
    .map((p) => (p.path ? translate(language, { key: 'server.request.problem', values: { path: p.path, message: wording(p.message, language) } }) : wording(p.message, language)));
  // "… (+n)" past the first 20: a count every language reads.
  if (problems.length > SHOWN) shown.push(`… (+${problems.length - SHOWN})`);
  return translate(language, { key: 'server.templates.invalid', values: { problems: shown.join(translate(language, { key: 'server.request.separator' })) } });
}
