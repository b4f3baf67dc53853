import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';

/** From this many top-level blocks on (about ten pages), a document is long: offscreen blocks are not rendered until they near the screen. */
export const LONG_DOCUMENT_BLOCKS = 150;

export const isLongDocument = (doc: PMNode): boolean => doc.childCount >= LONG_DOCUMENT_BLOCKS;

/**
 * Typing in a long document costs what it costs in a short one (issue 14,
 * `pnpm bench:typing`). A key typed into a paragraph changes that paragraph's
 * text; the browser then lays out again every box the paragraph's size could
 * move — the whole text, a thousand blocks in a 100-page paper, on every key —
 * and walks them all again before painting. Unless the paragraph is a
 * *relayout boundary*: a box whose size cannot depend on its content
 * (`contain: size layout`), whose layout therefore stops at its own edge.
 *
 * So the text block holding the caret is marked (a node decoration:
 * `typing-contained` and this editor's `data-contained` token), and a style
 * sheet of this editor's own gives the marked block the height it has when
 * laid out naturally, measured, with size containment. Its content is laid out
 * as before (the width still comes from the page); only its height is fixed.
 * After every change the plugin checks where the block's content ends: when a
 * line came or went (a wrap, a deletion, a co-author's edit, a wider or
 * narrower page), the sheet is emptied, the block laid out and measured
 * naturally, and the sheet given the new height — synchronously, before the
 * frame, with no transaction. A block entered is measured the same way. A
 * mismeasured size could only leave a gap or an overlap for as long as the
 * caret stays in that block: the containment goes with the caret, and the
 * block then takes its natural size.
 *
 * Only while the text has focus (someone is typing or about to): a document
 * opening or changing with nobody in it is not laid out to be measured.
 * Short documents do without (the browser's layout of a page or two costs
 * less than the measuring); empty blocks too (nothing to keep, and their
 * height comes from the line box of a `<br>`). While an input method is
 * composing, nothing is re-measured (the composition's text would be laid out
 * under it); the measuring resumes when it ends.
 */

interface Contained {
  /** The position before the text block holding the caret. */
  readonly pos: number;
  readonly decorations: DecorationSet;
}

export const typingContainmentKey = new PluginKey<Contained | null>('typingContainment');

export const CONTAINED_CLASS = 'typing-contained';

/** The position before the text block the selection lies in, when it is kept to one non-empty text block of a long document. */
export function containedBlock(state: EditorState): number | null {
  const { selection, doc } = state;
  if (!(selection instanceof TextSelection) || !isLongDocument(doc)) return null;
  const { $from, $to } = selection;
  if ($from.depth === 0 || !$from.sameParent($to) || !$from.parent.isTextblock || $from.parent.content.size === 0) return null;
  return $from.before();
}

/** The plugin state after `tr`: which block to mark (`token` names this editor's marks). */
export function nextContained(tr: Transaction, previous: Contained | null, state: EditorState, token: string): Contained | null {
  const pos = containedBlock(state);
  if (pos === null) return null;
  if (previous && previous.pos === pos && !tr.docChanged) return previous;
  const node = state.doc.nodeAt(pos)!;
  return { pos, decorations: DecorationSet.create(state.doc, [Decoration.node(pos, pos + node.nodeSize, { class: CONTAINED_CLASS, 'data-contained': token })]) };
}

/** Where the block's content ends, from the top of its box: moves when a line is added or removed. */
function contentEnd(el: HTMLElement): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().bottom - el.getBoundingClientRect().top;
}

let editors = 0;

class ContainmentView {
  /** The block measured last: its element, its node, and where its content ended once contained. */
  private measured: { el: HTMLElement; node: PMNode; end: number } | null = null;
  /** This editor's sheet: the marked block's size and containment, or nothing while none is measured. */
  private readonly sheet: CSSStyleSheet | null;
  private contained = false;
  private readonly resize: ResizeObserver | null;
  private width = 0;
  private readonly onCompositionEnd = (): void => this.update();
  // After the focus has moved (during focusout it has not yet).
  private readonly onFocusChange = (): void => queueMicrotask(() => this.update());

  constructor(
    private readonly view: EditorView,
    private readonly token: string,
  ) {
    this.sheet = typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document) ? null : new CSSStyleSheet();
    if (this.sheet) document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
    // A wider or narrower text moves lines in the contained block without any transaction.
    this.resize =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const width = entries[0]?.contentRect.width ?? 0;
            if (width === this.width) return;
            this.width = width;
            this.update(undefined, undefined, true);
          });
    this.resize?.observe(view.dom);
    view.dom.addEventListener('compositionend', this.onCompositionEnd);
    view.dom.addEventListener('focusin', this.onFocusChange);
    view.dom.addEventListener('focusout', this.onFocusChange);
    this.update();
  }

  /** Contains the marked block at `size` CSS pixels, or lets it take its natural size (null). */
  private contain(size: number | null): void {
    if (!this.sheet || (size === null && !this.contained)) return;
    this.contained = size !== null;
    this.sheet.replaceSync(size === null ? '' : `[data-contained="${this.token}"] { contain: size layout; box-sizing: border-box; block-size: ${size}px; }`);
  }

  /** After a transaction (ProseMirror's plugin view update), or with `check` when lines may have moved without one. */
  update(_view?: EditorView, _previous?: EditorState, check = false): void {
    if (this.view.isDestroyed) return;
    const state = typingContainmentKey.getState(this.view.state);
    if (this.view.composing) return;
    if (!state || !this.view.hasFocus()) {
      // Nobody types here: no measuring (which lays the page out) while a document opens or changes unwatched,
      // and no containment left to go stale under a co-author's edits. Focus brings it back.
      this.measured = null;
      this.contain(null);
      return;
    }
    const el = this.view.nodeDOM(state.pos);
    const node = this.view.state.doc.nodeAt(state.pos);
    if (!(el instanceof HTMLElement) || !node) return;
    const measured = this.measured;
    if (measured && measured.el === el && this.contained) {
      if (measured.node === node && !check) return;
      if (Math.abs(contentEnd(el) - measured.end) < 0.5) {
        measured.node = node;
        return;
      }
    }
    // A block entered, a line come or gone, or the block drawn anew: laid out naturally, measured, contained.
    this.contain(null);
    this.contain(el.getBoundingClientRect().height);
    this.measured = { el, node, end: contentEnd(el) };
  }

  destroy(): void {
    this.resize?.disconnect();
    if (this.sheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== this.sheet);
    this.view.dom.removeEventListener('compositionend', this.onCompositionEnd);
    this.view.dom.removeEventListener('focusin', this.onFocusChange);
    this.view.dom.removeEventListener('focusout', this.onFocusChange);
  }
}

export function typingContainment(): Extension {
  return Extension.create({
    name: 'typingContainment',
    addProseMirrorPlugins() {
      const token = `e${++editors}`;
      return [
        new Plugin<Contained | null>({
          key: typingContainmentKey,
          state: {
            init: (_config, state) => nextContained(state.tr, null, state, token),
            apply: (tr, previous, _old, state) => nextContained(tr, previous, state, token),
          },
          props: {
            decorations: (state) => typingContainmentKey.getState(state)?.decorations ?? null,
          },
          view: (view) => new ContainmentView(view, token),
        }),
      ];
    },
  });
}
