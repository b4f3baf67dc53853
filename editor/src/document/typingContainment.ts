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
 * So the text block holding the caret (`typing-contained`) is given the size
 * it has when laid out naturally, measured, and size containment. Its content
 * is laid out as before (the width still comes from the page); only its
 * height is fixed. After every change the plugin checks where its last line
 * ends: when a line is added or removed (a wrap, a deletion, a co-author's
 * edit, a wider or narrower page), the containment is dropped, the block laid
 * out and measured naturally, and the new size contained again — two
 * transactions that change nothing in the document, on the keys that move a
 * line. A mismeasured size could only leave a gap or an overlap for as long
 * as the caret stays in that block: the containment goes with the caret, and
 * the block then takes its natural size.
 *
 * Only while the text has focus (someone is typing or about to): a document
 * opening or changing with nobody in it is not laid out to be measured.
 * Short documents do without (the browser's layout of a page or two costs
 * less than the measuring); empty blocks too (nothing to keep, and their
 * height comes from the line box of a `<br>`). While an input method is
 * composing, nothing is re-measured (a transaction would disturb the
 * composition); the measuring resumes when it ends.
 */

interface Contained {
  /** The position before the text block holding the caret. */
  readonly pos: number;
  /** Its natural border-box height in CSS pixels, once measured; null while it is to be measured. */
  readonly size: number | null;
  readonly decorations: DecorationSet;
}

interface Meta {
  readonly pos: number;
  readonly size: number | null;
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

function decorate(doc: PMNode, pos: number, size: number | null): DecorationSet {
  if (size === null) return DecorationSet.empty;
  const node = doc.nodeAt(pos);
  if (!node) return DecorationSet.empty;
  return DecorationSet.create(doc, [Decoration.node(pos, pos + node.nodeSize, { class: CONTAINED_CLASS, style: `block-size: ${size}px` })]);
}

/** The plugin state after `tr`: which block to contain and at what size. */
export function nextContained(tr: Transaction, previous: Contained | null, state: EditorState): Contained | null {
  const pos = containedBlock(state);
  if (pos === null) return null;
  const meta = tr.getMeta(typingContainmentKey) as Meta | undefined;
  let size: number | null = null;
  if (meta && meta.pos === pos) size = meta.size;
  else if (previous) {
    // The same block as before (text typed into it moves nothing before it): its measured size stands until checked.
    const mapped = tr.mapping.mapResult(previous.pos, 1);
    if (!mapped.deleted && mapped.pos === pos) size = previous.size;
  }
  if (previous && previous.pos === pos && previous.size === size && !tr.docChanged) return previous;
  return { pos, size, decorations: decorate(state.doc, pos, size) };
}

/** Where the block's content ends, from the top of its box: moves when a line is added or removed. */
function contentEnd(el: HTMLElement): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().bottom - el.getBoundingClientRect().top;
}

class ContainmentView {
  /**
   * The block measured last: its element, its node when measured, and where its content ended once contained
   * (null until the contained layout is first seen, so a fraction of a pixel between the natural and the
   * contained layout cannot start the measuring over and over).
   */
  private measured: { el: HTMLElement; node: PMNode; end: number | null } | null = null;
  private scheduled = false;
  private readonly resize: ResizeObserver | null;
  private width = 0;
  private readonly onCompositionEnd = (): void => this.update();
  // After the focus has moved (during focusout it has not yet).
  private readonly onFocusChange = (): void => queueMicrotask(() => this.update());

  constructor(private readonly view: EditorView) {
    // A wider or narrower text moves lines in the contained block without any transaction.
    this.resize =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const width = entries[0]?.contentRect.width ?? 0;
            if (width === this.width) return;
            this.width = width;
            this.update();
          });
    this.resize?.observe(view.dom);
    view.dom.addEventListener('compositionend', this.onCompositionEnd);
    view.dom.addEventListener('focusin', this.onFocusChange);
    view.dom.addEventListener('focusout', this.onFocusChange);
    this.update();
  }

  update(): void {
    if (this.view.isDestroyed) return;
    const state = typingContainmentKey.getState(this.view.state);
    if (!state) {
      this.measured = null;
      return;
    }
    if (this.view.composing) return;
    if (!this.view.hasFocus()) {
      // Nobody types here: no measuring (which lays the page out) while a document opens or changes unwatched,
      // and no containment left to go stale under a co-author's edits. Focus brings it back.
      this.measured = null;
      if (state.size !== null) this.dispatch({ pos: state.pos, size: null });
      return;
    }
    const el = this.view.nodeDOM(state.pos);
    const node = this.view.state.doc.nodeAt(state.pos);
    if (!(el instanceof HTMLElement) || !node) return;
    if (state.size === null) {
      // Laid out naturally (no containment is drawn without a size): measure, then contain at that size.
      this.measured = { el, node, end: null };
      this.dispatch({ pos: state.pos, size: el.getBoundingClientRect().height });
      return;
    }
    const measured = this.measured;
    if (measured && measured.el === el) {
      if (measured.end === null && measured.node === node) {
        // First seen contained, with the content it was measured with.
        measured.end = contentEnd(el);
        return;
      }
      if (measured.end !== null && Math.abs(contentEnd(el) - measured.end) < 0.5) {
        measured.node = node;
        return;
      }
    }
    // A line came or went (or the block was drawn anew, or changed before its size was applied): lay it out naturally again and measure.
    this.measured = null;
    this.dispatch({ pos: state.pos, size: null });
  }

  /** Applies the new size in a transaction of its own, after the one being drawn, before the next frame. */
  private dispatch(meta: Meta): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const view = this.view;
      if (view.isDestroyed || view.composing) return;
      const state = typingContainmentKey.getState(view.state);
      if (!state || state.pos !== meta.pos) return;
      if (state.size === meta.size) {
        this.update();
        return;
      }
      view.dispatch(view.state.tr.setMeta(typingContainmentKey, meta).setMeta('addToHistory', false));
    });
  }

  destroy(): void {
    this.resize?.disconnect();
    this.view.dom.removeEventListener('compositionend', this.onCompositionEnd);
    this.view.dom.removeEventListener('focusin', this.onFocusChange);
    this.view.dom.removeEventListener('focusout', this.onFocusChange);
  }
}

export function typingContainment(): Extension {
  return Extension.create({
    name: 'typingContainment',
    addProseMirrorPlugins() {
      return [
        new Plugin<Contained | null>({
          key: typingContainmentKey,
          state: {
            init: (_config, state) => {
              const pos = containedBlock(state);
              return pos === null ? null : { pos, size: null, decorations: DecorationSet.empty };
            },
            apply: (tr, previous, _old, state) => nextContained(tr, previous, state),
          },
          props: {
            decorations: (state) => typingContainmentKey.getState(state)?.decorations ?? null,
          },
          view: (view) => new ContainmentView(view),
        }),
      ];
    },
  });
}
