import type { Language } from '@rapporteur/i18n';
import { z } from 'zod';
import { BadRequestError, translate } from '../errors';

/** Zod's own wording of validation problems, per language (SPEC L5). */
const ZOD_LOCALES: Readonly<Record<Language, () => { localeError: z.core.$ZodErrorMap }>> = {
  ar: z.locales.ar,
  en: z.locales.en,
  es: z.locales.es,
  fr: z.locales.fr,
  ru: z.locales.ru,
  zh: z.locales.zhCN,
};

interface Problem {
  readonly path: string;
  readonly message: string;
}

function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

const joined = (problems: readonly Problem[]): string => problems.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');

/** A 400 listing what is wrong; in another language, the input is checked again to word the problems in it. */
class InvalidRequestError extends BadRequestError {
  constructor(
    private readonly schema: z.ZodType,
    private readonly input: unknown,
    problems: readonly Problem[],
  ) {
    super(joined(problems), problems);
  }

  private problemsIn(language: Language): readonly Problem[] {
    if (language === 'en') return this.details as Problem[];
    const again = this.schema.safeParse(this.input, { error: ZOD_LOCALES[language]().localeError });
    return again.success ? (this.details as Problem[]) : problemsOf(again.error);
  }

  override messageIn(language: Language): string {
    return language === 'en' ? this.message : translate(language, { key: 'server.request.invalid', values: { problems: joined(this.problemsIn(language)) } });
  }

  override detailsIn(language: Language): unknown {
    return this.problemsIn(language);
  }
}

/** Parses `input` with `schema`, or throws a 400 listing what is wrong. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(schema, input, problemsOf(result.error));
  return result.data;
}
