// SPEC FN1–FN3: the footnote node, its numbers in document order, and how HTML and Markdown write it.
import { Editor } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  bodyFragment,
  bodySchema,
  docToJSON,
  docToMarkdown,
  footnoteNodes,
  footnotesOf,
  footnoteText,
  jsonToHtml,
  markedPassages,
  schemaExtensions,
} from './index';
import { doc, fn, h, li, p, pAttrs, table, td, text, th, tr, ul, yDocFromJSON } from './testing';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

const unmounted = (content: ReturnType<typeof doc>): Editor => {
  const e = new Editor({ element: null, extensions: schemaExtensions(), content, enableCoreExtensions: { keymap: false } });
  editors.push(e);
  return e;
};

describe('the footnote node (FN1)', () => {
  it('holds its note as text with marks, inline in a paragraph, and survives the Y.Doc', () => {
    const json = doc(p('Agreed', fn('See the ', text('IGF 2025', 'italic'), ' report.'), ' in Riyadh.'));
    const back = docToJSON(yDocFromJSON(json));
    const note = back.content?.[0]?.content?.[1];
    expect(note?.type).toBe('footnote');
    expect(note?.content).toEqual([
      { type: 'text', text: 'See the ' },
      { type: 'text', text: 'IGF 2025', marks: [{ type: 'italic' }] },
      { type: 'text', text: ' report.' },
    ]);
    expect(footnoteText(note!)).toBe('See the IGF 2025 report.');
  });

  it('cannot hold a footnote, a line break or a block', () => {
    const schema = bodySchema();
    expect(() => Node.fromJSON(schema, fn(fn('inner'))).check()).toThrow(RangeError);
    expect(() => Node.fromJSON(schema, fn(p('x'))).check()).toThrow(RangeError);
  });

  it('drops a footnote a client wrote where it cannot be (nested in a footnote) when rendering, keeping the body', () => {
    const ydoc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    const outer = new Y.XmlElement('footnote');
    const inner = new Y.XmlElement('footnote');
    inner.insert(0, [new Y.XmlText('inner')]);
    outer.insert(0, [new Y.XmlText('outer'), inner]);
    para.insert(0, [new Y.XmlText('text'), outer]);
    bodyFragment(ydoc).insert(0, [para]);
    const html = jsonToHtml(docToJSON(ydoc));
    expect(html).toContain('text');
    expect(html.match(/role="doc-noteref"/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('insertFootnote puts an empty note after the selected text with the caret inside; refused inside a footnote', () => {
    const e = unmounted(doc(p('Calls to action')));
    // Select "Calls" (positions 1–6): the note goes after it, as in a word processor.
    e.commands.setTextSelection({ from: 1, to: 6 });
    expect(e.commands.insertFootnote()).toBe(true);
    expect(e.getJSON().content?.[0]?.content?.map((c) => c.type)).toEqual(['text', 'footnote', 'text']);
    const { $from } = e.state.selection;
    expect($from.parent.type.name).toBe('footnote');
    e.commands.insertContent({ type: 'text', text: 'A note.' });
    expect(footnoteText(e.getJSON().content![0]!.content![1]!)).toBe('A note.');
    // The caret is in the note: no footnote in a footnote.
    expect(e.commands.insertFootnote()).toBe(false);
    expect(e.can().insertFootnote()).toBe(false);
  });

  it('insertFootnote with text, e.g. from an import', () => {
    const e = unmounted(doc(p('Text')));
    e.commands.setTextSelection(5);
    e.commands.insertFootnote('Source: WSIS+20.');
    expect(footnoteText(e.getJSON().content![0]!.content![1]!)).toBe('Source: WSIS+20.');
    expect(e.state.selection).toBeInstanceOf(TextSelection);
    expect(e.state.selection.$from.parentOffset).toBe('Source: WSIS+20.'.length);
  });
});

describe('numbers come from document order (FN2)', () => {
  const body = doc(
    h(1, 'Title', fn('heading note')),
    p('one', fn('first'), ' two', fn('second')),
    table(tr(th(p('head'))), tr(td(p('cell', fn('in a table'))))),
    ul(li(p('item', fn('in a list')))),
  );

  it('footnoteNodes (JSON) and footnotesOf (ProseMirror) agree', () => {
    expect(footnoteNodes(body).map(footnoteText)).toEqual(['heading note', 'first', 'second', 'in a table', 'in a list']);
    const pm = Node.fromJSON(bodySchema(), body);
    const found = footnotesOf(pm);
    expect(found.map((f) => f.node.textContent)).toEqual(['heading note', 'first', 'second', 'in a table', 'in a list']);
    for (const f of found) expect(pm.nodeAt(f.pos)?.type.name).toBe('footnote');
  });

  it('moving a paragraph renumbers: the numbers are not stored', () => {
    const moved = doc(p('b', fn('note of b')), p('a', fn('note of a')));
    const html = jsonToHtml(moved);
    expect(html).toMatch(/<li id="fn-1"><p>note of b /);
    expect(html).toMatch(/<li id="fn-2"><p>note of a /);
    expect(JSON.stringify(docToJSON(yDocFromJSON(moved)))).not.toMatch(/"number"/);
  });
});

describe('HTML (FN3)', () => {
  it('a superscript link to each note, the notes in order after the text with links back', () => {
    const html = jsonToHtml(doc(p('Agreed', fn('See ', text('the report', 'italic'), '.'), ' and noted', fn('Second.'))));
    expect(html).toBe(
      [
        '<p dir="auto">Agreed<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" role="doc-noteref" aria-label="Note 1">1</a></sup> and noted<sup class="footnote-ref"><a href="#fn-2" id="fnref-2" role="doc-noteref" aria-label="Note 2">2</a></sup></p>',
        '<section class="footnotes" role="doc-endnotes" aria-labelledby="footnotes-title">',
        '<h2 id="footnotes-title">Notes</h2>',
        '<ol>',
        '<li id="fn-1"><p>See <em>the report</em>. <a href="#fnref-1" role="doc-backlink" aria-label="Back to the text of note 1">↩</a></p></li>',
        '<li id="fn-2"><p>Second. <a href="#fnref-2" role="doc-backlink" aria-label="Back to the text of note 2">↩</a></p></li>',
        '</ol>',
        '</section>',
      ].join('\n'),
    );
  });

  it('labels in another language; no notes section without footnotes', () => {
    const labels = { title: 'Notes de bas de page', reference: (n: number) => `Note ${n}`, back: (n: number) => `Retour au texte de la note ${n}` };
    expect(jsonToHtml(doc(p('a', fn('x'))), undefined, { footnotes: labels })).toContain('<h2 id="footnotes-title">Notes de bas de page</h2>');
    expect(jsonToHtml(doc(p('a')))).toBe('<p dir="auto">a</p>');
  });

  it('pandoc style: noteref links and footnote asides', () => {
    const html = jsonToHtml(doc(p('a', fn('note'))), undefined, { noteStyle: 'pandoc' });
    expect(html).toBe('<p dir="auto">a<a epub:type="noteref" href="#fn-1" id="fnref-1">1</a></p>\n<aside epub:type="footnote" id="fn-1"><p>note</p></aside>');
  });

  it('escapes the note text', () => {
    const html = jsonToHtml(doc(p('a', fn('<script>alert(1)</script>'))));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });
});

describe('Markdown (FN3)', () => {
  it('[^n] where the note is, definitions after the text', () => {
    const md = docToMarkdown(yDocFromJSON(doc(p('Agreed', fn('See ', text('the report', 'italic'), '.'), ' and noted', fn()), p('Next [^9] stays text.'))));
    expect(md).toBe('Agreed[^1] and noted[^2]\n\nNext \\[^9\\] stays text.\n\n[^1]: See *the report*.\n[^2]:\n');
  });
});

describe('footnotes are notes on the text, not the text (quotes, fields)', () => {
  it('a marked passage is quoted without its footnote', () => {
    const marker = { level: 'consensus', basis: 'chair-designation' };
    const passages = markedPassages(doc(pAttrs({ consensus: marker }, 'Broad support', fn('Three governments objected.'), ' for the text.')));
    expect(passages[0]?.passage).toBe('Broad support for the text.');
  });
});
