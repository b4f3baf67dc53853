import { Editor } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { bodyFragment, docToHtml, docToJSON, docToMarkdown, readinessProblems, requiredFieldsOf, schemaExtensions } from './index';
import { doc, h, li, p, pAttrs, table, td, th, tr, yDocFromJSON } from './testing';

// Template field attributes (issue 9, SPEC TPL1–TPL4): on blocks, through a Y.Doc,
// never exported as guidance, checked before "final".

const GUIDANCE = 'State up to three key takeaways, each in one or two sentences.';

const withAttrs = (type: string, attrs: Record<string, unknown>, ...content: JSONContent[]): JSONContent => ({
  type,
  attrs,
  ...(content.length > 0 ? { content } : {}),
});

const takeaways = (...items: string[]): JSONContent =>
  withAttrs(
    'bulletList',
    { blockId: 'list-1', field: 'key-takeaways', guidance: GUIDANCE, required: true, maxItems: 3 },
    ...(items.length === 0 ? [li(p())] : items.map((s) => li(s === '' ? p() : p(s)))),
  );

describe('template field attributes through a Y.Doc (TPL1)', () => {
  it('keep field, guidance, required and maxItems on their blocks, and the block id', () => {
    const ydoc = yDocFromJSON(
      doc(
        h(2, 'Key takeaways'),
        takeaways('One'),
        pAttrs({ blockId: 'p-1', field: 'way-forward', guidance: 'What happens next.', required: true }),
      ),
    );
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
    const json = docToJSON(copy);
    expect(json.content?.[1]?.attrs).toMatchObject({ blockId: 'list-1', field: 'key-takeaways', guidance: GUIDANCE, required: true, maxItems: 3 });
    expect(json.content?.[2]?.attrs).toMatchObject({ blockId: 'p-1', field: 'way-forward', guidance: 'What happens next.', required: true });
    expect(json.content?.[0]?.attrs).toMatchObject({ field: null, guidance: null, required: false });
  });

  it('are narrowed when a client wrote nonsense into them', () => {
    const ydoc = yDocFromJSON(doc(p('x')));
    const element = bodyFragment(ydoc).get(0) as Y.XmlElement;
    ydoc.transact(() => {
      element.setAttribute('field', 'Not A Key!' as never);
      element.setAttribute('guidance', 'x'.repeat(5000) as never);
      element.setAttribute('required', 'yes' as never);
    });
    expect(docToJSON(ydoc).content?.[0]?.attrs).toMatchObject({ field: null, guidance: null, required: false });

    const list = yDocFromJSON(doc(withAttrs('bulletList', { maxItems: 3 }, li(p('a')))));
    (bodyFragment(list).get(0) as Y.XmlElement).setAttribute('maxItems', -1 as never);
    expect(docToJSON(list).content?.[0]?.attrs?.['maxItems']).toBeNull();
  });

  it('are not carried to the new block when Enter splits a field', () => {
    const editor = new Editor({
      element: null,
      extensions: schemaExtensions({ uniqueIds: false }),
      content: doc(pAttrs({ field: 'way-forward', guidance: 'What happens next.', required: true }, 'Next steps')),
    });
    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.commands.splitBlock();
    const [first, second] = editor.getJSON().content ?? [];
    expect(first?.attrs).toMatchObject({ field: 'way-forward', required: true });
    expect(second?.attrs).toMatchObject({ field: null, guidance: null, required: false });
    editor.destroy();
  });
});

describe('guidance is never exported (TPL2)', () => {
  const ydoc = () =>
    yDocFromJSON(
      doc(
        h(2, 'Key takeaways'),
        takeaways(),
        pAttrs({ field: 'gender-reflection', guidance: 'Did the session engage with gender as a topic?' }),
        pAttrs({ field: 'filled', guidance: 'Guidance of a filled field' }, 'Filled in'),
      ),
    );

  it('is in neither the HTML nor the Markdown export, filled or empty', () => {
    const html = docToHtml(ydoc());
    const markdown = docToMarkdown(ydoc());
    for (const out of [html, markdown]) {
      expect(out).not.toContain('key takeaways, each');
      expect(out).not.toContain('engage with gender');
      expect(out).not.toContain('Guidance of a filled field');
      expect(out).not.toContain('guidance');
    }
    expect(markdown).toContain('Filled in');
    // The field key is a harmless hook; required and the limit stay internal too.
    expect(html).toContain('data-field="key-takeaways"');
    expect(html).not.toMatch(/required|max-?items/i);
  });
});

describe('"not stated" kept apart from zero (TPL3)', () => {
  const participation = () =>
    yDocFromJSON(
      doc(
        withAttrs(
          'table',
          { field: 'participation', emptyMeansNotStated: true },
          tr(th(p('Participation')), th(p('Number'))),
          tr(td(p('On site')), td(p('0'))),
          tr(td(p('Online')), td(p())),
        ),
        table(tr(th(p('Other table'))), tr(td(p()))),
      ),
    );

  it('renders an empty cell as "not stated" in HTML and Markdown, while 0 stays 0', () => {
    const html = docToHtml(participation());
    expect(html).toMatch(/<td[^>]*><p[^>]*>0<\/p><\/td>/);
    expect(html.match(/<em>not stated<\/em>/g)).toHaveLength(1);
    const markdown = docToMarkdown(participation());
    expect(markdown).toContain('| On site | 0 |');
    expect(markdown).toContain('| Online | *not stated* |');
    // A table that does not say so keeps its empty cell empty.
    expect(markdown).toContain('|  |');
  });
});

describe('readiness checks of template fields (TPL4)', () => {
  it('required-field-empty names the passage by the heading it comes under', () => {
    const body = docToJSON(
      yDocFromJSON(
        doc(
          h(2, 'Key takeaways'),
          takeaways(),
          h(2, 'Way forward'),
          pAttrs({ blockId: 'wf', field: 'way-forward', required: true }),
          h(2, 'Gender reflection'),
          pAttrs({ blockId: 'g', field: 'gender', required: false }),
        ),
      ),
    );
    expect(readinessProblems(body)).toEqual([
      { code: 'required-field-empty', blockId: 'list-1', passage: 'Key takeaways' },
      { code: 'required-field-empty', blockId: 'wf', passage: 'Way forward' },
    ]);
  });

  it('counts a table as empty while only its header cells hold text, and a heading by its own guidance', () => {
    const body = docToJSON(
      yDocFromJSON(
        doc(
          h(2, 'Speakers'),
          withAttrs('table', { blockId: 't', field: 'speakers', required: true }, tr(th(p('Name')), th(p('Group'))), tr(td(p()), td(p()))),
          withAttrs('heading', { level: 2, blockId: 'theme', field: 'theme', required: true, guidance: 'The theme, e.g. Digital trust' }),
        ),
      ),
    );
    expect(readinessProblems(body)).toEqual([
      { code: 'required-field-empty', blockId: 't', passage: 'Speakers' },
      { code: 'required-field-empty', blockId: 'theme', passage: 'The theme, e.g. Digital trust' },
    ]);
  });

  it('is satisfied once the field holds text', () => {
    const body = docToJSON(yDocFromJSON(doc(h(2, 'Key takeaways'), takeaways('Access is a right'))));
    expect(readinessProblems(body)).toEqual([]);
  });

  it('too-many-items counts the items that hold text against maxItems', () => {
    const three = docToJSON(yDocFromJSON(doc(h(2, 'Key takeaways'), takeaways('a', 'b', 'c', ''))));
    expect(readinessProblems(three)).toEqual([]);
    const four = docToJSON(yDocFromJSON(doc(h(2, 'Key takeaways'), takeaways('a', 'b', 'c', 'd'))));
    expect(readinessProblems(four)).toEqual([{ code: 'too-many-items', blockId: 'list-1', passage: 'Key takeaways' }]);
  });
});

describe('required-field-missing (TPL4)', () => {
  const template = [
    h(2, 'Key takeaways'),
    takeaways(),
    h(2, 'Way forward'),
    pAttrs({ field: 'way-forward', required: true, guidance: 'What next.' }),
    pAttrs({ field: 'optional', guidance: 'Optional.' }),
  ];

  it('lists a template’s required fields with the label its heading gives them', () => {
    expect(requiredFieldsOf(template)).toEqual([
      { field: 'key-takeaways', label: 'Key takeaways' },
      { field: 'way-forward', label: 'Way forward' },
    ]);
  });

  it('names a required field of the template that is no longer in the document at all', () => {
    const requiredFields = requiredFieldsOf(template);
    const deleted = docToJSON(yDocFromJSON(doc(h(2, 'Key takeaways'), takeaways('Done'), h(2, 'Way forward'))));
    expect(readinessProblems(deleted, { requiredFields })).toEqual([{ code: 'required-field-missing', blockId: null, passage: 'Way forward' }]);
    // Without the template's fields (a blank document), nothing is missing.
    expect(readinessProblems(deleted)).toEqual([]);
  });
});
