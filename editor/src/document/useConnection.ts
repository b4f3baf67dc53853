import { type Connection, connect } from '@rapporteur/client/connect';
import { useEffect, useState } from 'react';

/** The sync endpoint on the page's own host (the dev server proxies it). */
export function collabUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/collab';
}

/**
 * Opens the document's sync connection for as long as the calling component
 * is mounted, with an offline copy in IndexedDB. Null until the effect ran.
 * The connection is made in an effect, not during render, so StrictMode's
 * second mount gets a fresh one after the first is destroyed.
 */
export function useConnection(documentId: string): Connection | null {
  const [connection, setConnection] = useState<Connection | null>(null);
  useEffect(() => {
    const next = connect(documentId, { url: collabUrl(), offline: true, connect: false });
    // Open the socket a tick later: StrictMode's throwaway first mount is
    // cleaned up before then, so it never opens a socket just to close it.
    const timer = setTimeout(() => next.provider.connect(), 0);
    setConnection(next);
    return () => {
      clearTimeout(timer);
      setConnection(null);
      next.destroy();
    };
  }, [documentId]);
  return connection;
}
