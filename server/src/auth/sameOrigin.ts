/**
 * True when the request's Origin (or Sec-Fetch-Site) says it comes from this
 * server's own pages. `host` is the host the request was addressed to
 * (behind a trusted proxy, the forwarded one). Shared with the sync socket,
 * where it stops cross-site WebSocket hijacking.
 */
export function isSameOrigin(header: (name: string) => string | undefined, host: string | undefined): boolean {
  const site = header('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = header('origin');
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
