import { ApiError, type User } from '@rapporteur/client/http';
import { clearOfflineCopies } from '@rapporteur/client/offline';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';

/**
 * Who is using the app:
 * - `loading`: `GET /api/me` has not answered yet;
 * - `signed-in`: with the account;
 * - `signed-out`: the server has accounts (me answered 401);
 * - `no-accounts`: the server has no accounts (me answered 404) or could not
 *   be asked (offline): the anonymous experience, with a local name and colour.
 * Nothing here sends anyone to the sign-in page by itself: only an API call
 * answered 401 does (see useAuthGate).
 */
export type Session =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signed-in'; readonly user: User }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'no-accounts' };

interface SessionValue {
  readonly session: Session;
  /** After signing in or up, or saving the profile. */
  readonly setUser: (user: User) => void;
  /** After an API call answered 401: the session ended (expired, revoked) or never was. */
  readonly markSignedOut: () => void;
  /**
   * Ends the session on the server, then deletes this browser's offline
   * copies of documents (IndexedDB and pending counts), so a shared computer
   * keeps nothing of them. Rejects, keeping both, when the server cannot be told.
   */
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** What `GET /api/me`'s failure says about the server. */
export function sessionFromMeError(error: unknown): Session {
  if (error instanceof ApiError && error.status === 401) return { kind: 'signed-out' };
  return { kind: 'no-accounts' };
}

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: Session }) {
  const api = useApi();
  const [session, setSession] = useState<Session>(initial ?? { kind: 'loading' });

  useEffect(() => {
    if (initial) return;
    let cancelled = false;
    api.me().then(
      (user) => !cancelled && setSession({ kind: 'signed-in', user }),
      (error: unknown) => !cancelled && setSession(sessionFromMeError(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, initial]);

  const setUser = useCallback((user: User) => setSession({ kind: 'signed-in', user }), []);
  const markSignedOut = useCallback(() => setSession({ kind: 'signed-out' }), []);
  const signOut = useCallback(async () => {
    await api.logOut();
    await clearOfflineCopies();
    setSession({ kind: 'signed-out' });
  }, [api]);

  const value = useMemo(() => ({ session, setUser, markSignedOut, signOut }), [session, setUser, markSignedOut, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in person, or null. */
export function useCurrentUser(): User | null {
  const { session } = useSession();
  return session.kind === 'signed-in' ? session.user : null;
}
