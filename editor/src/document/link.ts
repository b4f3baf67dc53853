/** What became of the address a person typed for a link. */
export type LinkInput =
  | { readonly kind: 'link'; readonly href: string }
  /** Nothing typed: remove the link. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid' };

const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const EMAIL = /^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/;
// A bare host name such as "intgovforum.org" or "www.un.org/path".
const BARE_HOST = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#]\S*)?$/u;

/**
 * Turns what a person typed into a link address, allowing only http, https
 * and mailto. A bare host gets `https://`, a bare e-mail address `mailto:`.
 * Anything with whitespace or control characters inside is refused rather
 * than cleaned up, so what is linked is exactly what was shown.
 */
export function parseLinkInput(input: string): LinkInput {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return { kind: 'invalid' };

  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return checked(text);
  if (EMAIL.test(text)) return checked(`mailto:${text}`);
  if (BARE_HOST.test(text)) return checked(`https://${text}`);
  return { kind: 'invalid' };
}

function checked(candidate: string): LinkInput {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { kind: 'invalid' };
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return { kind: 'invalid' };
  if (url.protocol === 'mailto:') {
    return url.pathname.length > 0 ? { kind: 'link', href: candidate } : { kind: 'invalid' };
  }
  if (url.hostname === '' || !/^https?:\/\//i.test(candidate)) return { kind: 'invalid' };
  return { kind: 'link', href: url.href };
}
