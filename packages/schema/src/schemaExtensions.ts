import type { AnyExtension } from '@tiptap/core';
import { Link } from '@tiptap/extension-link';
import { Subscript } from '@tiptap/extension-subscript';
import { Superscript } from '@tiptap/extension-superscript';
import { TableKit } from '@tiptap/extension-table';
import { AttributedTableView } from './tableView';
import { UniqueID } from '@tiptap/extension-unique-id';
import type { Transaction } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

import { Citation } from './citation';
import { ConsensusAttribute } from './consensus';
import { Footnote } from './footnote';
import { isSafeHref } from './link';
import { BLOCK_TYPES, TEXT_BLOCK_TYPES } from './blockTypes';
import { TemplateFields } from './templateFields';
import { TextDirection } from './textDirection';

/** The attribute holding a block's stable id; rendered to HTML as `data-block-id`. */
export const BLOCK_ID_ATTRIBUTE = 'blockId';

export { BLOCK_TYPES, TEXT_BLOCK_TYPES } from './blockTypes';

/** Heading levels the schema allows; other levels render as the first. */
export const HEADING_LEVELS = [1, 2, 3, 4] as const;

export interface SchemaExtensionsOptions {
  /**
   * Whether to include the plugin that gives new blocks an id (default true).
   * With false the `blockId` attribute stays in the schema but nothing
   * generates ids: for the server, which renders and must never edit.
   */
  uniqueIds?: boolean;
  /**
   * Whether tables' column borders can be dragged to set column widths
   * (default false): a view plugin for the editor; the widths themselves
   * (`colwidth` of each cell) are in the schema either way.
   */
  resizableTables?: boolean;
}

/**
 * UniqueID renders its attribute as `data-${attributeName}`, which would be
 * `data-blockId`; HTML attribute names are case-insensitive, so we render and
 * parse the conventional `data-block-id` instead. Name, options and plugin
 * stay UniqueID's (so its `generateUniqueIds` helper still finds it).
 */
const BlockId = UniqueID.extend({
  /**
   * UniqueID's own onCreate gives an id to every block that lacks one once
   * the provider has synced, and so writes the empty paragraph of a new,
   * empty document into the shared fragment before anyone types: two people
   * opening a new document together then keep two paragraphs for good (the
   * "every client seeds the initial content" trap). Blocks get their id from
   * the appendTransaction plugin when someone edits them instead.
   */
  onCreate() {},
  addGlobalAttributes() {
    const types = this.options.types === 'all' ? [] : [...this.options.types];
    return [
      {
        types,
        attributes: {
          [BLOCK_ID_ATTRIBUTE]: {
            default: null,
            parseHTML: (element) => element.getAttribute('data-block-id'),
            renderHTML: (attributes) => {
              const id: unknown = attributes[BLOCK_ID_ATTRIBUTE];
              return typeof id === 'string' && id !== '' ? { 'data-block-id': id } : {};
            },
          },
        },
      },
    ];
  },
});

/**
 * Tiptap's link mark is inclusive whenever autolink is on, so text typed
 * right after a link (by this person or, through Yjs, by a co-editor whose
 * caret sits there) joined the link and went with it into every export.
 * Ours ends where it ends; autolink still links a URL once it is typed out.
 */
const BoundedLink = Link.extend({
  inclusive() {
    return false;
  },
});

/**
 * Transactions that y-sync made from remote (or Yjs undo) changes must not
 * get new ids: every client would assign its own to the same block, and the
 * concurrent writes would fight. The author's own client assigns them.
 */
function isLocalTransaction(tr: Transaction): boolean {
  const meta: unknown = tr.getMeta(ySyncPluginKey);
  return !(typeof meta === 'object' && meta !== null && (meta as { isChangeOrigin?: unknown }).isChangeOrigin);
}

/**
 * The document schema as Tiptap extensions, shared by the editor (as its
 * extension list, together with Collaboration) and the server (to build a
 * schema and render). Returns new extension instances on every call.
 */
/** The narrowest a column may be set (px), by dragging or by the toolbar. */
export const MIN_COLUMN_WIDTH = 48;

export function schemaExtensions(options: SchemaExtensionsOptions = {}): AnyExtension[] {
  const uniqueIds = options.uniqueIds ?? true;
  return [
    StarterKit.configure({
      // Yjs undo (through Collaboration) replaces ProseMirror history.
      undoRedo: false,
      // TrailingNode appends a paragraph from appendTransaction; with several
      // clients applying the same remote change, each would append its own.
      trailingNode: false,
      heading: { levels: [...HEADING_LEVELS] },
      // Added below, not inclusive.
      link: false,
    }),
    BoundedLink.configure({
      protocols: [],
      defaultProtocol: 'https',
      autolink: true,
      openOnClick: false,
      HTMLAttributes: { target: '_blank', rel: 'noopener noreferrer nofollow', class: null },
      isAllowedUri: (url) => isSafeHref(url),
    }),
    // Footnote markers, ordinals, chemical formulae: kept from pastes and imports, and in every export.
    Superscript,
    Subscript,
    TableKit.configure({ table: { resizable: options.resizableTables ?? false, cellMinWidth: MIN_COLUMN_WIDTH, View: AttributedTableView } }),
    TextDirection.configure({ types: [...TEXT_BLOCK_TYPES] }),
    BlockId.configure({
      attributeName: BLOCK_ID_ATTRIBUTE,
      types: [...BLOCK_TYPES],
      filterTransaction: isLocalTransaction,
      updateDocument: uniqueIds,
    }),
    ConsensusAttribute.configure(),
    TemplateFields.configure(),
    Footnote.configure(),
    Citation,
  ];
}
