import { Extension } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import {
  CONSENSUS_BASES,
  CONSENSUS_LEVELS,
  ConsensusMarker,
  LEVELS_REQUIRING_VIEWS,
  type ConsensusBasis,
  type ConsensusLevel,
  type StakeholderGroup,
} from '@rapporteur/protocol';
import { CONSENSUS_MESSAGES_EN } from './consensusMessages';

/**
 * Consensus markers (DESIGN.md "Domain", issue 9): the `consensus` attribute
 * of paragraphs, headings and list items, its standard wording, and the
 * helpers the renderers, the readiness check, the server and the editor share.
 */

/** The block attribute holding a marker (a ConsensusMarker object, or null). */
export const CONSENSUS_ATTRIBUTE = 'consensus';

/** Block types that can carry a marker. On a heading it covers the heading's section. */
export const MARKABLE_TYPES: readonly string[] = ['paragraph', 'heading', 'listItem'];

/** What a marker covers: its own block, or (on a heading) the section up to the next heading of the same or higher level. */
export type MarkerScope = 'passage' | 'section';

const STAKEHOLDER_GROUP_KEYS = [
  'government',
  'intergovernmental',
  'private-sector',
  'civil-society',
  'technical-community',
  'academia',
  'media',
  'other',
] as const satisfies readonly StakeholderGroup[];

export { CONSENSUS_MESSAGES_EN } from './consensusMessages';

/** Looks up a key of the `consensus` catalog (e.g. `level.divergence.label`) with `{{name}}` values filled in. */
export type ConsensusTranslate = (key: string, values?: Record<string, string | number>) => string;

function lookup(catalog: unknown, key: string): string | undefined {
  let at: unknown = catalog;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/** The English translator over CONSENSUS_MESSAGES_EN; an unknown key comes back as itself. */
export const translateConsensusEn: ConsensusTranslate = (key, values = {}) =>
  (lookup(CONSENSUS_MESSAGES_EN, key) ?? key).replace(/\{\{(\w+)\}\}/g, (m, name: string) =>
    name in values ? String(values[name]) : m,
  );

export interface MarkerWordingOptions {
  scope?: MarkerScope;
  t?: ConsensusTranslate;
  /** Locale for joining group names ("Government and Civil society"). Default 'en'. */
  locale?: string;
}

/** A marker put into words: everything a renderer shows, generated from the level, so label and wording cannot drift. */
export interface MarkerWording {
  readonly level: ConsensusLevel;
  readonly label: string;
  readonly wording: string;
  /** "Basis: chair's designation — discussion in session, 12 March". */
  readonly basis: string;
  /** Title of the views list ("Views expressed", or "Opposing views" for strong support with opposition). */
  readonly viewsTitle: string;
  readonly views: ReadonlyArray<{ readonly text: string; readonly groups: readonly string[]; readonly heldBy: string }>;
}

/** The label, standard wording, basis line and views of a marker, in the language of `t` (English by default). */
export function markerWording(marker: ConsensusMarker, options: MarkerWordingOptions = {}): MarkerWording {
  const t = options.t ?? translateConsensusEn;
  const scope = options.scope ?? 'passage';
  const basisName = t(`basis.${marker.basis}`);
  const note = marker.basisNote?.trim() ?? '';
  const list = listFormat(options.locale ?? 'en');
  return {
    level: marker.level,
    label: t(`level.${marker.level}.label`),
    wording: t(`level.${marker.level}.${scope}`),
    basis: note === '' ? t('basisLine', { basis: basisName }) : t('basisLineWithNote', { basis: basisName, note }),
    viewsTitle: t(marker.level === 'strong-support-with-opposition' ? 'opposingViewsTitle' : 'viewsTitle'),
    views: (marker.views ?? []).map((view) => {
      const groups = view.groups.map((g) => t(`group.${g}`));
      return {
        text: view.text,
        groups,
        heldBy: groups.length === 0 ? t('heldByNotStated') : t('heldBy', { groups: list(groups) }),
      };
    }),
  };
}

function listFormat(locale: string): (items: readonly string[]) => string {
  try {
    const format = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
    return (items) => format.format(items);
  } catch {
    return (items) => items.join(', ');
  }
}

/**
 * Narrows anything (a value a client wrote into the Y.Doc, a pasted data
 * attribute) to a marker: unknown keys are dropped (a forged `setBy` says
 * nothing), then the shape is checked; anything invalid is null.
 */
export function toConsensusMarker(value: unknown): ConsensusMarker | null {
  if (typeof value === 'string') {
    try {
      return toConsensusMarker(JSON.parse(value));
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const picked: Record<string, unknown> = { level: v['level'], basis: v['basis'] };
  if (v['basisNote'] !== undefined && v['basisNote'] !== null) picked['basisNote'] = v['basisNote'];
  if (v['views'] !== undefined && v['views'] !== null) picked['views'] = v['views'];
  if (Array.isArray(v['views'])) {
    picked['views'] = v['views'].map((view: unknown) =>
      typeof view === 'object' && view !== null
        ? { text: (view as Record<string, unknown>)['text'], groups: (view as Record<string, unknown>)['groups'] }
        : view,
    );
  }
  const parsed = ConsensusMarker.safeParse(picked);
  return parsed.success ? parsed.data : null;
}

/** Whether two markers say the same (the server records only real changes). */
export function sameMarker(a: ConsensusMarker | null, b: ConsensusMarker | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether the marker's level needs views and one is missing or empty (readiness, `marker-views-missing`). */
export function markerLacksViews(marker: ConsensusMarker): boolean {
  if (!LEVELS_REQUIRING_VIEWS.includes(marker.level)) {
    return (marker.views ?? []).some((v) => v.text.trim() === '');
  }
  const views = marker.views ?? [];
  return views.length === 0 || views.some((v) => v.text.trim() === '');
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    consensusMarker: {
      /** Sets (or with null removes) the marker of the markable block around `pos` (default: the selection's innermost one). */
      setConsensusMarker: (marker: ConsensusMarker | null, pos?: number) => ReturnType;
    };
  }
}

/**
 * The `consensus` attribute (default null) on paragraphs, headings and list
 * items. Copy and paste carry it as a `data-consensus` JSON attribute, read
 * back through toConsensusMarker. Not kept on split: splitting a marked
 * paragraph leaves the marker on the first half only.
 */
export const ConsensusAttribute = Extension.create({
  name: 'consensusMarker',

  addGlobalAttributes() {
    return [
      {
        types: [...MARKABLE_TYPES],
        attributes: {
          [CONSENSUS_ATTRIBUTE]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element) => toConsensusMarker(element.getAttribute('data-consensus')),
            renderHTML: (attributes) => {
              const marker = toConsensusMarker(attributes[CONSENSUS_ATTRIBUTE]);
              return marker ? { 'data-consensus': JSON.stringify(marker) } : {};
            },
          },
        },
      },
    ];
  },

  addCommands() {
    return {
      setConsensusMarker:
        (marker, pos) =>
        ({ tr, state, dispatch }) => {
          const target = markableBlockAt(state.doc.resolve(pos ?? state.selection.from));
          if (!target) return false;
          if (dispatch) tr.setNodeAttribute(target.pos, CONSENSUS_ATTRIBUTE, marker === null ? null : toConsensusMarker(marker));
          return true;
        },
    };
  },
});

interface ResolvedLike {
  depth: number;
  node(depth: number): { type: { name: string } };
  before(depth: number): number;
}

/**
 * The block a marker set "here" goes on: the innermost paragraph or heading
 * around the position, or the list item holding it when the paragraph is in
 * a list item (a marked list item reads as one bullet).
 */
export function markableBlockAt($pos: ResolvedLike): { pos: number; type: string } | null {
  for (let d = $pos.depth; d > 0; d--) {
    const name = $pos.node(d).type.name;
    if (!MARKABLE_TYPES.includes(name)) continue;
    if (name === 'paragraph' && d > 1 && $pos.node(d - 1).type.name === 'listItem') {
      return { pos: $pos.before(d - 1), type: 'listItem' };
    }
    return { pos: $pos.before(d), type: name };
  }
  return null;
}

// ---- markers in a document (ProseMirror JSON, as docToJSON gives it) ----

/** One marked passage of a document, in document order. */
export interface MarkedPassage {
  readonly blockId: string | null;
  readonly blockType: string;
  readonly scope: MarkerScope;
  readonly marker: ConsensusMarker;
  /** A short quote of the block (for a heading: the section's title). */
  readonly passage: string;
}

const QUOTE_LENGTH = 80;

/** The plain text of a node, blocks separated by a space, footnotes left out. */
export function plainText(node: JSONContent): string {
  if (typeof node.text === 'string') return node.text;
  if (node.type === 'hardBreak') return ' ';
  // A passage's quote and a field's text are the running text: footnotes are notes on it, not part of it.
  const content = (node.content ?? []).filter((c) => c.type !== 'footnote');
  return content.map(plainText).join(content.some((c) => c.type !== 'text') ? ' ' : '');
}

/** A short quote: whitespace collapsed, cut at a word boundary with an ellipsis past QUOTE_LENGTH characters. */
export function shortQuote(text: string, max = QUOTE_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Every marked block of `body`, in document order. */
export function markedPassages(body: JSONContent): MarkedPassage[] {
  const out: MarkedPassage[] = [];
  const visit = (node: JSONContent): void => {
    const marker = MARKABLE_TYPES.includes(node.type ?? '') ? toConsensusMarker(node.attrs?.[CONSENSUS_ATTRIBUTE]) : null;
    if (marker) {
      const id = node.attrs?.['blockId'];
      out.push({
        blockId: typeof id === 'string' && id !== '' ? id : null,
        blockType: node.type ?? '',
        scope: node.type === 'heading' ? 'section' : 'passage',
        marker,
        passage: shortQuote(plainText(node)),
      });
    }
    for (const child of node.content ?? []) visit(child);
  };
  visit(body);
  return out;
}

export { CONSENSUS_BASES, CONSENSUS_LEVELS, STAKEHOLDER_GROUP_KEYS };
export type { ConsensusBasis, ConsensusLevel };
