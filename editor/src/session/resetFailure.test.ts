import { ApiError } from '@rapporteur/client/http';
import { describe, expect, it } from 'vitest';
import { resetFailure } from './resetFailure';

describe('resetFailure (SPEC A10)', () => {
  it('sends a used or expired link back to asking for a new one', () => {
    expect(resetFailure(new ApiError(410, 'reset_link_invalid', 'expired'))).toEqual({ kind: 'invalid' });
  });

  it("shows a refused password's reason next to the field, in the page's language when the server names the rule", () => {
    const weak = new ApiError(400, 'weak_password', 'This password is one of the most commonly used…', [{ path: 'password', reason: 'common' }]);
    expect(resetFailure(weak)).toEqual({ kind: 'password', problem: 'passwordCommon' });
    expect(resetFailure(new ApiError(400, 'weak_password', 'Some new rule'))).toEqual({ kind: 'password', problem: 'Some new rule' });
  });

  it('says when to try again, and anything else as an error', () => {
    expect(resetFailure(new ApiError(429, 'rate_limited', 'slow down'))).toEqual({ kind: 'message', key: 'signin.rateLimited' });
    expect(resetFailure(new ApiError(503, 'busy', 'busy'))).toEqual({ kind: 'message', key: 'signin.busy' });
    expect(resetFailure(new ApiError(0, 'network', 'offline'))).toEqual({ kind: 'message', key: 'reset.error', message: 'offline' });
  });
});
