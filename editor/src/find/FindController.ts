import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Editor } from '@tiptap/react';
import type { CommentsController } from '../comments/controller';
import { findMatches, holdOf, type FindOptions, type Hold, type Match, matchAtOrAfter, MAX_MATCHES, type Protected, replaceAll, replaceOne } from './find';

const findKey = new PluginKey<DecorationSet>('find');
/** Edits pause this long before the matches are looked for again (a 100-page text takes a few ms). */
const SETTLE_MS = 200;

export interface FindSnapshot {
  readonly open: boolean;
  /** Whether "Replace" is offered as the bar opens (Ctrl+H). */
  readonly replacing: boolean;
  readonly query: string;
  readonly options: FindOptions;
  readonly matches: readonly Match[];
  /** Index of the current match, -1 when none. */
  readonly current: number;
  /** More than MAX_MATCHES: only the first are listed. */
  readonly more: boolean;
  /** Why the last replacement left matches alone, and how many. */
  readonly lastReplace: { readonly replaced: number; readonly held: number } | null;
  readonly heldCurrent: Hold;
  /** Bumped each time the bar is asked for, so it can take focus again. */
  readonly opened: number;
}

const INITIAL: FindSnapshot = {
  open: false,
  replacing: false,
  query: '',
  options: { caseSensitive: false, wholeWord: false },
  matches: [],
  current: -1,
  more: false,
  lastReplace: null,
  heldCurrent: null,
  opened: 0,
};

/** The passages open comments and suggestions depend on, where they are in the text now. */
export function protectedByComments(comments: CommentsController | undefined): Protected {
  if (!comments) return { suggestions: [], comments: [] };
  const byId = comments.store.getSnapshot().byId;
  const suggestions: Match[] = [];
  const anchored: Match[] = [];
  for (const [id, at] of comments.getPositions()) {
    const comment = byId.get(id);
    if (at.kind !== 'found' || !comment || comment.status !== 'open') continue;
    (comment.suggestion !== null ? suggestions : anchored).push({ from: at.from, to: at.to });
  }
  return { suggestions, comments: anchored };
}

/**
 * Find and replace (SPEC FR1–FR4): the matches drawn in the text (the
 * current one apart), Ctrl+F / Ctrl+H from the text, moving the selection
 * to each match, and replacement for those who may edit. The bar is a
 * lazily loaded component that talks to the text only through here.
 */
export class FindController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private snapshot: FindSnapshot = INITIAL;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly guard: () => Protected = () => ({ suggestions: [], comments: [] })) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'find',
      addKeyboardShortcuts() {
        return {
          'Mod-f': () => controller.show(false),
          'Mod-h': () => controller.show(true),
        };
      },
      addProseMirrorPlugins() {
        return [
          new Plugin<DecorationSet>({
            key: findKey,
            state: {
              init: () => DecorationSet.empty,
              apply: (tr, old) => {
                const next = tr.getMeta(findKey) as DecorationSet | undefined;
                return next ?? (tr.docChanged && old !== DecorationSet.empty ? old.map(tr.mapping, tr.doc) : old);
              },
            },
            // Nothing at all while the bar is closed: measured, even an empty set from this plugin cost a
            // 100-page text about 3 ms a keystroke (pnpm bench:typing).
            props: { decorations: (state) => (controller.snapshot.open ? findKey.getState(state) : null) },
            view: () => ({
              update: (view, previous) => {
                if (controller.snapshot.open && !view.state.doc.eq(previous.doc)) controller.schedule();
              },
            }),
          }),
        ];
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
  }

  detach(editor: Editor): void {
    if (this.editor !== editor) return;
    this.editor = null;
    if (this.timer) clearTimeout(this.timer);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FindSnapshot => this.snapshot;

  /** Opens the bar (with the selected words as the query, as word processors do); true: the key was used. */
  show(replacing: boolean): boolean {
    const editor = this.editor;
    let query = this.snapshot.query;
    if (editor && !editor.state.selection.empty) {
      const { from, to } = editor.state.selection;
      const selected = editor.state.doc.textBetween(from, to, ' ');
      if (selected.length > 0 && selected.length <= 200 && !selected.includes('\n')) query = selected;
    }
    this.publish({ ...this.snapshot, open: true, replacing: replacing || this.snapshot.replacing, opened: this.snapshot.opened + 1 });
    this.search(query, this.snapshot.options);
    return true;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.publish({ ...this.snapshot, open: false, matches: [], current: -1, lastReplace: null, heldCurrent: null });
    this.draw();
    this.editor?.commands.focus();
  }

  search(query: string, options: FindOptions): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) {
      this.publish({ ...this.snapshot, query, options });
      return;
    }
    const found = findMatches(editor.state.doc, query, options);
    const more = found.length > MAX_MATCHES;
    const matches = more ? found.slice(0, MAX_MATCHES) : found;
    const current = matchAtOrAfter(matches, editor.state.selection.from);
    this.publish({ ...this.snapshot, query, options, matches, more, current, lastReplace: null, heldCurrent: null });
    this.draw();
    this.reveal();
  }

  next(): void {
    this.step(1);
  }

  previous(): void {
    this.step(-1);
  }

  /** Replaces the current match (unless a comment depends on it) and moves to the next. */
  replace(replacement: string): void {
    const editor = this.editor;
    const { matches, current } = this.snapshot;
    if (!editor || editor.isDestroyed || current < 0) return;
    const match = matches[current]!;
    const hold = holdOf(match, this.guard());
    if (hold !== null) {
      this.publish({ ...this.snapshot, heldCurrent: hold });
      return;
    }
    const tr = replaceOne(editor.state.tr, match, replacement);
    tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(match.to)));
    editor.view.dispatch(tr);
    this.refresh(tr.mapping.map(match.to));
  }

  replaceAll(replacement: string): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed || this.snapshot.matches.length === 0) return;
    const { tr, replaced, held } = replaceAll(editor.state, this.snapshot.matches, replacement, this.guard());
    if (replaced > 0) editor.view.dispatch(tr);
    this.refresh(editor.state.selection.from);
    this.publish({ ...this.snapshot, lastReplace: { replaced, held } });
  }

  private step(by: 1 | -1): void {
    const { matches, current } = this.snapshot;
    if (matches.length === 0) return;
    const next = current < 0 ? 0 : (current + by + matches.length) % matches.length;
    this.publish({ ...this.snapshot, current: next, heldCurrent: null });
    this.draw();
    this.reveal();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const editor = this.editor;
      if (editor && !editor.isDestroyed && this.snapshot.open) this.refresh(this.snapshot.matches[this.snapshot.current]?.from ?? editor.state.selection.from, false);
    }, SETTLE_MS);
  }

  /** Looks again after the text changed, keeping the current match near `at`; moves the selection only when asked. */
  private refresh(at: number, reveal = true): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return;
    const found = findMatches(editor.state.doc, this.snapshot.query, this.snapshot.options);
    const more = found.length > MAX_MATCHES;
    const matches = more ? found.slice(0, MAX_MATCHES) : found;
    this.publish({ ...this.snapshot, matches, more, current: matchAtOrAfter(matches, at) });
    this.draw();
    if (reveal) this.reveal();
  }

  private draw(): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return;
    const { matches, current, open } = this.snapshot;
    const decorations = open
      ? matches.map((m, i) => Decoration.inline(m.from, m.to, { class: i === current ? 'find-match find-match--current' : 'find-match' }))
      : [];
    editor.view.dispatch(editor.state.tr.setMeta(findKey, DecorationSet.create(editor.state.doc, decorations)).setMeta('addToHistory', false));
  }

  /** Selects the current match and scrolls it into view; focus stays in the bar. */
  private reveal(): void {
    const editor = this.editor;
    const match = this.snapshot.matches[this.snapshot.current];
    if (!editor || editor.isDestroyed || !match) return;
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, match.from, match.to)).scrollIntoView());
  }

  private publish(next: FindSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
