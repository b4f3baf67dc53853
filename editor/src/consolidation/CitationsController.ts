import type { ApiClient } from '@rapporteur/client/http';
import type { CitationView } from '@rapporteur/protocol';
import { CITATION_NODE, type CitationAttributes } from '@rapporteur/schema';
import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { AttrStep } from '@tiptap/pm/transform';
import type { NodeView } from '@tiptap/pm/view';
import type { Editor } from '@tiptap/react';
import { changeMapping, isFromYjs } from '../document/remoteChange';
import { citationKey, citationSignature, matchStatuses, sourceKey } from './consolidation';
import { type Insertion, insertionTransaction } from './insertion';

const citationsKey = new PluginKey<number>('citations');
/** Edits pause this long before the statuses are asked again (only when the citations themselves changed). */
const SETTLE_MS = 600;

/** The words a citation in the text says, in the reader's language (set from React). */
export interface CitationWords {
  changed: string;
  gone: string;
  notPublic: string;
  showChange: (label: string) => string;
  open: (title: string) => string;
}

const ENGLISH: CitationWords = {
  changed: 'source changed',
  gone: 'source deleted',
  notPublic: 'source not public',
  showChange: (label) => `${label}: show how the source changed`,
  open: (title) => `Open the source: ${title}`,
};

export interface CitationsSnapshot {
  /** The citations of the text, in order. */
  readonly local: readonly CitationAttributes[];
  /** Status of each, by `citationKey`; missing until the server answered (or offline). */
  readonly statuses: ReadonlyMap<string, CitationView>;
  /** Source passages already cited (`sourceKey`). */
  readonly cited: ReadonlySet<string>;
  /** The citation whose details are asked for (`citationKey`), or null. */
  readonly selected: string | null;
  readonly error: boolean;
}

const EMPTY: CitationsSnapshot = { local: [], statuses: new Map(), cited: new Set(), selected: null, error: false };

function citationsIn(doc: PMNode): CitationAttributes[] {
  const out: CitationAttributes[] = [];
  doc.descendants((node) => {
    if (node.type.name !== CITATION_NODE) return true;
    const a = node.attrs as Record<string, unknown>;
    out.push({ documentId: String(a['documentId'] ?? ''), blockId: String(a['blockId'] ?? ''), hash: String(a['hash'] ?? ''), label: String(a['label'] ?? '') });
    return false;
  });
  return out;
}

/** Whether a transaction inserted or removed a citation (or anything that may hold one): only the ranges it replaced are looked at. */
export function touchesCitations(tr: Transaction): boolean {
  let found = false;
  const has = (doc: PMNode, from: number, to: number): void => {
    if (found || from >= to) return;
    doc.nodesBetween(from, Math.min(to, doc.content.size), (node) => {
      if (found) return false;
      if (node.type.name === CITATION_NODE) found = true;
      return !found;
    });
  };
  tr.steps.forEach((step, i) => {
    // An attribute step maps nothing: look at the node it changes.
    if (step instanceof AttrStep && tr.docs[i]!.nodeAt(step.pos)?.type.name === CITATION_NODE) found = true;
  });
  // A change from Yjs replaces the whole document: only the region that differs is looked at (a changed
  // attribute makes its node part of it).
  const fromYjs = isFromYjs(tr);
  changeMapping(tr).maps.forEach((map, i) => {
    const before = fromYjs ? tr.before : tr.docs[i]!;
    const after = fromYjs ? tr.doc : i + 1 < tr.docs.length ? tr.docs[i + 1]! : tr.doc;
    map.forEach((oldStart, oldEnd, newStart, newEnd) => {
      has(before, oldStart, oldEnd);
      has(after, newStart, newEnd);
    });
  });
  return found;
}

function attributesOf(node: PMNode): CitationAttributes {
  const a = node.attrs as Record<string, unknown>;
  return { documentId: String(a['documentId'] ?? ''), blockId: String(a['blockId'] ?? ''), hash: String(a['hash'] ?? ''), label: String(a['label'] ?? '') };
}

/**
 * Citations in the editor (SPEC EV9, EV10): each one is drawn with its
 * status for this reader — a link to the source passage, "source changed"
 * (a button showing the difference), "source deleted" or "source not
 * public" — asked from the server when the document opens, when the
 * citations in the text change, and when the page comes back into view.
 * Inserting a takeaway from the consolidation panel goes through here.
 */
export class CitationsController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private api: ApiClient | null = null;
  private documentId: string | null = null;
  private snapshot: CitationsSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private readonly detailListeners = new Set<() => void>();
  private words: CitationWords = ENGLISH;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private signature = '';
  private asking = 0;
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') this.refresh();
  };

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'citationStatus',
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key: citationsKey,
            props: {
              nodeViews: {
                [CITATION_NODE]: (node: PMNode) => controller.nodeView(node),
              },
            },
            // Whether the citations may have changed since the view last looked: a keystroke in a
            // 100-page text must not walk the whole text (issue 14's typing budget), only its own range.
            // A counter bumped by every transaction that may have changed them.
            state: {
              init: () => 0,
              apply: (tr, version) => (tr.docChanged && touchesCitations(tr) ? version + 1 : version),
            },
            view: (view) => {
              let seen = citationsKey.getState(view.state);
              controller.noteDoc(view.state.doc);
              return {
                update: (v) => {
                  const version = citationsKey.getState(v.state);
                  if (version === seen) return;
                  seen = version;
                  controller.noteDoc(v.state.doc);
                },
              };
            },
          }),
        ];
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
    this.noteDoc(editor.state.doc);
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  /** Asks the server for the statuses of this document's citations (documents on a server with accounts). */
  start(api: ApiClient, documentId: string): void {
    this.api = api;
    this.documentId = documentId;
    document.addEventListener('visibilitychange', this.onVisible);
    this.refresh();
  }

  stop(): void {
    this.api = null;
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  setWords(words: CitationWords): void {
    this.words = words;
    this.publish(this.snapshot);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = (): CitationsSnapshot => this.snapshot;

  /** Called when someone asks for a citation's details (the page opens the panel). */
  onDetails(listener: () => void): () => void {
    this.detailListeners.add(listener);
    return () => void this.detailListeners.delete(listener);
  }

  select(key: string | null): void {
    this.publish({ ...this.snapshot, selected: key });
    if (key !== null) for (const l of this.detailListeners) l();
  }

  /** Asks again now (after an insertion, or the "Check sources" button). */
  refresh(): void {
    const api = this.api;
    const id = this.documentId;
    // A text without citations has nothing to ask about (most documents: no request at all).
    if (!api || !id || this.snapshot.local.length === 0) return;
    const asked = ++this.asking;
    api.citations(id).then(
      (views) => {
        if (asked !== this.asking) return;
        this.publish({ ...this.snapshot, statuses: matchStatuses(this.snapshot.local, views), error: false });
      },
      () => {
        if (asked === this.asking) this.publish({ ...this.snapshot, error: true });
      },
    );
  }

  /**
   * Puts a message citing its sources in the text, or only the citations at
   * the caret (`cite`), as insertion.ts says; false when the text cannot be
   * edited now.
   */
  insert(insertion: Insertion, mode: 'message' | 'cite'): boolean {
    const editor = this.editor;
    if (!editor || editor.isDestroyed || !editor.isEditable) return false;
    editor.view.dispatch(insertionTransaction(editor.state, insertion, mode));
    editor.view.focus();
    return true;
  }

  /** A citation's key, as `statuses` and `selected` use it (for the panel, which imports nothing of the editor's chunk). */
  keyOf(c: CitationAttributes): string {
    return citationKey(c);
  }

  /** Whether the text already cites that passage. */
  cites(source: { documentId: string; blockId: string }): boolean {
    return this.snapshot.cited.has(sourceKey(source));
  }

  /**
   * "Update the citation": cites the passage as it reads now (the message's
   * own words are the writer's to change), for every citation of that
   * passage as it was cited.
   */
  async recite(key: string): Promise<boolean> {
    const editor = this.editor;
    const api = this.api;
    const id = this.documentId;
    const old = this.snapshot.local.find((c) => citationKey(c) === key);
    if (!editor || editor.isDestroyed || !api || !id || !old) return false;
    const created = await api.cite(id, { documentId: old.documentId, blockId: old.blockId });
    if (editor.isDestroyed) return false;
    const tr = editor.state.tr;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === CITATION_NODE && citationKey(attributesOf(node)) === key) tr.setNodeMarkup(pos, undefined, { ...created.citation });
      return true;
    });
    if (!tr.docChanged) return false;
    editor.view.dispatch(tr);
    this.select(citationKey(created.citation));
    this.refresh();
    return true;
  }

  private noteDoc(doc: PMNode): void {
    const local = citationsIn(doc);
    const signature = citationSignature(local);
    if (signature === this.signature) return;
    this.signature = signature;
    this.publish({ ...this.snapshot, local, cited: new Set(local.map(sourceKey)) });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, SETTLE_MS);
  }

  private publish(next: CitationsSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  private nodeView(initial: PMNode): NodeView {
    let node = initial;
    const dom = document.createElement('cite');
    dom.className = 'citation';
    dom.contentEditable = 'false';
    const draw = (): void => {
      const attrs = attributesOf(node);
      const key = citationKey(attrs);
      const view = this.snapshot.statuses.get(key);
      const label = `[${attrs.label}]`;
      dom.replaceChildren();
      dom.dataset['status'] = view?.status ?? 'unknown';
      dom.dataset['testid'] = 'citation';
      if (view && view.status !== 'not-public' && view.documentId && view.blockId) {
        const link = document.createElement('a');
        link.href = `/d/${encodeURIComponent(view.documentId)}?block=${encodeURIComponent(view.blockId)}`;
        link.target = '_blank';
        link.rel = 'noopener';
        link.textContent = label;
        link.title = this.words.open(view.title ?? '');
        dom.append(link);
      } else dom.append(label);
      if (view?.status === 'changed') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'citation__status';
        button.textContent = this.words.changed;
        button.setAttribute('aria-label', this.words.showChange(attrs.label));
        button.dataset['testid'] = 'citation-changed';
        button.addEventListener('click', () => this.select(key));
        dom.append(' ', button);
      } else if (view?.status === 'gone' || view?.status === 'not-public') {
        const note = document.createElement('span');
        note.className = 'citation__status';
        note.textContent = view.status === 'gone' ? this.words.gone : this.words.notPublic;
        dom.append(' ', note);
      }
    };
    draw();
    const unsubscribe = this.subscribe(draw);
    return {
      dom,
      update: (next) => {
        if (next.type !== node.type) return false;
        node = next;
        draw();
        return true;
      },
      // The link and the button are the reader's, not the editor's: a click on them is not a selection.
      stopEvent: (event) => event.target instanceof Element && event.target.closest('a, button') !== null,
      ignoreMutation: () => true,
      destroy: unsubscribe,
    };
  }
}
