import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { Editor } from '@tiptap/react';
import { findBlock } from '../consensus/consensus';
import { isLocalEdit } from '../document/readOnlyGuard';

/**
 * The editor's side of the workflow (SPEC WF5): while the document is final
 * or published, the first edit this person makes is held back and they are
 * asked first, since it will move the document back to revising. Armed by
 * the page while the status is done and the person may edit; disarmed once
 * they confirm (or the status changes). Remote edits (y-sync's own
 * transactions) always pass, and so do plugins' follow-up transactions,
 * silently dropped while armed (they never ask).
 */
export class WorkflowController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private armed = false;
  private asking = false;
  private readonly blockedListeners = new Set<() => void>();

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'workflowReopenGuard',
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key: new PluginKey('workflowReopenGuard'),
            filterTransaction: (tr) => {
              if (!controller.armed || !isLocalEdit(tr)) return true;
              if (tr.getMeta('appendedTransaction') === undefined) controller.blocked();
              return false;
            },
            props: {
              handleDOMEvents: {
                // Typing, deleting, pasting, dropping: asked before the browser changes the page.
                beforeinput: (_view, event) => {
                  if (!controller.armed) return false;
                  event.preventDefault();
                  controller.blocked();
                  return true;
                },
              },
              handlePaste: () => controller.holdBack(),
              handleDrop: () => controller.holdBack(),
            },
          }),
        ];
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  /** Holds back local edits (and asks) while true. */
  setArmed(armed: boolean): void {
    this.armed = armed;
    if (!armed) this.asking = false;
  }

  get isArmed(): boolean {
    return this.armed;
  }

  /** The person chose not to edit after all: the next attempt asks again. */
  dismissed(): void {
    this.asking = false;
  }

  /** Called once per attempt while nobody is being asked. */
  onBlocked(listener: () => void): () => void {
    this.blockedListeners.add(listener);
    return () => this.blockedListeners.delete(listener);
  }

  /** True (and asks) when an input must wait for the person's answer. */
  private holdBack(): boolean {
    if (!this.armed) return false;
    this.blocked();
    return true;
  }

  private blocked(): void {
    if (this.asking) return;
    this.asking = true;
    // Outside the editor's own dispatch: listeners open a dialog.
    queueMicrotask(() => {
      for (const listener of this.blockedListeners) listener();
    });
  }

  /** Puts the caret in the block with this id and brings it into view; false when it is gone. */
  jumpTo(blockId: string): boolean {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return false;
    const pos = findBlock(editor.state.doc, blockId);
    if (pos === null) return false;
    const selection = TextSelection.near(editor.state.doc.resolve(Math.min(pos + 1, editor.state.doc.content.size)));
    editor.view.dispatch(editor.state.tr.setSelection(selection).scrollIntoView());
    editor.view.focus();
    return true;
  }

  focus(): void {
    const editor = this.editor;
    if (editor && !editor.isDestroyed) editor.view.focus();
  }
}
