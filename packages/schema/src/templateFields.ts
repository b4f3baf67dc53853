import { Extension } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';

import { plainText, shortQuote } from './consensus';
import { TEXT_BLOCK_TYPES } from './blockTypes';

/**
 * Template fields (issue 9): the attributes a template puts on the blocks of
 * a new document, so that the editor can show guidance in an empty field,
 * the readiness checks can find required fields and over-long lists, and
 * exports can say "not stated" for a participation figure nobody gave.
 *
 * - `field`: the template's key for the block (`key-takeaways`), or null.
 *   Rendered to HTML as `data-field` (a hook for publications and styles).
 * - `guidance`: the text shown in the block while it is empty. NEVER
 *   rendered: not in the editor's HTML, not in any export, not on the
 *   clipboard. The editor shows it through a decoration (placeholder).
 * - `required`: the block must hold text before the document can be final.
 * - `maxItems` (lists): at most this many items with text ("≤ 3").
 * - `emptyMeansNotStated` (tables): an empty body cell means the figure was
 *   not stated, and exports say so; a typed 0 stays 0.
 */

export const FIELD_ATTRIBUTE = 'field';
export const GUIDANCE_ATTRIBUTE = 'guidance';
export const REQUIRED_ATTRIBUTE = 'required';
export const MAX_ITEMS_ATTRIBUTE = 'maxItems';
export const NOT_STATED_ATTRIBUTE = 'emptyMeansNotStated';

/** Lists: their items are counted against `maxItems`. */
export const LIST_TYPES: readonly string[] = ['bulletList', 'orderedList'];

/** Block types that can be a template field: every text block, lists and tables. */
export const FIELD_TYPES: readonly string[] = [...TEXT_BLOCK_TYPES, ...LIST_TYPES, 'table'];

/** A field key: lower-case letters, digits and dashes, starting with a letter or digit. */
export const FIELD_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MAX_GUIDANCE_LENGTH = 1000;
export const MAX_ITEMS_LIMIT = 100;

/** Narrows a field key: a valid key or null. */
export function toFieldKey(value: unknown): string | null {
  return typeof value === 'string' && FIELD_KEY.test(value) ? value : null;
}

/** Narrows guidance: a non-blank string of at most MAX_GUIDANCE_LENGTH characters, or null. */
export function toGuidance(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_GUIDANCE_LENGTH ? value : null;
}

/** Narrows a list's item limit: an integer 1–MAX_ITEMS_LIMIT, or null. */
export function toMaxItems(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ITEMS_LIMIT ? value : null;
}

/** The English catalog of template strings used in exports (mounted by the editor under `templateFields`). */
export const TEMPLATE_MESSAGES_EN = {
  notStated: 'not stated',
} as const;

/**
 * The attributes, on FIELD_TYPES. None of them is kept when a block is split
 * (Enter at the end of a field makes an ordinary paragraph, not a second
 * copy of the field).
 */
export const TemplateFields = Extension.create({
  name: 'templateFields',

  addGlobalAttributes() {
    return [
      {
        types: [...FIELD_TYPES],
        attributes: {
          [FIELD_ATTRIBUTE]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element) => toFieldKey(element.getAttribute('data-field')),
            renderHTML: (attributes) => {
              const key = toFieldKey(attributes[FIELD_ATTRIBUTE]);
              return key ? { 'data-field': key } : {};
            },
          },
          [GUIDANCE_ATTRIBUTE]: {
            default: null,
            keepOnSplit: false,
            // Never in HTML: guidance is for the person drafting, never for readers.
            rendered: false,
            parseHTML: () => null,
          },
          [REQUIRED_ATTRIBUTE]: {
            default: false,
            keepOnSplit: false,
            rendered: false,
            parseHTML: () => false,
          },
        },
      },
      {
        types: [...LIST_TYPES],
        attributes: {
          [MAX_ITEMS_ATTRIBUTE]: { default: null, keepOnSplit: false, rendered: false, parseHTML: () => null },
        },
      },
      {
        types: ['table'],
        attributes: {
          [NOT_STATED_ATTRIBUTE]: { default: false, keepOnSplit: false, rendered: false, parseHTML: () => false },
        },
      },
    ];
  },
});

// ---- fields in a document (ProseMirror JSON, as docToJSON gives it) ----

/** One template field of a document, in document order. */
export interface FieldBlock {
  readonly node: JSONContent;
  readonly blockId: string | null;
  readonly field: string | null;
  readonly required: boolean;
  readonly maxItems: number | null;
  /** How people name it: the heading it comes under (or its own text, for a heading), else its guidance, else its key. */
  readonly label: string;
}

function blockIdOf(node: JSONContent): string | null {
  const id = node.attrs?.['blockId'];
  return typeof id === 'string' && id !== '' ? id : null;
}

/** Whether a node carries any template field attribute. */
function isField(node: JSONContent): boolean {
  const a = node.attrs ?? {};
  return toFieldKey(a[FIELD_ATTRIBUTE]) !== null || a[REQUIRED_ATTRIBUTE] === true || toMaxItems(a[MAX_ITEMS_ATTRIBUTE]) !== null;
}

/** Every block that is a template field, in document order, each named by the heading it comes under. */
export function fieldBlocks(body: JSONContent): FieldBlock[] {
  const out: FieldBlock[] = [];
  let heading = '';
  const visit = (node: JSONContent): void => {
    const type = node.type ?? '';
    if (type === 'heading') {
      const own = shortQuote(plainText(node));
      if (own !== '') heading = own;
    }
    if (FIELD_TYPES.includes(type) && isField(node)) {
      const a = node.attrs ?? {};
      const key = toFieldKey(a[FIELD_ATTRIBUTE]);
      const guidance = toGuidance(a[GUIDANCE_ATTRIBUTE]);
      const own = type === 'heading' ? shortQuote(plainText(node)) : '';
      const label = own || (type !== 'heading' ? heading : '') || (guidance ? shortQuote(guidance) : '') || key || type;
      out.push({
        node,
        blockId: blockIdOf(node),
        field: key,
        required: a[REQUIRED_ATTRIBUTE] === true,
        maxItems: LIST_TYPES.includes(type) ? toMaxItems(a[MAX_ITEMS_ATTRIBUTE]) : null,
        label,
      });
    }
    for (const child of node.content ?? []) visit(child);
  };
  visit(body);
  return out;
}

/** The text a field holds, for "is it filled in": a table's header cells (its labels) do not count. */
export function fieldText(node: JSONContent): string {
  if (node.type === 'table') {
    return (node.content ?? [])
      .flatMap((row) => row.content ?? [])
      .filter((cell) => cell.type === 'tableCell')
      .map(plainText)
      .join(' ')
      .trim();
  }
  return plainText(node).trim();
}

/** The items of a list that hold text (an empty bullet left at the end does not count). */
export function filledItems(list: JSONContent): number {
  return (list.content ?? []).filter((item) => plainText(item).trim() !== '').length;
}

/**
 * A copy of `body` in which each empty body cell of an `emptyMeansNotStated`
 * table says "not stated" (in italics), for exports: a reader must tell a
 * figure nobody gave from a 0, which stays as typed.
 */
export function fillNotStated(body: JSONContent, notStated: string = TEMPLATE_MESSAGES_EN.notStated): JSONContent {
  const visit = (node: JSONContent, inNotStatedTable: boolean): JSONContent => {
    const here = node.type === 'table' ? node.attrs?.[NOT_STATED_ATTRIBUTE] === true : inNotStatedTable;
    if (here && node.type === 'tableCell' && plainText(node).trim() === '') {
      const first = node.content?.[0];
      const paragraph: JSONContent = {
        type: 'paragraph',
        ...(first?.type === 'paragraph' && first.attrs ? { attrs: first.attrs } : {}),
        content: [{ type: 'text', text: notStated, marks: [{ type: 'italic' }] }],
      };
      return { ...node, content: [paragraph, ...(node.content ?? []).slice(1)] };
    }
    if (!node.content) return node;
    return { ...node, content: node.content.map((child) => visit(child, here)) };
  };
  return visit(body, false);
}
