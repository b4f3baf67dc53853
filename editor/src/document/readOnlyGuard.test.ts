import { Schema } from '@tiptap/pm/model';
import { EditorState } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { isLocalEdit } from './readOnlyGuard';

const schema = new Schema({
  nodes: { doc: { content: 'paragraph+' }, paragraph: { content: 'text*' }, text: {} },
});
const state = EditorState.create({ schema });

describe('isLocalEdit', () => {
  it('is true for a change made in this editor', () => {
    expect(isLocalEdit(state.tr.insertText('x', 1))).toBe(true);
  });

  it('is false for changes y-sync brings from the Y.Doc', () => {
    expect(isLocalEdit(state.tr.insertText('x', 1).setMeta(ySyncPluginKey, { isChangeOrigin: true }))).toBe(false);
    expect(isLocalEdit(state.tr.insertText('x', 1).setMeta(ySyncPluginKey, { snapshot: null, prevSnapshot: null }))).toBe(false);
  });

  it('is false when the document does not change (selection, awareness)', () => {
    expect(isLocalEdit(state.tr.setMeta('x', 1))).toBe(false);
  });
});
