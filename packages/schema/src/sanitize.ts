import type { JSONContent } from '@tiptap/core';

import { CONSENSUS_ATTRIBUTE, toConsensusMarker } from './consensus';
import { isSafeHref } from './link';
import { BLOCK_ID_ATTRIBUTE, HEADING_LEVELS } from './schemaExtensions';
import {
  FIELD_ATTRIBUTE,
  GUIDANCE_ATTRIBUTE,
  MAX_ITEMS_ATTRIBUTE,
  NOT_STATED_ATTRIBUTE,
  REQUIRED_ATTRIBUTE,
  toFieldKey,
  toGuidance,
  toMaxItems,
} from './templateFields';
import { toTextDirection } from './textDirection';

type Attrs = Record<string, unknown>;
type MarkJSON = NonNullable<JSONContent['marks']>[number];

const LINK_REL = 'noopener noreferrer nofollow';
const LIST_TYPES = new Set(['1', 'a', 'A', 'i', 'I']);
const CELL_ALIGNS = new Set(['left', 'center', 'right']);
const LANGUAGE = /^[A-Za-z0-9_+#.-]{1,40}$/;
const MAX_SPAN = 1000;
const MAX_WIDTH = 10_000;

function positiveInt(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function sanitizeAttrs(type: string, attrs: Attrs): Attrs {
  const out: Attrs = { ...attrs };
  if ('dir' in out) out['dir'] = toTextDirection(out['dir']);
  if (BLOCK_ID_ATTRIBUTE in out) {
    const id = out[BLOCK_ID_ATTRIBUTE];
    out[BLOCK_ID_ATTRIBUTE] = typeof id === 'string' && id !== '' ? id : null;
  }
  // A consensus marker: a valid ConsensusMarker (unknown keys dropped) or null.
  if (CONSENSUS_ATTRIBUTE in out) out[CONSENSUS_ATTRIBUTE] = toConsensusMarker(out[CONSENSUS_ATTRIBUTE]);
  // Template fields: a key, guidance text, a flag, a limit — or their defaults.
  if (FIELD_ATTRIBUTE in out) out[FIELD_ATTRIBUTE] = toFieldKey(out[FIELD_ATTRIBUTE]);
  if (GUIDANCE_ATTRIBUTE in out) out[GUIDANCE_ATTRIBUTE] = toGuidance(out[GUIDANCE_ATTRIBUTE]);
  if (REQUIRED_ATTRIBUTE in out) out[REQUIRED_ATTRIBUTE] = out[REQUIRED_ATTRIBUTE] === true;
  if (MAX_ITEMS_ATTRIBUTE in out) out[MAX_ITEMS_ATTRIBUTE] = toMaxItems(out[MAX_ITEMS_ATTRIBUTE]);
  if (NOT_STATED_ATTRIBUTE in out) out[NOT_STATED_ATTRIBUTE] = out[NOT_STATED_ATTRIBUTE] === true;
  switch (type) {
    case 'heading': {
      const level = out['level'];
      const levels: readonly number[] = HEADING_LEVELS;
      out['level'] = typeof level === 'number' && levels.includes(level) ? level : HEADING_LEVELS[0];
      break;
    }
    case 'orderedList':
      out['start'] =
        typeof out['start'] === 'number' && Number.isInteger(out['start']) && out['start'] >= 0 ? out['start'] : 1;
      out['type'] = typeof out['type'] === 'string' && LIST_TYPES.has(out['type']) ? out['type'] : null;
      break;
    case 'codeBlock':
      out['language'] = typeof out['language'] === 'string' && LANGUAGE.test(out['language']) ? out['language'] : null;
      break;
    case 'tableCell':
    case 'tableHeader': {
      const colspan = positiveInt(out['colspan'], 1, MAX_SPAN);
      out['colspan'] = colspan;
      out['rowspan'] = positiveInt(out['rowspan'], 1, MAX_SPAN);
      const widths = out['colwidth'];
      out['colwidth'] =
        // Pixels per spanned column; 0 is a column left to the browser (prosemirror-tables writes
        // zeroes beside the one column a person resized), so at least one must be set.
        Array.isArray(widths) &&
        widths.length === colspan &&
        widths.every((w) => w === 0 || positiveInt(w, 0, MAX_WIDTH) > 0) &&
        widths.some((w) => w !== 0)
          ? [...(widths as number[])]
          : null;
      out['align'] = typeof out['align'] === 'string' && CELL_ALIGNS.has(out['align']) ? out['align'] : null;
      break;
    }
    case 'citation':
      // A citation's source, as data (SPEC EV9): bounded strings, or empty.
      out['documentId'] = boundedString(out['documentId'], 64);
      out['blockId'] = boundedString(out['blockId'], 64);
      out['hash'] = typeof out['hash'] === 'string' && /^[0-9a-f]{64}$/.test(out['hash']) ? out['hash'] : '';
      out['label'] = boundedString(out['label'], 60);
      break;
    default:
      break;
  }
  return out;
}

function boundedString(value: unknown, max: number): string {
  return typeof value === 'string' && value.length <= max ? value : '';
}

function sanitizeMark(mark: MarkJSON): MarkJSON | null {
  if (mark.type !== 'link') return mark;
  const attrs: Attrs = mark.attrs ?? {};
  if (!isSafeHref(attrs['href'])) return null;
  return {
    type: 'link',
    attrs: {
      href: attrs['href'],
      target: '_blank',
      rel: LINK_REL,
      class: null,
      title: typeof attrs['title'] === 'string' ? attrs['title'] : null,
    },
  };
}

/**
 * Returns a copy of `node` whose attribute values are ones the renderers can
 * trust. The Y.Doc is written by clients, and a client can write any value
 * into any attribute, so this runs on everything read from a Y.Doc.
 */
export function sanitizeJSON(node: JSONContent): JSONContent {
  const out: JSONContent = { type: node.type };
  if (node.attrs) out.attrs = sanitizeAttrs(node.type ?? '', node.attrs);
  if (node.marks) {
    const marks = node.marks.map(sanitizeMark).filter((m): m is MarkJSON => m !== null);
    if (marks.length > 0) out.marks = marks;
  }
  if (typeof node.text === 'string') out.text = node.text;
  if (node.content) out.content = node.content.map(sanitizeJSON);
  return out;
}
