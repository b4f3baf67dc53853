import { ApiError } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { editableJson, jsonId, parseJson, templateProblems } from './templates';

describe('template editing helpers', () => {
  it('lists the problems of a 400 by path, and none for other errors', () => {
    const error = new ApiError(400, 'bad_request', 'Invalid template', [
      { path: 'content[3].attrs.level', message: 'Heading levels are 1, 2, 3 or 4' },
      { path: ['name'], message: 'Required' },
    ]);
    expect(templateProblems(error)).toEqual([
      { path: 'content[3].attrs.level', message: 'Heading levels are 1, 2, 3 or 4' },
      { path: 'name', message: 'Required' },
    ]);
    expect(templateProblems(new ApiError(409, 'template_exists', 'taken'))).toEqual([]);
    expect(templateProblems(new Error('x'))).toEqual([]);
  });

  it('gives the JSON the admin API takes, without what the server adds', () => {
    const json = editableJson({ id: 'x', type: 'blank', name: 'X', description: '', content: [] });
    expect(JSON.parse(json)).toEqual({ id: 'x', type: 'blank', name: 'X', description: '', content: [] });
  });

  it('parses JSON without throwing, and reads its id', () => {
    expect(parseJson('{"id":"a"}')).toEqual({ ok: true, value: { id: 'a' } });
    expect(parseJson('{').ok).toBe(false);
    expect(jsonId({ id: 'a' })).toBe('a');
    expect(jsonId([])).toBeNull();
  });
});
