import type { ConsensusBasis, ConsensusLevel, ConsensusMarker, StakeholderGroup } from '@rapporteur/protocol';
import { CONSENSUS_ATTRIBUTE, type ConsensusTranslate, MARKABLE_TYPES, markableBlockAt, markerWording, toConsensusMarker } from '@rapporteur/schema';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import type { TFunction } from 'i18next';

/** The keyboard shortcut that opens "Mark consensus" (Tiptap notation), and how the UI writes it. */
export const MARK_CONSENSUS_SHORTCUT = 'Mod-Alt-k';

/** The schema's marker catalog is mounted under `consensus` in the editor's i18n resources. */
export function consensusTranslate(t: TFunction): ConsensusTranslate {
  return (key, values) => t(`consensus.${key}` as never, values as never) as unknown as string;
}

/** Levels whose marker lists views: required for divergence and minority view, optional (the opposition) for strong support. */
export function viewsAllowed(level: ConsensusLevel | null): boolean {
  return level === 'divergence' || level === 'minority-view' || level === 'strong-support-with-opposition';
}

export function viewsRequired(level: ConsensusLevel | null): boolean {
  return level === 'divergence' || level === 'minority-view';
}

export interface ViewDraft {
  /** A stable key for React lists and labels. */
  readonly key: number;
  readonly text: string;
  readonly groups: readonly StakeholderGroup[];
}

/** What the "Mark consensus" dialog edits. */
export interface MarkerDraft {
  readonly level: ConsensusLevel | null;
  readonly basis: ConsensusBasis;
  readonly basisNote: string;
  readonly views: readonly ViewDraft[];
}

let nextKey = 1;
export function newView(text = '', groups: readonly StakeholderGroup[] = []): ViewDraft {
  return { key: nextKey++, text, groups };
}

export function draftFromMarker(marker: ConsensusMarker | null): MarkerDraft {
  if (!marker) return { level: null, basis: 'chair-designation', basisNote: '', views: [] };
  return {
    level: marker.level,
    basis: marker.basis,
    basisNote: marker.basisNote ?? '',
    views: (marker.views ?? []).map((v) => newView(v.text, v.groups)),
  };
}

export type DraftResult = { ok: true; marker: ConsensusMarker } | { ok: false; problem: 'no-level' | 'invalid' };

/**
 * The marker a draft describes: the note trimmed (omitted when empty), views
 * kept only for levels that have them, their text trimmed. Views without text
 * are kept for divergence and minority view (the readiness check names them)
 * but dropped for strong support, where they are optional.
 */
export function markerFromDraft(draft: MarkerDraft): DraftResult {
  if (draft.level === null) return { ok: false, problem: 'no-level' };
  const note = draft.basisNote.trim();
  const views = viewsAllowed(draft.level)
    ? draft.views
        .map((v) => ({ text: v.text.trim(), groups: [...v.groups] }))
        .filter((v) => viewsRequired(draft.level) || v.text !== '' || v.groups.length > 0)
    : [];
  const candidate = {
    level: draft.level,
    basis: draft.basis,
    ...(note === '' ? {} : { basisNote: note }),
    ...(views.length === 0 ? {} : { views }),
  };
  const marker = toConsensusMarker(candidate);
  return marker ? { ok: true, marker } : { ok: false, problem: 'invalid' };
}

/** The markable block at the selection: where "Mark consensus" applies, its id and marker. */
export interface MarkTarget {
  readonly pos: number;
  readonly type: string;
  readonly blockId: string | null;
  readonly marker: ConsensusMarker | null;
  readonly quote: string;
}

export function targetAtSelection(state: EditorState): MarkTarget | null {
  const found = markableBlockAt(state.selection.$from);
  if (!found) return null;
  const node = state.doc.nodeAt(found.pos);
  if (!node) return null;
  const id: unknown = node.attrs['blockId'];
  const text = node.textContent.replace(/\s+/g, ' ').trim();
  return {
    pos: found.pos,
    type: found.type,
    blockId: typeof id === 'string' && id !== '' ? id : null,
    marker: toConsensusMarker(node.attrs[CONSENSUS_ATTRIBUTE]),
    quote: text.length > 60 ? `${text.slice(0, 60).trimEnd()}…` : text,
  };
}

/** Where the block with this id is now (it may have moved under concurrent edits); null when it is gone. */
export function findBlock(doc: PMNode, blockId: string): number | null {
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (node.attrs['blockId'] === blockId) {
      found = pos;
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

/** One marker to show beside its block in the editor. */
export interface MarkerBadge {
  /** Where the label goes: before a paragraph or heading, at the start inside a list item. */
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly level: ConsensusLevel;
  readonly label: string;
  readonly basis: string;
  /** Changes whenever what the badge shows changes. */
  readonly key: string;
}

/** Every marked block of `doc` with what its badge says, in document order. Skips inline content. */
export function markerBadges(doc: PMNode, t: ConsensusTranslate): MarkerBadge[] {
  const out: MarkerBadge[] = [];
  doc.descendants((node, pos) => {
    if (MARKABLE_TYPES.includes(node.type.name)) {
      const marker = toConsensusMarker(node.attrs[CONSENSUS_ATTRIBUTE]);
      if (marker) {
        const w = markerWording(marker, { scope: node.type.name === 'heading' ? 'section' : 'passage', t });
        out.push({
          at: node.type.name === 'listItem' ? pos + 1 : pos,
          from: pos,
          to: pos + node.nodeSize,
          level: marker.level,
          label: w.label,
          basis: w.basis,
          key: `consensus:${JSON.stringify(marker)}`,
        });
      }
    }
    return !node.isTextblock;
  });
  return out;
}
