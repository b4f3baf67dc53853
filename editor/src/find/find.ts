import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState, Transaction } from '@tiptap/pm/state';

// Find and replace (issue 14, SPEC FR1–FR4), apart from React so it can be
// tested alone: matches within each paragraph (across bold, links and other
// marks; never across paragraphs; an inline atom — footnote, citation —
// breaks a match), and replacement that leaves alone what a comment depends on.

export interface FindOptions {
  readonly caseSensitive: boolean;
  /** Only whole words: the match is not preceded or followed by a letter, digit or underscore. */
  readonly wholeWord: boolean;
}

export interface Match {
  readonly from: number;
  readonly to: number;
}

/** Stand-in for an inline atom in a paragraph's text: nothing typed into a query matches it. */
const ATOM = '\ufffc';
/** More matches than this are not listed (a query of one letter in 100 pages); the count says "more than". */
export const MAX_MATCHES = 10_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The expression a query searches with; null for an empty query. */
export function queryPattern(query: string, options: FindOptions): RegExp | null {
  if (query.length === 0) return null;
  const body = escapeRegExp(query);
  const word = options.wholeWord ? `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])` : body;
  return new RegExp(word, options.caseSensitive ? 'gu' : 'giu');
}

/** Every match of the query in the document, in order (at most MAX_MATCHES + 1, so "more than" can be said). */
export function findMatches(doc: PMNode, query: string, options: FindOptions): Match[] {
  const pattern = queryPattern(query, options);
  if (!pattern) return [];
  const out: Match[] = [];
  doc.descendants((node, pos) => {
    if (out.length > MAX_MATCHES) return false;
    if (!node.isTextblock) return true;
    // Offsets in `text` are offsets in the paragraph's content: one character per text character, one per atom.
    const text = node.textBetween(0, node.content.size, undefined, ATOM);
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      out.push({ from: pos + 1 + m.index, to: pos + 1 + m.index + m[0].length });
      if (out.length > MAX_MATCHES) break;
    }
    return false;
  });
  return out;
}

/** The match at or after `pos` (wrapping to the first); -1 when there is none. */
export function matchAtOrAfter(matches: readonly Match[], pos: number): number {
  if (matches.length === 0) return -1;
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.from < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo === matches.length ? 0 : lo;
}

/**
 * What a comment depends on: the passage an open suggestion proposes new
 * wording for (replacing inside it would make accepting it replace other
 * words), and every open comment's passage, which a replacement covering it
 * whole would remove.
 */
export interface Protected {
  readonly suggestions: readonly Match[];
  readonly comments: readonly Match[];
}

export type Hold = 'suggestion' | 'comment' | null;

/** Why a match must be left as it is, or null when it may be replaced. */
export function holdOf(match: Match, guard: Protected): Hold {
  if (guard.suggestions.some((s) => match.from < s.to && s.from < match.to)) return 'suggestion';
  if (guard.comments.some((c) => match.from <= c.from && c.to <= match.to)) return 'comment';
  return null;
}

/**
 * One transaction replacing every match that may be replaced (one undo
 * step), last first so positions hold; each replacement keeps the marks of
 * the text it replaces. Says how many were replaced and how many held.
 */
export function replaceAll(
  state: EditorState,
  matches: readonly Match[],
  replacement: string,
  guard: Protected,
): { tr: Transaction; replaced: number; held: number } {
  const tr = state.tr;
  let replaced = 0;
  let held = 0;
  for (let i = matches.length - 1; i >= 0; i--) {
    const m = matches[i]!;
    if (holdOf(m, guard) !== null) {
      held++;
      continue;
    }
    replaceOne(tr, m, replacement);
    replaced++;
  }
  return { tr, replaced, held };
}

/** Replaces one match in `tr`, with the marks of its first character (an empty replacement deletes it). */
export function replaceOne(tr: Transaction, match: Match, replacement: string): Transaction {
  if (replacement.length === 0) return tr.delete(match.from, match.to);
  const marks = tr.doc.resolve(match.from + 1).marks();
  return tr.replaceWith(match.from, match.to, tr.doc.type.schema.text(replacement, marks));
}
