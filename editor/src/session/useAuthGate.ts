import { ApiError } from '@rapporteur/client/http';
import { useCallback } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { authPath } from './nextPath';
import { useSession } from './SessionContext';

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * Ends the session and goes to the sign-in page, which returns to the
 * current page afterwards. Only for answers that say "not signed in" (an API
 * 401, a socket closed with 4401): servers without accounts never give them.
 */
export function useSignInRedirect(): () => void {
  const navigate = useNavigate();
  const location = useLocation();
  const { markSignedOut } = useSession();
  const here = location.pathname + location.search + location.hash;
  return useCallback(() => {
    markSignedOut();
    void navigate(authPath('signin', here), { replace: true });
  }, [navigate, markSignedOut, here]);
}

/** A handler for failed API calls: a 401 goes to sign-in (see useSignInRedirect). True when it handled the error. */
export function useAuthGate(): (error: unknown) => boolean {
  const redirect = useSignInRedirect();
  return useCallback(
    (error: unknown) => {
      if (!isUnauthenticated(error)) return false;
      redirect();
      return true;
    },
    [redirect],
  );
}
