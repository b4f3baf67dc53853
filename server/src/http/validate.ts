import type { Language } from '@rapporteur/i18n';
import type * as z from 'zod';
import { BadRequestError, translate } from '../errors';
import { ZOD_LOCALES } from '../lib/zodLocales';


interface Problem {
  readonly path: string;
  readonly message: string;
}

function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** The problems as one sentence in `language`: `path: message`, separated as the language separates them. */
const joined = (problems: readonly Problem[], language: Language = 'en'): string =>
  problems
    .map((i) => (i.path ? translate(language, { key: 'server.request.problem', values: { path: i.path, message: i.message } }) : i.message))
    .join(translate(language, { key: 'server.request.separator' }));

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
    return language === 'en' ? this.message : translate(language, { key: 'server.request.invalid', values: { problems: joined(this.problemsIn(language), language) } });
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
