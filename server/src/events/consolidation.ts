import crypto from 'node:crypto';
import type { Language } from '@rapporteur/i18n';
import { translatorFor } from '@rapporteur/i18n';
import type { DocumentId, TakeawayKind } from '@rapporteur/protocol';
import { type CitationAttributes, citationsOf, type docToJSON, plainText, replaceCitations } from '@rapporteur/schema';

type JSONContent = ReturnType<typeof docToJSON>;

/**
 * Consolidation (issue 11, SPEC EV8–EV10): the takeaways of session reports,
 * citations of them in a messages document, and what a citation shows each
 * reader. Pure functions; the routes read the documents and ask the policy.
 */

/** The fields of the session-report template whose items are takeaways. */
export const TAKEAWAY_FIELDS: Readonly<Record<string, TakeawayKind>> = { 'key-takeaways': 'takeaway', 'calls-to-action': 'call-to-action' };

/** SHA-256 (hex) of a passage's text, whitespace collapsed: what a citation records and compares (EV9). */
export function passageHash(text: string): string {
  return crypto.createHash('sha256').update(normalText(text)).digest('hex');
}

const normalText = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

const idOf = (node: JSONContent): string | null => (typeof node.attrs?.blockId === 'string' && node.attrs.blockId !== '' ? (node.attrs.blockId as string) : null);

/**
 * The takeaways of a report (EV8): each non-empty item of its `key-takeaways`
 * and `calls-to-action` lists, as the block id of the item's first paragraph
 * and its text, in document order.
 */
export function extractTakeaways(body: JSONContent): { blockId: string; kind: TakeawayKind; text: string }[] {
  const out: { blockId: string; kind: TakeawayKind; text: string }[] = [];
  const visit = (node: JSONContent): void => {
    const field = node.attrs?.field;
    const kind = typeof field === 'string' ? TAKEAWAY_FIELDS[field] : undefined;
    if (kind && (node.type === 'orderedList' || node.type === 'bulletList')) {
      for (const item of node.content ?? []) {
        const paragraph = item.content?.[0];
        const id = paragraph ? idOf(paragraph) : null;
        const text = normalText(plainText(item));
        if (id && text !== '') out.push({ blockId: id, kind, text });
      }
      return;
    }
    for (const child of node.content ?? []) visit(child);
  };
  visit(body);
  return out;
}

/** The text of the block with id `blockId` (a paragraph, heading, list item's paragraph), or null when the document has none. */
export function blockText(body: JSONContent, blockId: string): string | null {
  let found: string | null = null;
  const visit = (node: JSONContent): void => {
    if (found !== null) return;
    if (idOf(node) === blockId) {
      found = normalText(plainText(node));
      return;
    }
    for (const child of node.content ?? []) visit(child);
  };
  visit(body);
  return found;
}

export interface DiffPart {
  readonly type: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

/** A word-level difference from `before` to `after` (longest common subsequence of words; spaces kept with their word). */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = before.match(/\S+\s*/g) ?? [];
  const b = after.match(/\S+\s*/g) ?? [];
  const key = (w: string) => w.trim();
  // Passages are short (a takeaway); a plain LCS table is enough.
  const m = a.length;
  const n = b.length;
  const lcs = Array.from({ length: m + 1 }, () => new Uint16Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffPart[] = [];
  const push = (type: DiffPart['type'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.type === type) out[out.length - 1] = { type, text: last.text + text };
    else out.push({ type, text });
  };
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (key(a[i]!) === key(b[j]!)) {
      push('equal', b[j]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('delete', a[i++]!);
    else push('insert', b[j++]!);
  }
  while (i < m) push('delete', a[i++]!);
  while (j < n) push('insert', b[j++]!);
  return out;
}

/** What the reader may know of a citation's source. */
export type SourceAccess = { readonly readable: false } | { readonly readable: true; readonly href: string | null };

/**
 * The body with each citation written out for one reader (EV10): `[label]`,
 * linked to the source when the reader may read it and the server knows its
 * address; `[label — source not public]` otherwise. Nothing of the source's
 * title or text is ever added.
 */
export async function resolveCitations(body: JSONContent, access: (c: CitationAttributes) => Promise<SourceAccess>, language: Language): Promise<JSONContent> {
  const found = citationsOf(body);
  if (found.length === 0) return body;
  const known = new Map<string, SourceAccess>();
  for (const c of found) if (!known.has(c.documentId)) known.set(c.documentId, await access(c));
  const t = translatorFor(language);
  return replaceCitations(body, (c) => {
    const a = known.get(c.documentId);
    if (!a?.readable) return [{ type: 'text', text: `[${t('server.events.citation.notPublic', { label: c.label })}]` }];
    const text = `[${c.label}]`;
    return a.href ? [{ type: 'text', text, marks: [{ type: 'link', attrs: { href: `${a.href}#${c.blockId}` } }] }] : [{ type: 'text', text }];
  });
}

export type { DocumentId };
