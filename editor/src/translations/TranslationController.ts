import type { ApiClient } from '@rapporteur/client/http';
import type { SegmentStatus, SegmentView, TranslationStatusView } from '@rapporteur/protocol';
import { Extension, type JSONContent } from '@tiptap/core';
import { Fragment } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Editor } from '@tiptap/react';
import { findBlock } from '../consensus/consensus';
import { SEGMENT_TYPES, segmentAt, segmentAttributes } from './translations';

const segmentsKey = new PluginKey<DecorationSet>('translationSegments');

/** What the translation's bar and panes show. */
export interface TranslationSnapshot {
  /** The server's view of every aligned paragraph (LT3–LT5); null until first fetched. */
  readonly view: TranslationStatusView | null;
  /** The paragraph holding the caret: its id, its segment (null when not aligned), its place among the segments, and whether it is empty. */
  readonly current: { readonly blockId: string; readonly segment: SegmentView | null; readonly index: number; readonly empty: boolean } | null;
  /** Why the last fetch failed, if it did. */
  readonly error: unknown;
}

/** Waits this long after the last change to either text before asking the server again. */
const SETTLE_MS = 700;

/**
 * The paragraphs of a linked translation and where each stands (SPEC
 * LT3–LT5), for the editor: the server's statuses drawn on the blocks (a
 * decoration: the document is untouched), the paragraph at the caret, and
 * the commands of the bar (set a status, go to a paragraph, copy the
 * original's text). Statuses are fetched again once either text settles —
 * "source changed" is the server's to compute — and when the server says
 * the document changed (another translator set a status).
 */
export class TranslationController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private snapshot: TranslationSnapshot = { view: null, current: null, error: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private bySegment = new Map<string, SegmentView>();
  private fetching: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly api: ApiClient,
    private readonly documentId: string,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'translationSegments',
      addProseMirrorPlugins() {
        return [
          new Plugin<DecorationSet>({
            key: segmentsKey,
            state: {
              init: (_, state) => controller.decorations(state),
              apply: (tr, old, _old, state) => (tr.docChanged || tr.getMeta(segmentsKey) ? controller.decorations(state) : old),
            },
            props: { decorations: (state) => segmentsKey.getState(state) },
            view: () => ({
              update: (view, previous) => {
                // Identity, not eq(): a change always makes a new doc, and eq() walks a long one.
                const changed = view.state.doc !== previous.doc;
                if (changed) controller.schedule();
                if (changed || !view.state.selection.eq(previous.selection)) controller.followCaret(view.state);
              },
            }),
          }),
        ];
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
    this.followCaret(editor.state);
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  /** Fetches the statuses now and after every change from here on. */
  start(): void {
    this.started = true;
    void this.refresh();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = (): TranslationSnapshot => this.snapshot;

  /** Asks the server again once the texts have settled (the original changed, or this text). */
  schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, SETTLE_MS);
  }

  /** Fetches the statuses; a call during a fetch fetches once more after it. */
  async refresh(): Promise<void> {
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      try {
        const view = await this.api.translationStatus(this.documentId);
        this.apply(view);
      } catch (error) {
        this.set({ ...this.snapshot, error });
      }
    })();
    await this.fetching;
    this.fetching = null;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  /** Sets a paragraph's status on the server (editors), then shows what the server says. */
  async setStatus(blockId: string, status: SegmentStatus): Promise<SegmentView> {
    const segment = await this.api.setSegmentStatus(this.documentId, blockId, status);
    const view = this.snapshot.view;
    if (view) {
      const segments = view.segments.map((s) => (s.blockId === blockId ? segment : s));
      this.apply({ ...view, segments, counts: countsOf(segments) });
    }
    return segment;
  }

  /** Adds the original's blocks the translation lacks (LT7); resolves with how many paragraphs were added. */
  async addFromSource(): Promise<number> {
    const before = this.snapshot.view?.newInSource.length ?? 0;
    const view = await this.api.addSourceParagraphs(this.documentId);
    this.apply(view);
    return Math.max(0, before - view.newInSource.length);
  }

  /** Puts the caret in the paragraph and brings it into view; false when it is gone. */
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

  /**
   * Puts the original's words (with their marks) into the paragraph at the
   * caret when it is empty — for names, figures and quotations kept as they
   * are. An edit like any other. False when there is nothing to do.
   */
  copySource(source: JSONContent): boolean {
    const editor = this.editor;
    const current = this.snapshot.current;
    if (!editor || editor.isDestroyed || !editor.isEditable || !current || !current.empty) return false;
    const pos = findBlock(editor.state.doc, current.blockId);
    if (pos === null) return false;
    const content = Fragment.fromJSON(editor.schema, source.content ?? []);
    if (content.size === 0) return false;
    const tr = editor.state.tr.insert(pos + 1, content);
    tr.setSelection(TextSelection.near(tr.doc.resolve(pos + 1 + content.size), -1));
    editor.view.dispatch(tr.scrollIntoView());
    editor.view.focus();
    return true;
  }

  private apply(view: TranslationStatusView): void {
    this.bySegment = new Map(view.segments.map((s) => [s.blockId, s]));
    this.snapshot = { view, current: this.snapshot.current, error: null };
    const editor = this.editor;
    if (editor && !editor.isDestroyed) {
      editor.view.dispatch(editor.state.tr.setMeta(segmentsKey, true));
      this.followCaret(editor.state, true);
    } else {
      this.notify();
    }
  }

  private followCaret(state: EditorState, force = false): void {
    const at = segmentAt(state.selection.$from);
    const previous = this.snapshot.current;
    const segment = at ? (this.bySegment.get(at.blockId) ?? null) : null;
    const empty = at ? at.node.content.size === 0 : false;
    if (!force && previous?.blockId === at?.blockId && previous?.segment === segment && previous?.empty === empty) return;
    const index = at && this.snapshot.view ? this.snapshot.view.segments.findIndex((s) => s.blockId === at.blockId) : -1;
    this.set({ ...this.snapshot, current: at ? { blockId: at.blockId, segment, index, empty } : null });
  }

  private decorations(state: EditorState): DecorationSet {
    if (this.bySegment.size === 0) return DecorationSet.empty;
    const list: Decoration[] = [];
    state.doc.descendants((node, pos) => {
      if (!SEGMENT_TYPES.includes(node.type.name)) return true;
      const segment = this.bySegment.get(String(node.attrs['blockId']));
      if (segment) list.push(Decoration.node(pos, pos + node.nodeSize, { class: 'segment', ...segmentAttributes(segment) }));
      return false;
    });
    return DecorationSet.create(state.doc, list);
  }

  private set(next: TranslationSnapshot): void {
    this.snapshot = next;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function countsOf(segments: readonly SegmentView[]): TranslationStatusView['counts'] {
  return {
    toTranslate: segments.filter((s) => s.status === 'to-translate').length,
    draft: segments.filter((s) => s.status === 'draft').length,
    reviewed: segments.filter((s) => s.status === 'reviewed').length,
    sourceChanged: segments.filter((s) => s.sourceChanged).length,
  };
}
