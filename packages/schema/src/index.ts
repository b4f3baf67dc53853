export { BODY_FIELD, bodyFragment, bodySchema, docToJSON } from './body';
export { consensusSummaryHtml, docToHtml, escapeHtml, jsonToHtml, markerToHtml } from './html';
export type { DocToHtmlOptions, JsonToHtmlOptions } from './html';
export { Footnote, FOOTNOTE_LABELS_EN, FOOTNOTE_TYPE, footnoteNodes, footnotesOf, footnoteText } from './footnote';
export type { FootnoteLabels } from './footnote';
export { isSafeHref, LINK_PROTOCOLS } from './link';
export { normalizeForeignHtml } from './foreign/normalize';
export { foreignHtmlToJSON } from './foreign/parse';
export type { ForeignDocument, ForeignElement, ForeignNode } from './foreign/dom';
export { docToMarkdown, jsonDocToMarkdown } from './markdown';
export type { MarkdownOptions } from './markdown';
export {
  BLOCK_ID_ATTRIBUTE,
  BLOCK_TYPES,
  HEADING_LEVELS,
  MIN_COLUMN_WIDTH,
  schemaExtensions,
  TEXT_BLOCK_TYPES,
} from './schemaExtensions';
export type { SchemaExtensionsOptions } from './schemaExtensions';
export { firstStrongDirection, resolveAutoDirections, TextDirection, toTextDirection } from './textDirection';
export type { TextDirectionOptions, TextDirectionValue } from './textDirection';
export { readinessProblems, requiredFieldsOf } from './readiness';
export {
  FIELD_ATTRIBUTE,
  FIELD_KEY,
  FIELD_TYPES,
  fieldBlocks,
  fieldText,
  filledItems,
  fillNotStated,
  GUIDANCE_ATTRIBUTE,
  LIST_TYPES,
  MAX_GUIDANCE_LENGTH,
  MAX_ITEMS_ATTRIBUTE,
  MAX_ITEMS_LIMIT,
  NOT_STATED_ATTRIBUTE,
  REQUIRED_ATTRIBUTE,
  TEMPLATE_MESSAGES_EN,
  TemplateFields,
  toFieldKey,
  toGuidance,
  toMaxItems,
} from './templateFields';
export type { FieldBlock } from './templateFields';
export { templateBody } from './templateBody';
export { insertBlocks, missingBlocks, SEGMENT_TYPES, segmentsOf, translationBody } from './translation';
export type { Insertion, Segment } from './translation';
export type { ReadinessCheck, ReadinessContext, ReadinessProblem } from './readiness';
export {
  CONSENSUS_ATTRIBUTE,
  CONSENSUS_MESSAGES_EN,
  ConsensusAttribute,
  MARKABLE_TYPES,
  markableBlockAt,
  markedPassages,
  markerLacksViews,
  markerWording,
  plainText,
  sameMarker,
  shortQuote,
  toConsensusMarker,
  translateConsensusEn,
} from './consensus';
export type { ConsensusTranslate, MarkedPassage, MarkerScope, MarkerWording, MarkerWordingOptions } from './consensus';
export { Citation, CITATION_NODE, citationsOf, replaceCitations } from './citation';
export type { CitationAttributes, FoundCitation } from './citation';
