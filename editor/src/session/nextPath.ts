/**
 * Where to go after signing in: only a path on this site (`/…`, not `//…`,
 * which a browser reads as another host, nor `/\…`, which some read the same
 * way). Anything else, or nothing, gives `/`. Control characters are refused
 * too, so a crafted `next` can never leave the site.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || raw === '') return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw) || raw.includes('\\')) return '/';
  // The sign-in pages themselves would loop.
  const pathname = raw.split(/[?#]/)[0] ?? '';
  if (pathname === '/signin' || pathname === '/signup') return '/';
  return raw;
}

/** `/signin?next=…` (or `/signup?next=…`) returning to `current`; `next` is left out when it is `/`. */
export function authPath(page: 'signin' | 'signup', current: string): string {
  const next = safeNextPath(current);
  return next === '/' ? `/${page}` : `/${page}?next=${encodeURIComponent(next)}`;
}

/** The invite code when `next` points at an invite link (`/invite/<code>`), so sign-up can pass it on. */
export function inviteCodeFromNext(next: string): string | null {
  const m = /^\/invite\/([^/?#]+)/.exec(next);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}
