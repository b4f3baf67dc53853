// A real Tiptap Editor, unmounted (element: null), so no DOM is needed.
// An unmounted editor runs commands but installs its plugins only when a view
// mounts, so the block-id tests run the editor's own plugins on an
// EditorState of their own. (getHTML needs a DOM: these tests read JSON.)
import { Editor } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import type { Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { afterEach, describe, expect, it } from 'vitest';

import { schemaExtensions } from './index';
import { doc, p, pAttrs } from './testing';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

function editor(content: JSONContent, uniqueIds = true): Editor {
  const e = new Editor({
    element: null,
    extensions: schemaExtensions({ uniqueIds }),
    content,
    // Core keymap reads `navigator`, which Node 20 lacks.
    enableCoreExtensions: { keymap: false },
  });
  editors.push(e);
  return e;
}

/** An EditorState with the editor's real plugins (UniqueID's among them). */
function stateWithPlugins(content: JSONContent, uniqueIds = true): EditorState {
  const e = editor(content, uniqueIds);
  return EditorState.create({
    doc: Node.fromJSON(e.schema, content),
    plugins: e.extensionManager.plugins,
  });
}

/** Splits the first block at the end of its text, as pressing Enter there does. */
function splitFirstBlock(state: EditorState): Transaction {
  const end = state.doc.firstChild!.nodeSize - 1;
  const tr = state.tr.setSelection(TextSelection.create(state.doc, end));
  return tr.split(end);
}

function blockIds(state: EditorState): unknown[] {
  const ids: unknown[] = [];
  state.doc.descendants((node) => {
    if (node.isBlock) ids.push(node.attrs['blockId']);
  });
  return ids;
}

describe('block ids (the UniqueID plugin of schemaExtensions)', () => {
  it('a new block made locally gets its own id', () => {
    let state = stateWithPlugins(doc(pAttrs({ blockId: 'first' }, 'one')));
    state = state.apply(splitFirstBlock(state));
    const ids = blockIds(state);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe('first');
    expect(ids[1]).toEqual(expect.any(String));
    expect(ids[1]).not.toBe('first');
  });

  it('a block that arrives through remote y-sync is left alone', () => {
    let state = stateWithPlugins(doc(pAttrs({ blockId: 'first' }, 'one')));
    const tr = state.tr.insert(state.doc.content.size, state.schema.nodes['paragraph']!.create());
    tr.setMeta(ySyncPluginKey, { isChangeOrigin: true });
    state = state.apply(tr);
    expect(blockIds(state)).toEqual(['first', null]);
  });

  it('uniqueIds: false keeps the attribute but installs no id plugin', () => {
    let state = stateWithPlugins(doc(pAttrs({ blockId: 'first' }, 'one')), false);
    expect(state.plugins.some((plugin) => (plugin as unknown as { key: string }).key.startsWith('uniqueID'))).toBe(false);
    const tr = state.tr.insert(state.doc.content.size, state.schema.nodes['paragraph']!.create());
    state = state.apply(tr);
    expect(blockIds(state)).toEqual(['first', null]);
  });
});

describe('text direction commands', () => {
  it('setTextDirection sets dir on the text blocks of the selection, unsetTextDirection resets it', () => {
    const e = editor(doc(p('one'), p('two')));
    e.commands.setTextSelection(2);
    expect(e.commands.setTextDirection('rtl')).toBe(true);
    expect(e.getJSON().content?.map((n) => n.attrs?.['dir'])).toEqual(['rtl', 'auto']);
    e.commands.unsetTextDirection();
    expect(e.getJSON().content?.map((n) => n.attrs?.['dir'])).toEqual(['auto', 'auto']);
  });

  it('a new block started with Enter after a right-to-left one starts on auto; the old block keeps its direction', () => {
    const e = editor(doc(p('مرحبا')));
    e.commands.setTextSelection(2);
    e.commands.setTextDirection('rtl');
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.splitBlock();
    e.commands.insertContent({ type: 'text', text: 'Hello' });
    expect(e.getJSON().content?.map((n) => n.attrs?.['dir'])).toEqual(['rtl', 'auto']);
  });

  it('text typed right after a link is not part of the link (issue 14)', () => {
    const e = editor({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'See the ' }, { type: 'text', text: 'report', marks: [{ type: 'link', attrs: { href: 'https://example.org/r' } }] }] }],
    });
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    // As typing does: the new text takes the marks the caret's position has.
    e.commands.command(({ tr }) => {
      tr.insertText(' for details');
      return true;
    });
    const runs = e.getJSON().content?.[0]?.content?.map((n: JSONContent) => [n.text, (n.marks ?? []).map((m) => m.type)]);
    expect(runs).toEqual([
      ['See the ', []],
      ['report', ['link']],
      [' for details', []],
    ]);
  });
});
