import { ApiError } from '@rapporteur/client/http';
import { type FieldProblem, weakPasswordProblem } from './forms';

/** How the reset page shows a failed attempt to set a new password. */
export type ResetFailure =
  /** The link is unknown, used or expired: offer to ask for a new one. */
  | { readonly kind: 'invalid' }
  /** The password was refused: say why next to the field. */
  | { readonly kind: 'password'; readonly problem: FieldProblem | string }
  /** Anything else: a sentence above the form. */
  | { readonly kind: 'message'; readonly key: 'signin.rateLimited' | 'signin.busy' | 'reset.error'; readonly message?: string };

export function resetFailure(error: unknown): ResetFailure {
  if (error instanceof ApiError) {
    if (error.status === 410 || error.code === 'reset_link_invalid') return { kind: 'invalid' };
    if (error.code === 'weak_password') return { kind: 'password', problem: weakPasswordProblem(error.details) ?? error.message };
    if (error.status === 429 || error.code === 'rate_limited') return { kind: 'message', key: 'signin.rateLimited' };
    if (error.code === 'busy') return { kind: 'message', key: 'signin.busy' };
  }
  return { kind: 'message', key: 'reset.error', message: error instanceof Error ? error.message : String(error) };
}
