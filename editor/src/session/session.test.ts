import { ApiError } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { sessionFromMeError } from './SessionContext';

describe('sessionFromMeError', () => {
  it('reads 401 as a server with accounts and nobody signed in', () => {
    expect(sessionFromMeError(new ApiError(401, 'unauthenticated', 'Sign in'))).toEqual({ kind: 'signed-out' });
  });

  it('reads 404, server errors and no answer as the anonymous experience (never a sign-in page)', () => {
    expect(sessionFromMeError(new ApiError(404, 'not_found', 'Not found'))).toEqual({ kind: 'no-accounts' });
    expect(sessionFromMeError(new ApiError(502, 'http_502', 'Bad Gateway'))).toEqual({ kind: 'no-accounts' });
    expect(sessionFromMeError(new ApiError(0, 'network', 'Failed to fetch'))).toEqual({ kind: 'no-accounts' });
  });
});
