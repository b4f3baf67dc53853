import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { schemaExtensions } from '@rapporteur/schema';
import { describe, expect, it } from 'vitest';
import { countableText, countText, outlineOf, sectionAt } from './outline';

const schema = getSchema(schemaExtensions({ uniqueIds: false }));
const h = (level: number, text: string, blockId: string) => ({ type: 'heading', attrs: { level, blockId }, content: [{ type: 'text', text }] });
const p = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });

describe('outlineOf and sectionAt', () => {
  const doc = PMNode.fromJSON(schema, {
    type: 'doc',
    content: [
      p('Opening words'),
      h(1, 'Key takeaways', 'a'),
      p('One'),
      h(2, ' Calls to action ', 'b'),
      { type: 'blockquote', content: [h(3, 'Quoted heading', 'c')] },
      p('Two'),
    ],
  });
  const outline = outlineOf(doc);

  it('lists every heading in order with its level, id and text, nested ones included', () => {
    expect(outline.map((e) => [e.level, e.blockId, e.text])).toEqual([
      [1, 'a', 'Key takeaways'],
      [2, 'b', 'Calls to action'],
      [3, 'c', 'Quoted heading'],
    ]);
  });

  it('finds the section of a position: before the first heading, on a heading, inside a section', () => {
    expect(sectionAt(outline, 1)).toBe(-1);
    expect(sectionAt(outline, outline[0]!.pos)).toBe(0);
    expect(sectionAt(outline, outline[1]!.pos - 1)).toBe(0);
    expect(sectionAt(outline, doc.content.size - 1)).toBe(2);
    expect(sectionAt([], 10)).toBe(-1);
  });
});

describe('countText', () => {
  it('counts words as each language segments them, and characters as people see them', () => {
    expect(countText('Access must be affordable.', 'en')).toEqual({ words: 4, characters: 26 });
    expect(countText('互联网治理论坛', 'zh').words).toBeGreaterThan(1);
    expect(countText('café 👩🏽‍💻', 'fr')).toEqual({ words: 1, characters: 6 });
    expect(countText('', 'en')).toEqual({ words: 0, characters: 0 });
  });

  it('does not run words together across blocks', () => {
    const doc = PMNode.fromJSON(schema, { type: 'doc', content: [p('end'), p('start')] });
    expect(countText(countableText(doc), 'en').words).toBe(2);
  });
});
