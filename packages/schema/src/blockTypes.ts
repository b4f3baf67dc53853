/** Every block node type: each carries a `blockId`. */
export const BLOCK_TYPES: readonly string[] = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'codeBlock',
  'horizontalRule',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
];

/** Block types that hold text (or directly hold blocks of text): each carries a `dir`. */
export const TEXT_BLOCK_TYPES: readonly string[] = [
  'paragraph',
  'heading',
  'blockquote',
  'listItem',
  'codeBlock',
  'tableHeader',
  'tableCell',
];
