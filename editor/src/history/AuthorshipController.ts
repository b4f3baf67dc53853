import type { HistoryAuthor } from '@rapporteur/protocol';
import { type Editor, Extension } from '@tiptap/core';
import { type AuthorMap, authorshipKey, authorshipPlugin, type AuthorshipMeta } from './authorship';

/**
 * "Who wrote this" for one open document, outside React: the editor
 * extension that tints passages by author, whether it is on, and the author
 * at the caret (for a status line). The page turns it on with the authors
 * the server names (`show`) and off (`show(null)`).
 */
export class AuthorshipController {
  /** Add to the editor's extensions. */
  readonly extension: Extension;
  private editor: Editor | null = null;
  private authors: AuthorMap | null = null;
  private caret: HistoryAuthor | null | undefined = undefined;
  private readonly listeners = new Set<() => void>();
  private label: (author: HistoryAuthor | null) => string = (author) => author?.name ?? '';
  private unknownHandler: (() => void) | null = null;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'authorship',
      addProseMirrorPlugins() {
        return [
          authorshipPlugin({
            label: (author) => controller.label(author),
            onCaret: (author) => controller.setCaret(author),
            onUnknown: () => controller.unknownHandler?.(),
          }),
        ];
      },
    });
  }

  /** The words shown for an author (set by the page, in its language); applies from the next drawing. */
  setLabel(label: (author: HistoryAuthor | null) => string): void {
    this.label = label;
  }

  /** Called when passages by a client id the authors do not name appear. */
  onUnknown(handler: (() => void) | null): void {
    this.unknownHandler = handler;
  }

  attach(editor: Editor): void {
    this.editor = editor;
    this.push();
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  /** Turns highlighting on with these authors (client id → account), or off with null. */
  show(authors: AuthorMap | null): void {
    this.authors = authors;
    this.push();
  }

  get on(): boolean {
    return this.authors !== null;
  }

  /** The author of the passage at the caret: undefined when off or outside any text, null when the records name nobody. */
  getCaret = (): HistoryAuthor | null | undefined => this.caret;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setCaret(author: HistoryAuthor | null | undefined): void {
    if (author === this.caret) return;
    this.caret = author;
    for (const listener of this.listeners) listener();
  }

  private push(): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(editor.state.tr.setMeta(authorshipKey, { authors: this.authors } satisfies AuthorshipMeta));
    if (!this.authors) this.setCaret(undefined);
  }
}
