import { formatIssuePath } from '@rapporteur/protocol';
import { bodySchema } from '@rapporteur/schema';
import type { z } from 'zod';
import { BadRequestError } from '../errors';

/** One thing wrong with a template, at the path people read (`content[3].attrs.level`). */
export interface TemplateProblem {
  readonly path: string;
  readonly message: string;
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
    const problems: TemplateProblem[] = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: formatIssuePath([...issue.path, key]), message: `Unknown key "${key}"` }))
        : [{ path: formatIssuePath(issue.path), message: issue.message }],
    );
    throw templateError(problems);
  }
  const problem = schemaProblem(result.data.content);
  if (problem) throw templateError([problem]);
  return result.data;
}

/** The body schema's own verdict on the content (the zod grammar should have caught everything first). */
function schemaProblem(content: readonly unknown[]): TemplateProblem | null {
  // No content is the blank template: a document that starts empty.
  if (content.length === 0) return null;
  try {
    bodySchema().nodeFromJSON({ type: 'doc', content }).check();
    return null;
  } catch (error) {
    return { path: 'content', message: `Not valid for the document schema: ${(error as Error).message}` };
  }
}

function templateError(problems: readonly TemplateProblem[]): BadRequestError {
  const shown = problems.slice(0, 20);
  const message = `Invalid template: ${shown.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}${problems.length > shown.length ? `; and ${problems.length - shown.length} more` : ''}`;
  return new BadRequestError(message, shown);
}
