import { getSchema } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { BODY_FIELD, bodyFragment, docToJSON, schemaExtensions } from './index';
import { doc, h, p, yDocFromJSON } from './testing';

describe('bodyFragment', () => {
  it('is the default XmlFragment', () => {
    const ydoc = new Y.Doc();
    expect(bodyFragment(ydoc)).toBe(ydoc.getXmlFragment(BODY_FIELD));
  });
});

describe('docToJSON', () => {
  it('gives one empty paragraph for an empty Y.Doc', () => {
    expect(docToJSON(new Y.Doc())).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', attrs: { dir: 'auto', blockId: null, consensus: null, field: null, guidance: null, required: false } }],
    });
  });

  it('round-trips through yDocFromJSON', () => {
    const json = docToJSON(yDocFromJSON(doc(h(2, 'Key takeaways'), p('One'))));
    expect(json).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2, dir: 'auto', blockId: null, consensus: null, field: null, guidance: null, required: false }, content: [{ type: 'text', text: 'Key takeaways' }] },
        { type: 'paragraph', attrs: { dir: 'auto', blockId: null, consensus: null, field: null, guidance: null, required: false }, content: [{ type: 'text', text: 'One' }] },
      ],
    });
    expect(docToJSON(yDocFromJSON(json))).toEqual(json);
  });

  it('gives JSON that is valid for the schema', () => {
    const schema = getSchema(schemaExtensions());
    for (const ydoc of [new Y.Doc(), yDocFromJSON(doc(p('a')))]) {
      expect(() => Node.fromJSON(schema, docToJSON(ydoc)).check()).not.toThrow();
    }
  });
});

describe('schemaExtensions', () => {
  it('puts blockId on every block type and dir on text blocks, with or without the id plugin', () => {
    for (const uniqueIds of [true, false]) {
      const schema = getSchema(schemaExtensions({ uniqueIds }));
      for (const name of ['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'horizontalRule', 'table', 'tableRow', 'tableHeader', 'tableCell']) {
        expect(schema.nodes[name]?.spec.attrs, name).toHaveProperty('blockId');
      }
      for (const name of ['paragraph', 'heading', 'blockquote', 'listItem', 'codeBlock', 'tableHeader', 'tableCell']) {
        expect(schema.nodes[name]?.spec.attrs?.['dir']?.default, name).toBe('auto');
      }
      expect(schema.nodes['doc']?.spec.attrs ?? {}).not.toHaveProperty('blockId');
      expect(schema.nodes['hardBreak']?.spec.attrs ?? {}).not.toHaveProperty('blockId');
    }
  });

  it('has the marks and nodes of the contract', () => {
    const schema = getSchema(schemaExtensions());
    expect(Object.keys(schema.marks).sort()).toEqual(['bold', 'code', 'italic', 'link', 'strike', 'subscript', 'superscript', 'underline']);
    expect(Object.keys(schema.nodes).sort()).toEqual(
      ['blockquote', 'bulletList', 'citation', 'codeBlock', 'doc', 'hardBreak', 'heading', 'horizontalRule', 'listItem', 'orderedList', 'paragraph', 'table', 'tableCell', 'tableHeader', 'tableRow', 'text', 'footnote'].sort(),
    );
  });
});
