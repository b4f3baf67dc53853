import { type ApiClient, type DocumentView, subscribeComments } from '@rapporteur/client/http';
import { commentOutboxKey } from '@rapporteur/client/offline';
import type { CommentAnchor } from '@rapporteur/protocol';
import { type Editor, Extension } from '@tiptap/core';
import { anchorForSelection, bindingOf, type ResolvedAnchor } from './anchors';
import { commentHighlights, commentHighlightsKey, type HighlightAnchor, type HighlightMeta } from './highlights';
import { CommentsStore, type CommentsSnapshot } from './store';

type Listener = () => void;

/** Where a thread was chosen: a click on its passage, the panel, or a link (`?comment=`, a notification). */
export type SelectionSource = 'editor' | 'panel' | 'link';

export interface ThreadSelection {
  readonly id: string | null;
  readonly source: SelectionSource;
  /** Counts every choice, so choosing the same thread again is seen too. */
  readonly seq: number;
}

function listeners() {
  const set = new Set<Listener>();
  return {
    subscribe: (l: Listener) => {
      set.add(l);
      return () => void set.delete(l);
    },
    emit: () => {
      for (const l of set) l();
    },
  };
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The order and kind of the positions: the panel re-renders only when this changes, not on every keystroke. */
function positionsKey(positions: ReadonlyMap<string, ResolvedAnchor>): string {
  const found: Array<[string, number, number]> = [];
  const other: string[] = [];
  for (const [id, p] of positions) {
    if (p.kind === 'found') found.push([id, p.from, p.to]);
    else other.push(`${id}:${p.kind}`);
  }
  found.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  return `${found.map((f) => f[0]).join(',')}|${other.sort().join(',')}`;
}

function highlightAnchors(snapshot: CommentsSnapshot): HighlightAnchor[] {
  return snapshot.threads.flatMap(({ comment }) =>
    comment.anchor ? [{ id: comment.id, anchor: comment.anchor, open: comment.status === 'open' && comment.hidden === null }] : [],
  );
}

/**
 * Everything about the comments of one open document, shared by the editor
 * (highlights, the Comment shortcut) and the side panel, outside React: the
 * store, which thread is selected, and where each passage is. The editor
 * itself never re-renders for a comment.
 */
export class CommentsController {
  readonly store: CommentsStore;
  /** Add to the editor's extensions: highlights, click to select, Ctrl/⌘+Alt+M to comment. */
  readonly extension: Extension;
  private editor: Editor | null = null;
  private selection: ThreadSelection = { id: null, source: 'panel', seq: 0 };
  private readonly activeListeners = listeners();
  private positions: ReadonlyMap<string, ResolvedAnchor> = new Map();
  private positionsSignature = '';
  private readonly positionsListeners = listeners();
  private readonly commentRequests = new Set<() => void>();
  private anchorsKey = '';
  private unsubscribeStore: (() => void) | null = null;
  private readonly documentListeners = new Set<(document: DocumentView | null) => void>();
  private readonly onOnline = (): void => this.store.setOnline(true);
  private readonly onOffline = (): void => this.store.setOnline(false);

  constructor(api: ApiClient, readonly documentId: string) {
    this.store = new CommentsStore({
      documentId,
      api,
      subscribe: (id, after, onEvent, handlers) => {
        let opened = false;
        return subscribeComments(id, after, onEvent, {
          ...handlers,
          onOpen: () => {
            handlers.onOpen();
            // Back after a drop: document events may have been missed (they are not resumed).
            if (opened) this.emitDocument(null);
            opened = true;
          },
          onDocument: (document) => this.emitDocument(document),
        });
      },
      storage: browserStorage(),
      outboxKey: commentOutboxKey(documentId),
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'comments',
      addProseMirrorPlugins() {
        return [
          commentHighlights({
            onSelect: (id) => controller.select(id, 'editor'),
            onPositions: (positions) => controller.setPositions(positions),
          }),
        ];
      },
      addKeyboardShortcuts() {
        return {
          'Mod-Alt-m': () => {
            controller.requestComment();
            return true;
          },
        };
      },
    });
  }

  /**
   * The document changed (status, deadline, title, members; SPEC WF9), as
   * this reader sees it now; null when changes may have been missed (the
   * stream reconnected) and the document should be fetched again.
   */
  onDocument(listener: (document: DocumentView | null) => void): () => void {
    this.documentListeners.add(listener);
    return () => this.documentListeners.delete(listener);
  }

  private emitDocument(document: DocumentView | null): void {
    for (const listener of this.documentListeners) listener(document);
  }

  start(): void {
    this.store.start();
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
      this.store.setOnline(navigator.onLine);
    }
    this.unsubscribeStore ??= this.store.subscribe(() => this.pushAnchors());
    this.pushAnchors();
  }

  stop(): void {
    this.store.stop();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
  }

  attach(editor: Editor): void {
    this.editor = editor;
    this.anchorsKey = '';
    this.pushAnchors();
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  // Selection: which thread is active, chosen where, and the how-many-th choice (a repeated click counts).

  readonly subscribeSelection = (l: Listener): (() => void) => this.activeListeners.subscribe(l);
  readonly getSelection = (): ThreadSelection => this.selection;

  select(id: string | null, source: SelectionSource = 'panel'): void {
    const changed = id !== this.selection.id;
    this.selection = { id, source, seq: this.selection.seq + 1 };
    if (changed) this.dispatch({ activeId: id });
    this.activeListeners.emit();
    if (id && source !== 'editor') this.reveal(id);
  }

  // Positions of the passages, for the panel's order.

  readonly subscribePositions = (l: Listener): (() => void) => this.positionsListeners.subscribe(l);
  readonly getPositions = (): ReadonlyMap<string, ResolvedAnchor> => this.positions;

  private setPositions(positions: ReadonlyMap<string, ResolvedAnchor>): void {
    const signature = positionsKey(positions);
    if (signature === this.positionsSignature) return;
    this.positionsSignature = signature;
    this.positions = positions;
    this.positionsListeners.emit();
  }

  // Writing a comment.

  /** Asks the panel to open the comment box (the Ctrl/⌘+Alt+M shortcut). */
  onCommentRequest(listener: () => void): () => void {
    this.commentRequests.add(listener);
    return () => this.commentRequests.delete(listener);
  }

  requestComment(): void {
    for (const l of this.commentRequests) l();
  }

  /**
   * The anchor for a comment on what is selected in the text (or the block
   * around the caret); null before the text is shown. A reader's text is
   * not editable, but its selection is still followed; the browser's own
   * selection is the fallback.
   */
  anchorForComment(): CommentAnchor | null {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return null;
    const { state, view } = editor;
    const binding = bindingOf(state);
    if (!binding) return null;
    let { from, to } = state.selection;
    if (from === to) {
      const dom = view.dom.ownerDocument.getSelection();
      if (dom && !dom.isCollapsed && dom.anchorNode && dom.focusNode && view.dom.contains(dom.anchorNode) && view.dom.contains(dom.focusNode)) {
        try {
          const a = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
          const b = view.posAtDOM(dom.focusNode, dom.focusOffset);
          [from, to] = a <= b ? [a, b] : [b, a];
        } catch {
          // keep the editor's selection
        }
      }
    }
    return anchorForSelection(binding, state.doc, from, to);
  }

  /** Scrolls the passage of a thread into view in the text. */
  reveal(id: string): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return;
    const el = editor.view.dom.querySelector(`[data-comment-id="${CSS.escape(id)}"]`);
    // A passage in a closed footnote is not shown: its number is.
    const closedNote = el?.closest('.footnote:not(.footnote--open)')?.querySelector('.footnote__ref');
    (closedNote ?? el)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  focusEditor(): void {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return;
    editor.view.focus();
  }

  private pushAnchors(): void {
    const anchors = highlightAnchors(this.store.getSnapshot());
    const key = JSON.stringify(anchors);
    if (key === this.anchorsKey) return;
    if (this.dispatch({ anchors, activeId: this.selection.id })) this.anchorsKey = key;
  }

  private dispatch(meta: HighlightMeta): boolean {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return false;
    editor.view.dispatch(editor.state.tr.setMeta(commentHighlightsKey, meta));
    return true;
  }
}
