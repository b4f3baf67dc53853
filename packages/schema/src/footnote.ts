import { mergeAttributes, Node } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';

/**
 * Footnotes (issue 14, SPEC FN1–FN5): an inline node whose content is the
 * note's text, placed where its reference mark goes. Its number is never
 * stored: it is the node's place among the document's footnotes, so notes
 * renumber themselves as text moves, in the editor and in every export.
 *
 * The note's text is content of the body (a Y.XmlElement with its text in
 * the shared Y.Doc), not an attribute: co-editors type in it together,
 * comments anchor in it, and history, authorship and search see it like any
 * other text.
 */

/** The node type's name. */
export const FOOTNOTE_TYPE = 'footnote';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    footnote: {
      /**
       * Inserts a footnote at the end of the selection (after the selected
       * text, as word processors do) with `text` as its note (default empty),
       * and puts the caret at the end of the note's text. False where a
       * footnote cannot go (inside another footnote, in a code block).
       */
      insertFootnote: (text?: string) => ReturnType;
    };
  }
}

export const Footnote = Node.create({
  name: FOOTNOTE_TYPE,
  group: 'inline',
  inline: true,
  // Plain text with marks: no footnote in a footnote, no line breaks (a
  // note is one paragraph in every format we write).
  content: 'text*',
  selectable: true,
  draggable: false,
  // Editing commands (joining, lifting, deleting backwards) do not cross its edges.
  isolating: true,

  parseHTML() {
    return [{ tag: 'span[data-footnote]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { 'data-footnote': '', class: 'footnote' }), 0];
  },

  addCommands() {
    return {
      insertFootnote:
        (text = '') =>
        ({ state, tr, dispatch }) => {
          const type = state.schema.nodes[FOOTNOTE_TYPE];
          if (!type) return false;
          const $to = state.selection.$to;
          const index = $to.index();
          if (!$to.parent.canReplaceWith(index, index, type)) return false;
          if (dispatch) {
            const pos = $to.pos;
            const note = type.create(null, text === '' ? null : state.schema.text(text));
            tr.insert(pos, note);
            tr.setSelection(TextSelection.create(tr.doc, pos + 1 + note.content.size));
            tr.scrollIntoView();
          }
          return true;
        },
    };
  },
});

/** Each footnote node of a ProseMirror document with its position, in document order (numbers are index + 1). */
export function footnotesOf(doc: PMNode): Array<{ node: PMNode; pos: number }> {
  const out: Array<{ node: PMNode; pos: number }> = [];
  doc.descendants((node, pos) => {
    if (node.type.name === FOOTNOTE_TYPE) {
      out.push({ node, pos });
      return false;
    }
    // Text blocks hold inline content only: no need to look at text nodes one by one unless a footnote is there.
    return !node.isTextblock || containsFootnote(node);
  });
  return out;
}

function containsFootnote(block: PMNode): boolean {
  let found = false;
  block.forEach((child) => {
    if (child.type.name === FOOTNOTE_TYPE) found = true;
  });
  return found;
}

/** Each footnote node of ProseMirror JSON, in document order (its number is its index + 1). */
export function footnoteNodes(json: JSONContent): JSONContent[] {
  const out: JSONContent[] = [];
  const walk = (node: JSONContent): void => {
    if (node.type === FOOTNOTE_TYPE) {
      out.push(node);
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(json);
  return out;
}

/** A footnote's text without marks. */
export function footnoteText(node: JSONContent): string {
  return (node.content ?? []).map((c) => c.text ?? '').join('');
}

/**
 * The words of footnotes and exports: the notes' heading, a reference's
 * accessible name, the link back from a note. English by default; the server
 * passes the document's language from the catalog (`server.page.footnotes`).
 */
export interface FootnoteLabels {
  /** The heading of the notes at the end ("Notes"). */
  readonly title: string;
  /** A reference's accessible name ("Note 3"). */
  readonly reference: (number: number) => string;
  /** The link from a note back to its reference ("Back to the text of note 3"). */
  readonly back: (number: number) => string;
}

export const FOOTNOTE_LABELS_EN: FootnoteLabels = {
  title: 'Notes',
  reference: (n) => `Note ${n}`,
  back: (n) => `Back to the text of note ${n}`,
};
