import { FOOTNOTE_TYPE } from '@rapporteur/schema';
import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { type EditorState, NodeSelection, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView, type NodeView, type ViewMutationRecord } from '@tiptap/pm/view';

/**
 * Footnotes in the editor (issue 14, SPEC FN4–FN5). The note's text is the
 * footnote node's content, edited by this very editor (so typing together,
 * comments, undo, search and the read-only guard work in it as in any
 * text): closed, a footnote shows only its number; with the caret in it, its
 * text opens inline after the number as a box of its own. Numbers are
 * decorations computed from document order, never stored (FN2).
 */

export interface FootnotesState {
  /** Position of every footnote node, in document order: the footnote at `positions[i]` is number i + 1. */
  readonly positions: readonly number[];
  /** Position of the footnote the caret is in (its text shown), or null. */
  readonly open: number | null;
  readonly decorations: DecorationSet;
}

export const footnotesKey = new PluginKey<FootnotesState>('footnotes');

/** What a footnote's node decoration carries to its node view. */
interface FootnoteSpec {
  readonly footnoteNumber: number;
  readonly open: boolean;
}

/**
 * The positions of the footnotes in `doc`, in document order. Top-level
 * blocks are persistent objects: a block that did not change is the same
 * object, so its footnotes' offsets come from `cache`, and a keystroke looks
 * inside one block only (a 100-page document has about 1,800 of them).
 */
export function footnotePositions(doc: PMNode, cache: WeakMap<PMNode, readonly number[]>): number[] {
  const positions: number[] = [];
  doc.forEach((block, offset) => {
    let inner = cache.get(block);
    if (!inner) {
      const found: number[] = [];
      block.descendants((node, pos) => {
        if (node.type.name === FOOTNOTE_TYPE) {
          found.push(pos);
          return false;
        }
        return node.isTextblock ? hasFootnoteChild(node) : true;
      });
      inner = found;
      cache.set(block, inner);
    }
    for (const pos of inner) positions.push(offset + 1 + pos);
  });
  return positions;
}

function hasFootnoteChild(block: PMNode): boolean {
  for (let i = 0; i < block.childCount; i++) if (block.child(i).type.name === FOOTNOTE_TYPE) return true;
  return false;
}

/** The position of the footnote whose text holds the selection's head, or null. */
export function footnoteAround(state: EditorState): number | null {
  const $head = state.selection.$head;
  return $head.parent.type.name === FOOTNOTE_TYPE ? $head.before() : null;
}

/** The footnote at the selection, its number, and whether its text holds the caret (`editing`) or it is selected as a whole. */
export interface FootnoteAtSelection {
  readonly number: number;
  readonly pos: number;
  readonly editing: boolean;
}

export function footnoteAtSelection(state: EditorState): FootnoteAtSelection | null {
  const plugin = footnotesKey.getState(state);
  if (!plugin) return null;
  const { selection } = state;
  const editing = footnoteAround(state);
  const pos = editing ?? (selection instanceof NodeSelection && selection.node.type.name === FOOTNOTE_TYPE ? selection.from : null);
  if (pos === null) return null;
  const index = plugin.positions.indexOf(pos);
  return index < 0 ? null : { number: index + 1, pos, editing: editing !== null };
}

function decorate(doc: PMNode, positions: readonly number[], open: number | null): DecorationSet {
  return DecorationSet.create(
    doc,
    positions.map((pos, i) => {
      const spec: FootnoteSpec = { footnoteNumber: i + 1, open: pos === open };
      return Decoration.node(pos, pos + doc.nodeAt(pos)!.nodeSize, pos === open ? { class: 'footnote--open' } : {}, spec);
    }),
  );
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((pos, i) => pos === b[i]);
}

/** The plugin numbering footnotes and marking the open one. */
export function footnotesPlugin(): Plugin<FootnotesState> {
  const cache = new WeakMap<PMNode, readonly number[]>();
  return new Plugin<FootnotesState>({
    key: footnotesKey,
    state: {
      init: (_config, state) => {
        const positions = footnotePositions(state.doc, cache);
        const open = footnoteAround(state);
        return { positions, open, decorations: decorate(state.doc, positions, open) };
      },
      apply: (tr: Transaction, previous, _old, state) => {
        const positions = tr.docChanged ? footnotePositions(state.doc, cache) : previous.positions;
        const open = footnoteAround(state);
        if (!tr.docChanged && open === previous.open) return previous;
        // Typing elsewhere moves footnotes without changing their order or number: map, do not rebuild.
        const mapped = previous.positions.map((pos) => tr.mapping.map(pos, 1));
        if (open === previous.open && sameNumbers(mapped, positions)) {
          return { positions, open, decorations: previous.decorations.map(tr.mapping, state.doc) };
        }
        return { positions, open, decorations: decorate(state.doc, positions, open) };
      },
    },
    props: {
      decorations: (state) => footnotesKey.getState(state)?.decorations ?? DecorationSet.empty,
    },
    view: () => ({ update: caretOutOfClosedNote }),
  });
}

/**
 * With the caret just after a footnote, ProseMirror counts the end of the
 * note's text as the same place and leaves the browser's caret there (after
 * Escape, say) — inside text that is now hidden. The caret is put back in
 * the running text, where typing goes and where it can be seen.
 */
function caretOutOfClosedNote(view: EditorView): void {
  const { selection } = view.state;
  if (!selection.empty || !isFootnote(selection.$head.nodeBefore) || !view.hasFocus()) return;
  const dom = (view.root as Document).getSelection?.();
  const focus = dom?.focusNode;
  const element = focus instanceof Element ? focus : focus?.parentElement;
  if (!dom || !element?.closest('.footnote__text')) return;
  const { node, offset } = view.domAtPos(selection.head);
  dom.collapse(node, offset);
}

export interface FootnoteLabels {
  /** The reference's name for screen readers ("Footnote 3"). */
  readonly reference: (number: number) => string;
}

/**
 * A footnote's view: the number (not editable, a click opens the note) and
 * the note's text as the content, shown while the caret is in it (CSS, from
 * the `footnote--open` class of the node decoration).
 */
export class FootnoteView implements NodeView {
  readonly dom: HTMLElement;
  readonly contentDOM: HTMLElement;
  private readonly ref: HTMLElement;
  private readonly visibleNumber: HTMLElement;
  private readonly label: HTMLElement;
  private number = 0;

  constructor(
    private node: PMNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    decorations: readonly Decoration[],
    private readonly labels: () => FootnoteLabels,
  ) {
    this.dom = document.createElement('span');
    this.dom.className = 'footnote';
    this.dom.dataset['footnote'] = '';
    this.ref = document.createElement('sup');
    this.ref.className = 'footnote__ref';
    this.ref.contentEditable = 'false';
    // The number as seen, and the same in words for screen readers ("Footnote 3").
    this.visibleNumber = document.createElement('span');
    this.visibleNumber.setAttribute('aria-hidden', 'true');
    this.label = document.createElement('span');
    this.label.className = 'visually-hidden';
    this.ref.append(this.visibleNumber, this.label);
    this.ref.addEventListener('mousedown', (event) => {
      event.preventDefault();
      this.open();
    });
    this.contentDOM = document.createElement('span');
    this.contentDOM.className = 'footnote__text';
    this.dom.append(this.ref, this.contentDOM);
    this.setNumber(decorations);
  }

  update(node: PMNode, decorations: readonly Decoration[]): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.setNumber(decorations);
    return true;
  }

  /** Changes to the number are ours; only the note's text is the document's. */
  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target);
  }

  /** Puts the caret at the end of the note's text. */
  open(): void {
    const pos = this.getPos();
    if (pos === undefined) return;
    const { state } = this.view;
    this.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, pos + 1 + this.node.content.size)).scrollIntoView());
    this.view.focus();
  }

  private setNumber(decorations: readonly Decoration[]): void {
    const spec = decorations.map((d) => d.spec as Partial<FootnoteSpec>).find((s) => typeof s.footnoteNumber === 'number');
    const number = spec?.footnoteNumber ?? 0;
    if (number === this.number) return;
    this.number = number;
    this.dom.dataset['number'] = String(number);
    this.visibleNumber.textContent = String(number);
    this.label.textContent = this.labels().reference(number);
  }
}

/** The key that moves towards the end of the text at `pos`: → in left-to-right text, ← in right-to-left. */
function forwardKey(view: EditorView, pos: number): 'ArrowRight' | 'ArrowLeft' {
  const { node } = view.domAtPos(pos);
  const element = node instanceof Element ? node : node.parentElement;
  return element && getComputedStyle(element).direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
}

const isFootnote = (node: PMNode | null | undefined): node is PMNode => node?.type.name === FOOTNOTE_TYPE;

/** Selects the footnote at `pos` as a whole. */
function selectFootnote(view: EditorView, pos: number): true {
  view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, pos)));
  return true;
}

/** The caret just after (or before) the footnote at `pos`. */
function leaveFootnote(view: EditorView, pos: number, after = true): true {
  const node = view.state.doc.nodeAt(pos)!;
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, after ? pos + node.nodeSize : pos)).scrollIntoView());
  return true;
}

/**
 * Keys around and in footnotes. In the note's text: Escape or Enter go back
 * to the text after the reference; → at its end (← in right-to-left text)
 * and ← at its start leave it; Backspace at its start does nothing, and in an
 * empty note removes the footnote. Next to a reference: the arrow keys and
 * Backspace/Delete select it first (so it is never entered or deleted by
 * accident); selected, Enter opens it and typing goes after it.
 */
export function handleFootnoteKey(view: EditorView, event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || !FOOTNOTE_KEYS.has(event.key)) return false;
  const { state } = view;
  const { selection } = state;
  const inside = footnoteAround(state);
  if (inside !== null) {
    const $head = selection.$head;
    const note = state.doc.nodeAt(inside)!;
    const atStart = selection.empty && $head.parentOffset === 0;
    const atEnd = selection.empty && $head.parentOffset === note.content.size;
    switch (event.key) {
      case 'Escape':
      case 'Enter':
        return leaveFootnote(view, inside);
      case 'Backspace':
        if (atStart && note.content.size === 0) {
          view.dispatch(state.tr.delete(inside, inside + note.nodeSize).scrollIntoView());
          return true;
        }
        return atStart;
      case 'Delete':
        return atEnd;
      default: {
        if (event.shiftKey || !(atStart || atEnd)) return false;
        const forward = forwardKey(view, $head.pos);
        if (event.key === forward && atEnd) return leaveFootnote(view, inside);
        if (event.key !== forward && atStart) return leaveFootnote(view, inside, false);
        return false;
      }
    }
  }
  if (selection instanceof NodeSelection && isFootnote(selection.node)) {
    if (event.key !== 'Enter') return false;
    view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, selection.from + 1 + selection.node.content.size)).scrollIntoView());
    return true;
  }
  if (!selection.empty || event.shiftKey) return false;
  const $pos = selection.$head;
  const after = isFootnote($pos.nodeAfter);
  const before = isFootnote($pos.nodeBefore);
  if (!after && !before) return false;
  if (event.key === 'Delete') return after && selectFootnote(view, $pos.pos);
  if (event.key === 'Backspace') return before && selectFootnote(view, $pos.pos - $pos.nodeBefore!.nodeSize);
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return false;
  const forward = event.key === forwardKey(view, $pos.pos);
  if (forward && after) return selectFootnote(view, $pos.pos);
  if (!forward && before) return selectFootnote(view, $pos.pos - $pos.nodeBefore!.nodeSize);
  return false;
}

/** The keys handleFootnoteKey may act on; any other key is passed on at once. */
const FOOTNOTE_KEYS = new Set(['Escape', 'Enter', 'Backspace', 'Delete', 'ArrowLeft', 'ArrowRight']);

/** Typing while a footnote is selected goes after it, instead of replacing the footnote. */
export function handleFootnoteTextInput(view: EditorView, from: number, to: number, text: string): boolean {
  const { selection } = view.state;
  if (!(selection instanceof NodeSelection) || !isFootnote(selection.node) || from !== selection.from || to !== selection.to) return false;
  const tr = view.state.tr.insertText(text, to);
  view.dispatch(tr.setSelection(TextSelection.create(tr.doc, to + text.length)).scrollIntoView());
  return true;
}

/**
 * The editor's side of footnotes: numbers, the node view, the keys above,
 * and Ctrl+Alt+F (⌘⌥F) to insert one (the schema's `insertFootnote`).
 */
export function footnotesExtension(labels: () => FootnoteLabels): Extension {
  return Extension.create({
    name: 'footnotesEditor',
    addKeyboardShortcuts() {
      return { 'Mod-Alt-f': () => this.editor.commands.insertFootnote() };
    },
    addProseMirrorPlugins() {
      return [
        footnotesPlugin(),
        new Plugin({
          key: new PluginKey('footnoteKeys'),
          props: {
            nodeViews: {
              [FOOTNOTE_TYPE]: (node, view, getPos, decorations) => new FootnoteView(node, view, getPos, decorations, labels),
            },
            handleKeyDown: handleFootnoteKey,
            handleTextInput: handleFootnoteTextInput,
          },
        }),
      ];
    },
  });
}
