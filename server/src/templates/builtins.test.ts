import { DOCUMENT_TYPES, type TemplateNode } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { builtinTemplates } from './builtins';

// The built-in templates are data (builtin/*.json), validated like an import (SPEC TPL8).

function fields(content: readonly TemplateNode[]): Array<{ field: unknown; type: string; required: boolean; maxItems: unknown; notStated: boolean; guidance: unknown }> {
  const out: ReturnType<typeof fields> = [];
  const visit = (n: TemplateNode): void => {
    const a = n.attrs ?? {};
    if (typeof a['field'] === 'string') {
      out.push({ field: a['field'], type: n.type, required: a['required'] === true, maxItems: a['maxItems'] ?? null, notStated: a['emptyMeansNotStated'] === true, guidance: a['guidance'] });
    }
    (n.content ?? []).forEach(visit);
  };
  content.forEach(visit);
  return out;
}

const byId = (id: string) => {
  const t = builtinTemplates().find((x) => x.id === id);
  if (!t) throw new Error(`no built-in ${id}`);
  return t;
};

describe('built-in templates', () => {
  it('are valid, one per document type, each with the id of its type', () => {
    const templates = builtinTemplates();
    expect(templates.map((t) => t.id).sort()).toEqual([...DOCUMENT_TYPES].sort());
    for (const t of templates) expect(t.type).toBe(t.id);
    expect(byId('blank').content).toEqual([]);
  });

  it('give every field guidance, and every template but blank a field', () => {
    for (const t of builtinTemplates().filter((x) => x.id !== 'blank')) {
      const f = fields(t.content);
      expect(f.length, t.id).toBeGreaterThan(0);
      for (const field of f) expect(typeof field.guidance, `${t.id} ${String(field.field)}`).toBe('string');
    }
  });

  it('session report: the fields the IGF asks for, with ≤ 3 takeaways and calls to action, and participation apart from zero', () => {
    const f = fields(byId('session-report').content);
    expect(f.map((x) => x.field)).toEqual([
      'session-title',
      'session-type',
      'organisers',
      'speakers',
      'key-takeaways',
      'calls-to-action',
      'issues-raised',
      'areas-of-agreement',
      'areas-of-divergence',
      'way-forward',
      'participation',
      'gender-reflection',
      'remote-participation',
    ]);
    const get = (key: string) => f.find((x) => x.field === key)!;
    expect(get('key-takeaways')).toMatchObject({ maxItems: 3, required: true });
    expect(get('calls-to-action')).toMatchObject({ maxItems: 3, required: true });
    expect(String(get('calls-to-action').guidance)).toMatch(/whom it addresses/);
    expect(get('speakers').type).toBe('table');
    expect(JSON.stringify(byId('session-report').content)).toContain('Stakeholder group');
    expect(get('participation')).toMatchObject({ type: 'table', notStated: true });
  });

  it('messages: theme, sub-heading and message bullets citing their source sessions', () => {
    const f = fields(byId('igf-messages').content);
    expect(f.map((x) => [x.field, x.type])).toEqual([
      ['introduction', 'paragraph'],
      ['theme', 'heading'],
      ['sub-heading', 'heading'],
      ['messages', 'bulletList'],
    ]);
    expect(String(f[3]!.guidance)).toMatch(/source sessions/);
  });

  it('dynamic coalition output: a required minority-views section', () => {
    expect(fields(byId('dc-output').content).find((x) => x.field === 'minority-views')).toMatchObject({ required: true });
  });
});
