import {
  FIELD_ATTRIBUTE,
  GUIDANCE_ATTRIBUTE,
  LIST_TYPES,
  MAX_ITEMS_ATTRIBUTE,
  NOT_STATED_ATTRIBUTE,
  REQUIRED_ATTRIBUTE,
  toFieldKey,
  toGuidance,
  toMaxItems,
} from '@rapporteur/schema';
import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/**
 * Template guidance in the editor (issue 9, SPEC TPL2): the guidance of an
 * empty field is shown in it as placeholder text through a node decoration
 * (`data-guidance`, drawn by CSS `::before`), so it is never part of the
 * document, its HTML or its exports, and it goes as soon as the field holds
 * text. An empty cell of a participation table (`emptyMeansNotStated`) shows
 * "not stated", which is what the exports will say.
 *
 * Screen readers: the placeholder's CSS text is given an empty alternative
 * (`content: attr(data-guidance) / ""`), so it is not read as if it were
 * the document's text; the guidance of the field at the caret is read from
 * the field hint instead (FieldHint: a polite live region that the text box
 * also names with aria-describedby), whether the field is empty or not.
 */

export const GUIDANCE_CLASS = 'template-guidance';
const NOT_STATED_CLASS = 'template-guidance template-guidance--not-stated';

/** The first text block of `node` (itself if it is one) and its position, `pos` being the node's. */
function firstTextblock(node: PMNode, pos: number): { node: PMNode; pos: number } | null {
  if (node.isTextblock) return { node, pos };
  let found: { node: PMNode; pos: number } | null = null;
  node.descendants((child, offset) => {
    if (found) return false;
    if (child.isTextblock) {
      found = { node: child, pos: pos + 1 + offset };
      return false;
    }
    return true;
  });
  return found;
}

/** The placeholder decorations inside one block (at `pos`): guidance in its empty fields, "not stated" in its empty participation cells. */
function blockDecorations(block: PMNode, blockPos: number, notStated: string): Decoration[] {
  const decorations: Decoration[] = [];
  const taken = new Set<number>();
  const place = (target: { node: PMNode; pos: number } | null, text: string, className: string): void => {
    if (!target || taken.has(target.pos) || target.node.textContent !== '') return;
    taken.add(target.pos);
    decorations.push(Decoration.node(target.pos, target.pos + target.node.nodeSize, { class: className, 'data-guidance': text }));
  };
  const visit = (node: PMNode, pos: number, inNotStatedTable: boolean): void => {
    const notStatedHere = node.type.name === 'table' ? node.attrs[NOT_STATED_ATTRIBUTE] === true : inNotStatedTable;
    const guidance = toGuidance(node.attrs[GUIDANCE_ATTRIBUTE]);
    // A table's own guidance is long: it is read from the field hint, not squeezed into a cell.
    if (guidance && node.type.name !== 'table' && node.textContent.trim() === '') place(firstTextblock(node, pos), guidance, GUIDANCE_CLASS);
    else if (notStatedHere && node.type.name === 'tableCell' && node.textContent.trim() === '') place(firstTextblock(node, pos), notStated, NOT_STATED_CLASS);
    // Text blocks hold no fields: no need to look inside them.
    if (!node.isTextblock) node.forEach((child, offset) => visit(child, pos + 1 + offset, notStatedHere));
  };
  visit(block, blockPos, false);
  return decorations;
}

/** The placeholder decorations of a document: guidance in empty fields, "not stated" in empty participation cells. */
export function guidanceDecorations(doc: PMNode, notStated: string): DecorationSet {
  const decorations: Decoration[] = [];
  doc.forEach((child, offset) => decorations.push(...blockDecorations(child, offset, notStated)));
  return DecorationSet.create(doc, decorations);
}

/**
 * The decorations after a change: mapped, and recomputed only for the
 * top-level blocks the change touched (whether a field is empty depends on
 * nothing outside its block), so typing in a long document stays cheap.
 */
export function updateGuidance(old: DecorationSet, tr: Transaction, notStated: string): DecorationSet {
  if (!tr.docChanged) return old;
  const doc = tr.doc;
  let set = old.map(tr.mapping, doc);
  const touched = new Map<number, PMNode>();
  tr.mapping.maps.forEach((map, index) => {
    const after = tr.mapping.slice(index + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      const from = Math.max(0, after.map(newStart, -1) - 1);
      const to = Math.min(doc.content.size, after.map(newEnd, 1) + 1);
      doc.nodesBetween(from, to, (node, pos) => {
        touched.set(pos, node);
        return false;
      });
    });
  });
  for (const [pos, node] of touched) {
    const end = pos + node.nodeSize;
    // Only this block's decorations (find also returns those of neighbours touching its edges).
    const inside = set.find(pos, end).filter((d) => d.from >= pos && d.to <= end);
    set = set.remove(inside).add(doc, blockDecorations(node, pos, notStated));
  }
  return set;
}

const guidanceKey = new PluginKey<DecorationSet>('templateGuidance');

/** The extension: decorations recomputed when the document changes. `notStated` is read each time (the language may change). */
export function templateGuidance(notStated: () => string): Extension {
  return Extension.create({
    name: 'templateGuidance',
    addProseMirrorPlugins() {
      return [
        new Plugin<DecorationSet>({
          key: guidanceKey,
          state: {
            init: (_config, state) => guidanceDecorations(state.doc, notStated()),
            apply: (tr, old) => updateGuidance(old, tr, notStated()),
          },
          props: {
            decorations: (state) => guidanceKey.getState(state),
          },
        }),
      ];
    },
  });
}

/** The template field around the caret, as the field hint describes it. */
export interface FieldAtCaret {
  /** Position of the field's node: identifies the field while the caret stays in it. */
  readonly pos: number;
  readonly key: string | null;
  /** The heading it comes under (its own text for a heading field), else its guidance's start, else its key. */
  readonly label: string;
  readonly guidance: string | null;
  readonly required: boolean;
  readonly maxItems: number | null;
  readonly notStated: boolean;
}

function headingBefore(doc: PMNode, pos: number): string {
  let label = '';
  doc.nodesBetween(0, pos, (node) => {
    if (node.type.name === 'heading' && node.textContent.trim() !== '') label = node.textContent.trim();
    return node.type.name !== 'heading';
  });
  return label;
}

/**
 * The template field holding the selection's start, or null. Fields nest (a
 * speakers table with guidance in its cells): the description joins them,
 * innermost guidance first, and takes the rules of any of them (required,
 * the item limit, "not stated").
 */
export function fieldAtSelection(state: EditorState): FieldAtCaret | null {
  const $from = state.selection.$from;
  const found: Array<{ node: PMNode; pos: number }> = [];
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    const a = node.attrs;
    const isField = toGuidance(a[GUIDANCE_ATTRIBUTE]) !== null || toFieldKey(a[FIELD_ATTRIBUTE]) !== null || (node.type.name === 'table' && a[NOT_STATED_ATTRIBUTE] === true);
    if (isField) found.push({ node, pos: $from.before(depth) });
  }
  if (found.length === 0) return null;
  const outer = found[found.length - 1]!;
  const guidances = [...new Set(found.map((f) => toGuidance(f.node.attrs[GUIDANCE_ATTRIBUTE])).filter((g): g is string => g !== null))];
  const key = found.map((f) => toFieldKey(f.node.attrs[FIELD_ATTRIBUTE])).find((k) => k !== null) ?? null;
  const own = outer.node.type.name === 'heading' ? outer.node.textContent.trim() : '';
  const label = own || (outer.node.type.name === 'heading' ? '' : headingBefore(state.doc, outer.pos)) || (guidances[0] ? shorten(guidances[0]) : '') || key || '';
  return {
    pos: outer.pos,
    key,
    label,
    // Each ends a sentence, so that "Name" and "Every speaker …" read as two.
    guidance: guidances.length === 0 ? null : guidances.map((g) => (/[.!?…:”"]$/.test(g) ? g : `${g}.`)).join(' '),
    required: found.some((f) => f.node.attrs[REQUIRED_ATTRIBUTE] === true),
    maxItems: found.map((f) => (LIST_TYPES.includes(f.node.type.name) ? toMaxItems(f.node.attrs[MAX_ITEMS_ATTRIBUTE]) : null)).find((m) => m !== null) ?? null,
    notStated: found.some((f) => f.node.type.name === 'table' && f.node.attrs[NOT_STATED_ATTRIBUTE] === true),
  };
}

function shorten(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 59).trimEnd()}…`;
}

/** Whether two fields at the caret would be described the same (the hint re-announces only a new field). */
export function sameField(a: FieldAtCaret | null, b: FieldAtCaret | null): boolean {
  if (a === null || b === null) return a === b;
  // Not by position: others' edits above the caret move it without changing the field.
  return a.key === b.key && a.label === b.label && a.guidance === b.guidance && a.required === b.required && a.maxItems === b.maxItems;
}
