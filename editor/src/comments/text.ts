/**
 * A comment body is plain text with mentions (`@[Name](userId)`) and links.
 * It is shown as React text nodes, never as HTML: these are the pieces.
 * (The mention pattern is the protocol's MENTION_PATTERN, repeated here so
 * the header's notifications do not load the protocol and zod; a test keeps
 * them equal.)
 */
export const MENTION = /@\[([^\]\n]{1,120})\]\(([A-Za-z0-9_-]{1,64})\)/g;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

export type BodyPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'mention'; readonly name: string; readonly userId: string }
  | { readonly kind: 'link'; readonly href: string };

function textAndLinks(text: string, out: BodyPart[]): void {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let href = match[0];
    const trailing = TRAILING.exec(href)?.[0] ?? '';
    // A closing parenthesis belongs to the address when it opened one: https://en.wikipedia.org/wiki/IGF_(forum)
    const keep = trailing.startsWith(')') && href.includes('(') ? 1 : 0;
    href = href.slice(0, href.length - trailing.length + keep);
    const start = match.index;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    if (isHttpUrl(href)) out.push({ kind: 'link', href });
    else out.push({ kind: 'text', text: href });
    last = start + href.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The body's mentions, links and the text around them, in order. */
export function parseCommentBody(body: string): BodyPart[] {
  const out: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(MENTION)) {
    if (match.index > last) textAndLinks(body.slice(last, match.index), out);
    out.push({ kind: 'mention', name: match[1]!, userId: match[2]! });
    last = match.index + match[0].length;
  }
  if (last < body.length) textAndLinks(body.slice(last), out);
  return out;
}

/** The body as a person reads it, mentions as "@Name" (for excerpts and accessible names). */
export function plainBody(body: string): string {
  return body.replace(MENTION, (_m, name: string) => `@${name}`);
}

/** A mention as it is written into a body. Brackets and parentheses in the name are dropped so it parses back. */
export function mentionText(name: string, userId: string): string {
  const clean = name.replace(/[[\]()\n]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) || userId;
  return `@[${clean}](${userId})`;
}

/**
 * The mention being typed at `caret`: an `@` at the start or after a space,
 * then up to 40 characters without a line break or another `@`. Null when
 * the caret is not in one.
 */
export function mentionQuery(value: string, caret: number): { readonly start: number; readonly query: string } | null {
  const before = value.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@[\]()]/.test(query)) return null;
  return { start: at, query };
}

/** `value` with the mention typed from `start` to `caret` replaced; the caret goes after it and a space. */
export function insertMention(value: string, start: number, caret: number, name: string, userId: string): { value: string; caret: number } {
  const mention = `${mentionText(name, userId)} `;
  const after = value.slice(caret).replace(/^ /, '');
  return { value: value.slice(0, start) + mention + after, caret: start + mention.length };
}
