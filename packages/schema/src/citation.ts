import { mergeAttributes, Node } from '@tiptap/core';
import type { Attribute, JSONContent } from '@tiptap/core';

/** The inline node that cites a passage of another document (issue 11): its source as data, never its text. */
export const CITATION_NODE = 'citation';

/** A citation's attributes: the source document and passage (block id), the hash of the passage as cited, and a short label (a session code). */
export interface CitationAttributes {
  readonly documentId: string;
  readonly blockId: string;
  /** SHA-256 of the passage's text when it was cited: "source changed" compares the live text with it. */
  readonly hash: string;
  /** What the citation reads as, e.g. `WS 12`: the session's code, never its title or text. */
  readonly label: string;
}

type Element = Parameters<NonNullable<Attribute['parseHTML']>>[0];

const attribute = (name: string, html: string): Record<string, Attribute> => ({
  [name]: {
    default: '',
    parseHTML: (element: Element) => element.getAttribute(html) ?? '',
    renderHTML: (attributes: Record<string, unknown>) => {
      const value = attributes[name];
      return typeof value === 'string' && value !== '' ? { [html]: value } : {};
    },
  },
});

/**
 * A citation (SPEC EV9): an atom inline after the message's own words, so
 * editing the message never loses it; the source is data (document id and
 * block id), resolved on the server for each reader — a link when they may
 * read the source, "source not public" otherwise. The document holds no
 * text of the source, so a reader of the messages learns nothing from it.
 */
export const Citation = Node.create({
  name: CITATION_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      ...attribute('documentId', 'data-source-document'),
      ...attribute('blockId', 'data-source-block'),
      ...attribute('hash', 'data-source-hash'),
      ...attribute('label', 'data-label'),
    };
  },
  parseHTML() {
    return [{ tag: 'cite[data-source-document]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['cite', mergeAttributes({ class: 'citation' }, HTMLAttributes), `[${String(node.attrs.label ?? '')}]`];
  },
  renderText({ node }) {
    return `[${String(node.attrs.label ?? '')}]`;
  },
});

/** A citation found in a document's JSON, with the id of the block it sits in. */
export interface FoundCitation extends CitationAttributes {
  /** The block (paragraph, heading…) holding it; null when that block has no id. */
  readonly inBlock: string | null;
}

/** Every citation of a body, in document order. */
export function citationsOf(json: JSONContent): FoundCitation[] {
  const out: FoundCitation[] = [];
  const walk = (node: JSONContent, block: string | null): void => {
    const id = typeof node.attrs?.blockId === 'string' ? (node.attrs.blockId as string) : block;
    if (node.type === CITATION_NODE) {
      const a = node.attrs ?? {};
      out.push({ documentId: String(a.documentId ?? ''), blockId: String(a.blockId ?? ''), hash: String(a.hash ?? ''), label: String(a.label ?? ''), inBlock: block });
      return;
    }
    for (const child of node.content ?? []) walk(child, id);
  };
  walk(json, null);
  return out;
}

/**
 * The body with each citation replaced as `replace` says (text nodes, a
 * link…): how the server resolves citations for one reader before
 * rendering an export or a page, so every format shows the same.
 */
export function replaceCitations(json: JSONContent, replace: (citation: CitationAttributes) => JSONContent[]): JSONContent {
  const walk = (node: JSONContent): JSONContent => {
    if (!node.content) return node;
    const content: JSONContent[] = [];
    for (const child of node.content) {
      if (child.type === CITATION_NODE) {
        const a = child.attrs ?? {};
        content.push(...replace({ documentId: String(a.documentId ?? ''), blockId: String(a.blockId ?? ''), hash: String(a.hash ?? ''), label: String(a.label ?? '') }));
      } else content.push(walk(child));
    }
    return { ...node, content };
  };
  return walk(json);
}
