import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { Editor } from '@tiptap/react';
import { findBlock } from '../consensus/consensus';
import { countableText, countText, type OutlineEntry, outlineOf, sectionAt, type TextCounts } from './outline';

const outlineKey = new PluginKey('outline');

/** What the outline panel shows. */
export interface OutlineSnapshot {
  readonly entries: readonly OutlineEntry[];
  /** Index into `entries` of the section holding the caret; -1 before the first heading. */
  readonly current: number;
  /** Words and characters; null until counted (counting waits for a pause in typing). */
  readonly counts: TextCounts | null;
}

const EMPTY: OutlineSnapshot = { entries: [], current: -1, counts: null };
/** Typing pauses this long before the outline and counts are worked out again (a 100-page text takes a few ms). */
const SETTLE_MS = 300;

/**
 * The document's outline (its headings), the section the caret is in, and
 * word and character counts, for the outline panel. Work happens only while
 * someone listens (the panel is open), after typing pauses.
 */
export class OutlineController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private snapshot: OutlineSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly language: () => string) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'outline',
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key: outlineKey,
            view: () => ({
              update: (view, previous) => {
                if (!view.state.doc.eq(previous.doc)) controller.schedule();
                else if (!view.state.selection.eq(previous.selection)) controller.moveCaret();
              },
            }),
          }),
        ];
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
    this.schedule();
  }

  detach(editor: Editor): void {
    if (this.editor !== editor) return;
    this.editor = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.refresh();
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = (): OutlineSnapshot => this.snapshot;

  /** Puts the caret at the start of the heading and brings it into view; false when it is gone. */
  jumpTo(blockId: string): boolean {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return false;
    const pos = findBlock(editor.state.doc, blockId);
    if (pos === null) return false;
    const selection = TextSelection.near(editor.state.doc.resolve(pos + 1));
    editor.view.dispatch(editor.state.tr.setSelection(selection).scrollIntoView());
    editor.view.focus();
    return true;
  }

  private schedule(): void {
    if (this.listeners.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, SETTLE_MS);
  }

  private refresh(): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed || this.listeners.size === 0) return;
    const { doc, selection } = editor.state;
    const entries = outlineOf(doc);
    this.publish({ entries, current: sectionAt(entries, selection.from), counts: countText(countableText(doc), this.language()) });
  }

  private moveCaret(): void {
    const editor = this.editor;
    if (!editor || this.listeners.size === 0) return;
    const current = sectionAt(this.snapshot.entries, editor.state.selection.from);
    if (current !== this.snapshot.current) this.publish({ ...this.snapshot, current });
  }

  private publish(next: OutlineSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
