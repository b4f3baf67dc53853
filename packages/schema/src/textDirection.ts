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
