import { Extension } from '@tiptap/core';
import type { Command, Range } from '@tiptap/core';

/** The values the `dir` attribute of a text block may take. */
export type TextDirectionValue = 'auto' | 'ltr' | 'rtl';

const DIRECTIONS: readonly TextDirectionValue[] = ['auto', 'ltr', 'rtl'];

/** Narrows anything (an HTML attribute, a value a remote client wrote) to a direction; unknown values become 'auto'. */
export function toTextDirection(value: unknown): TextDirectionValue {
  return DIRECTIONS.includes(value as TextDirectionValue) ? (value as TextDirectionValue) : 'auto';
}

export interface TextDirectionOptions {
  /** Node types that get the `dir` attribute (text blocks). */
  types: string[];
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    // Keyed by our extension name. Tiptap core declares commands with the same
    // names and compatible signatures; ours replace them at runtime (extension
    // commands are merged after core ones) and only touch text blocks.
    blockDirection: {
      /** Sets `dir` on the text blocks in the selection (or the given position/range). */
      setTextDirection: (direction: TextDirectionValue, position?: number | Range) => ReturnType;
      /** Resets `dir` to 'auto' on the text blocks in the selection (or the given position/range). */
      unsetTextDirection: (position?: number | Range) => ReturnType;
    };
  }
}

/**
 * A `dir` attribute ('auto' | 'ltr' | 'rtl', default 'auto') on every text
 * block, always rendered, so that Arabic and other right-to-left text can be
 * marked per block and a browser picks the direction from content otherwise.
 *
 * Named 'blockDirection', not 'textDirection', because Tiptap core registers
 * its own (editor-wide, by default inert) extension under that name. Do not
 * also set the Editor's `textDirection` option: it would add a second `dir`.
 */
export const TextDirection = Extension.create<TextDirectionOptions>({
  name: 'blockDirection',

  addOptions() {
    return { types: [] };
  },

  addGlobalAttributes() {
    return [
      {
        types: this.options.types,
        attributes: {
          dir: {
            default: 'auto',
            // A new block (Enter) starts on 'auto', its direction read from what
            // is typed into it: an Arabic paragraph followed by an English one
            // must not leave the English one right-to-left (issue 12).
            keepOnSplit: false,
            parseHTML: (element) => toTextDirection(element.getAttribute('dir')),
            // Always rendered, and narrowed: a remote client can write any string.
            renderHTML: (attributes) => ({ dir: toTextDirection(attributes['dir']) }),
          },
        },
      },
    ];
  },

  addCommands() {
    const types = new Set(this.options.types);
    const apply =
      (direction: TextDirectionValue, position: number | Range | undefined): Command =>
      ({ tr, state, dispatch }) => {
        const { from, to } =
          typeof position === 'number'
            ? { from: position, to: position }
            : (position ?? { from: state.selection.from, to: state.selection.to });
        let found = false;
        tr.doc.nodesBetween(from, to, (node, pos) => {
          if (!types.has(node.type.name)) return true;
          found = true;
          if (dispatch && node.attrs['dir'] !== direction) {
            tr.setNodeMarkup(pos, undefined, { ...node.attrs, dir: direction });
          }
          return true;
        });
        return found;
      };
    return {
      setTextDirection: (direction, position) => apply(toTextDirection(direction), position),
      unsetTextDirection: (position) => apply('auto', position),
    };
  },
});

// ---- direction of exported blocks ----

// Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]|\uD802[\uDC00-\uDFFF]|\uD803[\uDC00-\uDE7F]|\uD83A[\uDC00-\uDFFF]/;
// A strong character of either direction (letters of any script; digits and punctuation are weak).
const STRONG = /\p{L}/u;

/** The direction of `text` as the Unicode bidi algorithm's first-strong rule reads it; null when it has no letter. */
export function firstStrongDirection(text: string): 'ltr' | 'rtl' | null {
  for (const ch of text) {
    if (RTL_LETTER.test(ch)) return 'rtl';
    if (STRONG.test(ch)) return 'ltr';
  }
  return null;
}

interface DirNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: DirNode[];
  [key: string]: unknown;
}

function textOf(node: DirNode): string {
  if (typeof node.text === 'string') return node.text;
  return (node.content ?? []).map(textOf).join(' ');
}

/**
 * A copy of ProseMirror JSON in which every text block whose `dir` is `auto`
 * says what a browser would pick (`rtl` or `ltr` from its first strong
 * letter; `auto` stays when it has none). Formats without an "auto"
 * direction (DOCX, ODT) need the answer spelled out; an explicit direction is
 * never changed.
 */
export function resolveAutoDirections<T extends DirNode>(json: T): T {
  const visit = (node: DirNode): DirNode => {
    const content = node.content?.map(visit);
    const dir = node.attrs?.['dir'];
    let attrs = node.attrs;
    if (dir === 'auto' && node.type !== undefined && node.type !== 'text') {
      const found = firstStrongDirection(textOf(node));
      if (found) attrs = { ...node.attrs, dir: found };
    }
    return { ...node, ...(attrs ? { attrs } : {}), ...(content ? { content } : {}) };
  };
  return visit(json) as T;
}
