export { BODY_FIELD, bodyFragment, bodySchema, docToJSON } from './body';
export { docToHtml, escapeHtml } from './html';
export type { DocToHtmlOptions } from './html';
export { isSafeHref, LINK_PROTOCOLS } from './link';
export { docToMarkdown } from './markdown';
export {
  BLOCK_ID_ATTRIBUTE,
  BLOCK_TYPES,
  HEADING_LEVELS,
  schemaExtensions,
  TEXT_BLOCK_TYPES,
} from './schemaExtensions';
export type { SchemaExtensionsOptions } from './schemaExtensions';
export { TextDirection, toTextDirection } from './textDirection';
export type { TextDirectionOptions, TextDirectionValue } from './textDirection';
export { readinessProblems } from './readiness';
export type { ReadinessCheck, ReadinessProblem } from './readiness';
