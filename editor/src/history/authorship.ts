import type { HistoryAuthor } from '@rapporteur/protocol';
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { bindingOf, type YBinding } from '../comments/anchors';

/** A passage of the live text written by one Yjs client, in ProseMirror positions. */
export interface AuthorRun {
  readonly from: number;
  readonly to: number;
  readonly client: number;
}

function collectTexts(type: Y.XmlFragment | Y.XmlElement, out: Y.XmlText[]): void {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) out.push(child);
    else if (child instanceof Y.XmlElement) collectTexts(child, out);
  }
}

/**
 * Who wrote each passage of the text now: the live (not deleted) text items
 * of the body, by the client id Yjs stored in each item, merged where one
 * client's items follow each other. Formatting items take no room in the
 * text and are skipped. Runs are in document order; empty when the binding
 * cannot place a text (not rendered yet).
 */
export function authorRuns(binding: YBinding): AuthorRun[] {
  const runs: AuthorRun[] = [];
  const texts: Y.XmlText[] = [];
  collectTexts(binding.type, texts);
  for (const text of texts) {
    const start = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.createRelativePositionFromTypeIndex(text, 0, -1), binding.mapping);
    if (start === null) continue;
    let offset = 0;
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      const from = start + offset;
      offset += item.length;
      const last = runs[runs.length - 1];
      if (last && last.client === item.id.client && last.to === from) runs[runs.length - 1] = { ...last, to: from + item.length };
      else runs.push({ from, to: from + item.length, client: item.id.client });
    }
  }
  return runs;
}

/** The run holding position `pos` (a caret just after a run's last character counts as in it), or null. */
export function runAt(runs: readonly AuthorRun[], pos: number): AuthorRun | null {
  return runs.find((r) => pos > r.from && pos <= r.to) ?? runs.find((r) => pos === r.from) ?? null;
}

/** Client id → the account behind it, as the authors route tells (plus this browser's own client). */
export type AuthorMap = ReadonlyMap<number, HistoryAuthor>;

export interface AuthorshipState {
  /** Null: highlighting is off. */
  readonly authors: AuthorMap | null;
  readonly runs: readonly AuthorRun[];
  readonly decorations: DecorationSet;
}

export interface AuthorshipMeta {
  readonly authors?: AuthorMap | null;
  readonly recompute?: true;
}

export const authorshipKey = new PluginKey<AuthorshipState>('authorship');

export interface AuthorshipOptions {
  /** The words for a passage's author ("Amina Diallo · Civil society", or "unknown"). */
  readonly label: (author: HistoryAuthor | null) => string;
  /** The author at the caret changed (null: highlighting off, or no text there). */
  readonly onCaret: (author: HistoryAuthor | null | undefined) => void;
  /** Passages were found whose client id the authors do not name (someone new wrote): ask the server again. */
  readonly onUnknown?: () => void;
  /** Defaults to the ySync binding; tests pass their own. */
  readonly binding?: (state: EditorState) => YBinding | null;
  /** Delay before the runs are read again after an edit (ms); y-sync writes the Y.Doc after the transaction. */
  readonly settleMs?: number;
}

/** A few tints told apart by position in the author order; the name on hover and at the caret says who, never the colour alone. */
const TINTS = 6;

function compute(state: EditorState, authors: AuthorMap | null, binding: YBinding | null, label: AuthorshipOptions['label']): Omit<AuthorshipState, 'authors'> {
  if (!authors || !binding) return { runs: [], decorations: DecorationSet.empty };
  const runs = authorRuns(binding);
  const order = new Map<string, number>();
  const decorations = runs
    .filter((r) => r.to > r.from && r.to <= state.doc.content.size)
    .map((r) => {
      const author = authors.get(r.client) ?? null;
      const key = author?.id ?? '';
      if (!order.has(key)) order.set(key, order.size);
      return Decoration.inline(r.from, r.to, {
        class: `authorship authorship--${order.get(key)! % TINTS}`,
        title: label(author),
        'data-author-id': author?.id ?? '',
      });
    });
  return { runs, decorations: DecorationSet.create(state.doc, decorations) };
}

/**
 * "Who wrote this": when given the authors (a meta with `authors`), tints
 * each passage of the live text by the account behind its Yjs client id, with
 * the author's name as its title (hover) and reported for the caret
 * (`onCaret`), so keyboard and screen-reader users hear it too.
 */
export function authorshipPlugin(options: AuthorshipOptions): Plugin<AuthorshipState> {
  const getBinding = options.binding ?? bindingOf;
  return new Plugin<AuthorshipState>({
    key: authorshipKey,
    state: {
      init: () => ({ authors: null, runs: [], decorations: DecorationSet.empty }),
      apply(tr, value, _old, state): AuthorshipState {
        const meta = tr.getMeta(authorshipKey) as AuthorshipMeta | undefined;
        const authors = meta?.authors !== undefined ? meta.authors : value.authors;
        if (meta) return { authors, ...compute(state, authors, getBinding(state), options.label) };
        if (authors && tr.docChanged) return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
        return value;
      },
    },
    props: {
      decorations: (state) => authorshipKey.getState(state)?.decorations,
    },
    view(view: EditorView) {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let reported: HistoryAuthor | null | undefined;
      const report = (): void => {
        const current = authorshipKey.getState(view.state);
        let author: HistoryAuthor | null | undefined;
        if (current?.authors) {
          const run = runAt(current.runs, view.state.selection.head);
          author = run ? (current.authors.get(run.client) ?? null) : undefined;
        }
        if (author !== reported) {
          reported = author;
          options.onCaret(author);
        }
      };
      return {
        update(view, previous) {
          const current = authorshipKey.getState(view.state);
          if (current?.authors && view.state.doc !== previous.doc && timer === null) {
            timer = setTimeout(() => {
              timer = null;
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(authorshipKey, { recompute: true } satisfies AuthorshipMeta));
            }, options.settleMs ?? 150);
          }
          if (current?.authors && current.runs !== authorshipKey.getState(previous)?.runs && current.runs.some((r) => !current.authors!.has(r.client))) {
            options.onUnknown?.();
          }
          report();
        },
        destroy() {
          if (timer !== null) clearTimeout(timer);
        },
      };
    },
  });
}
