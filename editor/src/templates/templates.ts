import { ApiError } from '@rapporteur/client/http';
import type { TemplateView } from '@rapporteur/protocol';

/** One problem with a template, as the server names it (`content[3].attrs.level`). */
export interface TemplateProblem {
  readonly path: string;
  readonly message: string;
}

/** The problems a refused template save lists (a 400's `details`), or none when the error is of another kind. */
export function templateProblems(error: unknown): TemplateProblem[] {
  if (!(error instanceof ApiError) || error.status !== 400 || !Array.isArray(error.details)) return [];
  return error.details.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    return [{ path: typeof path === 'string' ? path : Array.isArray(path) ? path.join('.') : '', message }];
  });
}

/** A template as the JSON an administrator edits: what `PUT`/`POST` take, nothing the server adds. */
export function editableJson(template: Pick<TemplateView, 'id' | 'type' | 'name' | 'description' | 'content'>): string {
  const { id, type, name, description, content } = template;
  return `${JSON.stringify({ id, type, name, description, content }, null, 2)}\n`;
}

/** A starting point for a new template. */
export function newTemplateJson(name: string): string {
  return editableJson({
    id: 'new-template',
    type: 'session-report',
    name,
    description: '',
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Key takeaways' }] },
      {
        type: 'orderedList',
        attrs: { field: 'key-takeaways', guidance: 'Up to three key takeaways.', required: true, maxItems: 3 },
        content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
      },
    ],
  });
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON.parse without throwing. */
export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The id a piece of template JSON names, if any (an import of an existing id becomes its next version). */
export function jsonId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : null;
}
