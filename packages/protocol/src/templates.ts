import * as z from 'zod';

import { DocumentType } from './outcome';
import { lineText, multilineText } from './text';

/**
 * Templates (issue 9): versioned data an administrator can edit and import,
 * from which a new document's body is filled. The content is restricted
 * ProseMirror JSON: the blocks of the body schema (packages/schema) with
 * only the attributes a template may set — template fields (field, guidance,
 * required, maxItems, emptyMeansNotStated), heading levels, list starts,
 * cell spans and text direction. No block ids (the server gives every block
 * a fresh one when it creates a document), no consensus markers, no code
 * blocks. Every error names its path, e.g. `content[3].attrs.level`.
 */

/** A template id or field key: lower-case letters, digits and dashes. */
const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEY_MESSAGE = 'Use lower-case letters, digits and dashes (at most 63), starting with a letter or digit';

export const TemplateId = z.string().regex(KEY, KEY_MESSAGE);
export type TemplateId = z.infer<typeof TemplateId>;

/** Limits that keep one template a reasonable size. */
export const TEMPLATE_LIMITS = {
  blocks: 400,
  nodes: 4000,
  textLength: 4000,
  guidanceLength: 1000,
  listItems: 100,
  tableRows: 100,
  tableCells: 20,
  maxItems: 100,
} as const;

const FieldKey = z.string().regex(KEY, KEY_MESSAGE);
const Guidance = multilineText({ min: 1, max: TEMPLATE_LIMITS.guidanceLength, minMessage: 'Guidance cannot be empty: leave it out instead' });
const Dir = z.enum(['auto', 'ltr', 'rtl']);

/** Attributes every template field may carry. */
const fieldAttrs = {
  field: FieldKey.nullable().optional(),
  guidance: Guidance.nullable().optional(),
  required: z.boolean().optional(),
};

const SafeHref = z
  .string()
  .max(2000)
  .refine((href) => /^(https?:\/\/|mailto:)/i.test(href), 'Links must start with http://, https:// or mailto:');

const Mark = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bold') }),
  z.strictObject({ type: z.literal('italic') }),
  z.strictObject({ type: z.literal('underline') }),
  z.strictObject({ type: z.literal('strike') }),
  z.strictObject({ type: z.literal('code') }),
  z.strictObject({ type: z.literal('link'), attrs: z.strictObject({ href: SafeHref, title: z.string().max(300).nullable().optional() }) }),
]);

const TextNode = z.strictObject({
  type: z.literal('text'),
  text: multilineText({ min: 1, max: TEMPLATE_LIMITS.textLength, trim: false, minMessage: 'Text nodes cannot be empty' }),
  marks: z.array(Mark).max(6).optional(),
});
const HardBreak = z.strictObject({ type: z.literal('hardBreak') });
const Inline = z.discriminatedUnion('type', [TextNode, HardBreak]);
const InlineContent = z.array(Inline).max(1000).optional();

export interface TemplateNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TemplateNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

const Paragraph = z.strictObject({
  type: z.literal('paragraph'),
  attrs: z.strictObject({ ...fieldAttrs, dir: Dir.optional() }).optional(),
  content: InlineContent,
});

const Heading = z.strictObject({
  type: z.literal('heading'),
  attrs: z.strictObject({
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: 'Heading levels are 1, 2, 3 or 4' }),
    ...fieldAttrs,
    dir: Dir.optional(),
  }),
  content: InlineContent,
});

const HorizontalRule = z.strictObject({ type: z.literal('horizontalRule') });

const MaxItems = z.number().int().min(1).max(TEMPLATE_LIMITS.maxItems);
const Span = z.number().int().min(1).max(TEMPLATE_LIMITS.tableCells);

// Recursive block grammar; each container's content is checked where it is.
const Block: z.ZodType<TemplateNode> = z.lazy(() =>
  z.discriminatedUnion('type', [Paragraph, Heading, HorizontalRule, BulletList, OrderedList, Blockquote, Table]),
);

/** A list item starts with a paragraph (the schema's `paragraph block*`). */
const ListItem = z.strictObject({
  type: z.literal('listItem'),
  attrs: z.strictObject({ ...fieldAttrs, dir: Dir.optional() }).optional(),
  content: z
    .array(Block)
    .min(1, 'A list item needs at least a paragraph')
    .max(50)
    .superRefine((blocks, ctx) => {
      if (blocks[0] && blocks[0].type !== 'paragraph') {
        ctx.addIssue({ code: 'custom', path: [0, 'type'], message: 'A list item starts with a paragraph' });
      }
    }),
});

const BulletList = z.strictObject({
  type: z.literal('bulletList'),
  attrs: z.strictObject({ ...fieldAttrs, maxItems: MaxItems.nullable().optional() }).optional(),
  content: z.array(ListItem).min(1, 'A list needs at least one item').max(TEMPLATE_LIMITS.listItems),
});

const OrderedList = z.strictObject({
  type: z.literal('orderedList'),
  attrs: z
    .strictObject({ ...fieldAttrs, maxItems: MaxItems.nullable().optional(), start: z.number().int().min(0).max(10_000).optional() })
    .optional(),
  content: z.array(ListItem).min(1, 'A list needs at least one item').max(TEMPLATE_LIMITS.listItems),
});

const Blockquote = z.strictObject({
  type: z.literal('blockquote'),
  attrs: z.strictObject({ ...fieldAttrs, dir: Dir.optional() }).optional(),
  content: z.array(Block).min(1, 'A quotation needs at least one block').max(100),
});

const cellAttrs = z.strictObject({ ...fieldAttrs, dir: Dir.optional(), colspan: Span.optional(), rowspan: Span.optional() }).optional();
const cellContent = z.array(Block).min(1, 'A cell needs at least a paragraph').max(20);
const TableCell = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('tableCell'), attrs: cellAttrs, content: cellContent }),
  z.strictObject({ type: z.literal('tableHeader'), attrs: cellAttrs, content: cellContent }),
]);

const TableRow = z.strictObject({
  type: z.literal('tableRow'),
  content: z.array(TableCell).min(1, 'A row needs at least one cell').max(TEMPLATE_LIMITS.tableCells),
});

const Table = z.strictObject({
  type: z.literal('table'),
  attrs: z.strictObject({ ...fieldAttrs, emptyMeansNotStated: z.boolean().optional() }).optional(),
  content: z.array(TableRow).min(1, 'A table needs at least one row').max(TEMPLATE_LIMITS.tableRows),
});

/** One top-level block of a template's content. */
export const TemplateBlock = Block;

function countNodes(nodes: readonly TemplateNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countNodes(node.content ?? []), 0);
}

/** A template's content: the body's blocks, in order. Empty for the blank template. */
export const TemplateContent = z
  .array(Block)
  .max(TEMPLATE_LIMITS.blocks)
  .superRefine((blocks, ctx) => {
    if (countNodes(blocks) > TEMPLATE_LIMITS.nodes) {
      ctx.addIssue({ code: 'custom', message: `A template may hold at most ${TEMPLATE_LIMITS.nodes} nodes` });
    }
  });

const templateFields = {
  type: DocumentType,
  name: lineText({ min: 1, max: 120 }),
  /** One line saying what the template is for. */
  description: lineText({ min: 0, max: 300 }).default(''),
  content: TemplateContent,
};

/** `POST /api/admin/templates`: a new template (its version 1). Also the shape of the built-in template files. */
export const CreateTemplateRequest = z.strictObject({ id: TemplateId, ...templateFields });
export type CreateTemplateRequest = z.infer<typeof CreateTemplateRequest>;

/** `PUT /api/admin/templates/:id`: the template's next version. `id`, when given, must be the path's. */
export const UpdateTemplateRequest = z.strictObject({ id: TemplateId.optional(), ...templateFields });
export type UpdateTemplateRequest = z.infer<typeof UpdateTemplateRequest>;

/** `GET /api/templates/:id?version=n`. */
export const TemplateQuery = z.strictObject({
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

/** A template as listed: its current version. */
export interface TemplateSummary {
  readonly id: string;
  readonly type: DocumentType;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  /** When this version was made (ISO 8601). */
  readonly updatedAt: string;
}

/** One version of a template, with its content. */
export interface TemplateView extends TemplateSummary {
  readonly content: TemplateNode[];
  /** Who made this version; null for a built-in template loaded at first start. */
  readonly createdBy: { readonly id: string; readonly name: string } | null;
  /** The template's newest version (equal to `version` unless an older one was asked for). */
  readonly latestVersion: number;
}

/** What a document records of the template it started from. */
export interface DocumentTemplateRef {
  readonly id: string;
  readonly version: number;
  readonly name: string;
}

/**
 * A zod issue path as people read it: `content[3].attrs.level`.
 * (zod gives `['content', 3, 'attrs', 'level']`.)
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
