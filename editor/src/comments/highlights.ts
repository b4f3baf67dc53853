import type { CommentAnchor } from '@rapporteur/protocol';
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state';
import type { Mapping } from '@tiptap/pm/transform';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { changeMapping, isFromYjs } from '../document/remoteChange';
import { bindingOf, type ResolvedAnchor, resolveAnchor, type YBinding } from './anchors';

/** A thread's anchor as the highlights need it. */
export interface HighlightAnchor {
  readonly id: string;
  readonly anchor: CommentAnchor;
  /** Open threads are highlighted; resolved ones only while selected. */
  readonly open: boolean;
}

export interface HighlightState {
  readonly anchors: readonly HighlightAnchor[];
  readonly activeId: string | null;
  /** Where each anchor is now (by thread id). */
  readonly positions: ReadonlyMap<string, ResolvedAnchor>;
  readonly decorations: DecorationSet;
}

/** What a transaction may tell the plugin. */
export interface HighlightMeta {
  readonly anchors?: readonly HighlightAnchor[];
  readonly activeId?: string | null;
  /** Resolve every anchor again (after typing, which is mapped meanwhile). */
  readonly recompute?: true;
}

export const commentHighlightsKey = new PluginKey<HighlightState>('commentHighlights');

export interface HighlightOptions {
  /** Clicking a highlight selects its thread. */
  readonly onSelect: (id: string) => void;
  /** Called after every change of `positions`. */
  readonly onPositions: (positions: ReadonlyMap<string, ResolvedAnchor>) => void;
  /** Defaults to the ySync binding; tests pass their own. */
  readonly binding?: (state: EditorState) => YBinding | null;
  /**
   * Positions are resolved again once typing (one's own or a co-author's)
   * pauses this long (ms; default 300), and at the latest `maxWaitMs`
   * (default 2,000) after the first change: resolving every anchor walks the
   * document, which in a 100-page paper with 100 comments is worth doing
   * between words, not between keys (issue 14). Until then the highlights
   * and positions are mapped through each change, which is exact for typing.
   */
  readonly settleMs?: number;
  readonly maxWaitMs?: number;
}

/** Resolves every anchor and draws the highlights. */
export function computeHighlights(
  state: EditorState,
  anchors: readonly HighlightAnchor[],
  activeId: string | null,
  binding: YBinding | null,
): Pick<HighlightState, 'positions' | 'decorations'> {
  const positions = new Map<string, ResolvedAnchor>();
  const decorations: Decoration[] = [];
  for (const a of anchors) {
    // Without the binding (not rendered yet) only block ids can be found.
    const resolved: ResolvedAnchor = binding || a.anchor.type === 'block' ? resolveAnchor(binding!, state.doc, a.anchor) : { kind: 'unknown' };
    positions.set(a.id, resolved);
    if (resolved.kind !== 'found' || resolved.to <= resolved.from || !(a.open || a.id === activeId)) continue;
    const active = a.id === activeId;
    decorations.push(
      Decoration.inline(
        resolved.from,
        resolved.to,
        { class: active ? 'comment-highlight comment-highlight--active' : 'comment-highlight', 'data-comment-id': a.id },
        { commentId: a.id },
      ),
    );
  }
  return { positions, decorations: DecorationSet.create(state.doc, decorations) };
}

function mapPositions(positions: ReadonlyMap<string, ResolvedAnchor>, map: Mapping): Map<string, ResolvedAnchor> {
  const mapped = new Map<string, ResolvedAnchor>();
  for (const [id, p] of positions) {
    if (p.kind !== 'found') {
      mapped.set(id, p);
      continue;
    }
    // As the highlight maps (neither end inclusive); a passage whose text went spans nothing: deleted.
    const from = map.map(p.from, 1);
    const to = Math.max(from, map.map(p.to, -1));
    mapped.set(id, to > from || p.to === p.from ? { kind: 'found', from, to } : { kind: 'deleted' });
  }
  return mapped;
}

/**
 * Highlights commented passages, recomputed from the anchors' relative
 * positions when the Y.Doc changes or the comments do. Local typing maps
 * the highlights at once and resolves the anchors again a moment later
 * (y-sync writes the Y.Doc only after the transaction).
 */
export function commentHighlights(options: HighlightOptions): Plugin<HighlightState> {
  const getBinding = options.binding ?? bindingOf;
  return new Plugin<HighlightState>({
    key: commentHighlightsKey,
    state: {
      init: (_config, state) => ({ anchors: [], activeId: null, positions: new Map(), decorations: DecorationSet.create(state.doc, []) }),
      apply(tr, value, _old, state): HighlightState {
        const meta = tr.getMeta(commentHighlightsKey) as HighlightMeta | undefined;
        // A co-author's change is mapped, like one's own typing, and every anchor resolved again
        // once the changes pause: resolving them walks the document's top level for each, which on
        // 100 pages with 100 comments cost more than the rest of applying a co-author's key (issue 14).
        // Anchors not known yet (their text had not arrived) are resolved at once.
        if (!meta && isFromYjs(tr) && tr.docChanged && ![...value.positions.values()].some((p) => p.kind === 'unknown')) {
          const map = changeMapping(tr);
          return { ...value, positions: mapPositions(value.positions, map), decorations: value.decorations.map(map, state.doc) };
        }
        // y-sync's other transactions bring the Y.Doc in (and set the binding): resolve with its mapping.
        if (meta || isFromYjs(tr)) {
          const anchors = meta?.anchors ?? value.anchors;
          const activeId = meta?.activeId !== undefined ? meta.activeId : value.activeId;
          return { anchors, activeId, ...computeHighlights(state, anchors, activeId, getBinding(state)) };
        }
        if (tr.docChanged) return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
        return value;
      },
    },
    props: {
      decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
      handleClick(_view, _pos, event) {
        const target = event.target instanceof Element ? event.target.closest('[data-comment-id]') : null;
        const id = target?.getAttribute('data-comment-id');
        if (id) options.onSelect(id);
        return false;
      },
    },
    view(view: EditorView) {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let firstChange: number | null = null;
      let published = commentHighlightsKey.getState(view.state)?.positions;
      return {
        update(view, previous) {
          const current = commentHighlightsKey.getState(view.state);
          if (current && current.positions !== published) {
            published = current.positions;
            options.onPositions(current.positions);
          }
          if (view.state.doc !== previous.doc && current && current.anchors.length > 0) {
            const now = Date.now();
            firstChange ??= now;
            if (timer !== null) clearTimeout(timer);
            const wait = Math.max(0, Math.min(options.settleMs ?? 300, firstChange + (options.maxWaitMs ?? 2000) - now));
            timer = setTimeout(() => {
              timer = null;
              firstChange = null;
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(commentHighlightsKey, { recompute: true } satisfies HighlightMeta));
            }, wait);
          }
        },
        destroy() {
          if (timer !== null) clearTimeout(timer);
        },
      };
    },
  });
}
