import { CloseCode } from '@rapporteur/protocol';

/**
 * What a refused sync connection (close codes 4400–4499, see
 * packages/protocol/PROTOCOL.md) means for the person at the document:
 * - `signIn`: not signed in, or the session was revoked (4401) → the sign-in page;
 * - `accessRemoved`: no access to this document any more (4403), e.g. the
 *   owner removed them while it was open;
 * - `notFound`: the document does not exist (4404) → the not-found page;
 * - `tooLarge`: the document reached the server's size limit (4414);
 * - `other`: anything else (a malformed frame, an unsupported version…).
 */
export type RefusalKind = 'signIn' | 'accessRemoved' | 'notFound' | 'tooLarge' | 'other';

export function refusalKind(code: number): RefusalKind {
  switch (code) {
    case CloseCode.unauthenticated:
      return 'signIn';
    case CloseCode.forbidden:
      return 'accessRemoved';
    case CloseCode.documentNotFound:
      return 'notFound';
    case CloseCode.documentTooLarge:
      return 'tooLarge';
    default:
      return 'other';
  }
}

/** The i18n key of the notice shown on the document page for a refusal that stays on it. */
export function refusalNoticeKey(kind: 'accessRemoved' | 'tooLarge' | 'other'): 'refusal.accessRemoved' | 'refusal.tooLarge' | 'refusal.other' {
  return `refusal.${kind}`;
}
