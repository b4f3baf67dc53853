/** The URL schemes a link may use. Anything else (javascript:, data:, vbscript:, relative URLs) is refused. */
export const LINK_PROTOCOLS: readonly string[] = ['http', 'https', 'mailto'];

// Browsers ignore ASCII whitespace and control characters inside a scheme
// ("java\tscript:"), so they are removed before the scheme is read.
// eslint-disable-next-line no-control-regex
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

/** True when `href` is an absolute http, https or mailto URL. */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string') return false;
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(IGNORED_IN_URL, ''));
  return match !== null && LINK_PROTOCOLS.includes(match[1]!.toLowerCase());
}
