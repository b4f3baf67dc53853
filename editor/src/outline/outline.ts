import type { Node as PMNode } from '@tiptap/pm/model';

/** One heading of the document, for the outline. */
export interface OutlineEntry {
  /** Its stable id (null until a client gave it one). */
  readonly blockId: string | null;
  readonly level: number;
  readonly text: string;
  /** Its position in the ProseMirror document. */
  readonly pos: number;
}

/** Every heading, in document order (also inside blockquotes and list items). Visits blocks, never text. */
export function outlineOf(doc: PMNode): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'heading') {
      const level = Number(node.attrs['level']);
      const id: unknown = node.attrs['blockId'];
      entries.push({ blockId: typeof id === 'string' && id !== '' ? id : null, level: Number.isInteger(level) ? level : 1, text: node.textContent.trim(), pos });
      return false;
    }
    return !node.isTextblock;
  });
  return entries;
}

/** The index of the heading whose section holds `pos` (the last heading at or before it); -1 before the first. */
export function sectionAt(entries: readonly OutlineEntry[], pos: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface TextCounts {
  readonly words: number;
  /** Characters as people count them (grapheme clusters), spaces included. */
  readonly characters: number;
}

/**
 * Words and characters of `text` in `language`: words as the language
 * segments them (Chinese has no spaces between words), characters as
 * grapheme clusters (an emoji or an accented letter is one).
 */
export function countText(text: string, language: string): TextCounts {
  let words = 0;
  for (const s of new Intl.Segmenter(language, { granularity: 'word' }).segment(text)) if (s.isWordLike) words++;
  let characters = 0;
  for (const _ of new Intl.Segmenter(language, { granularity: 'grapheme' }).segment(text)) characters++;
  return { words, characters };
}

/** The document's text for counting: blocks separated by a line break, so words do not run together across them. */
export function countableText(doc: PMNode): string {
  return doc.textBetween(0, doc.content.size, '\n', ' ');
}
