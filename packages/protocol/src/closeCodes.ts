/**
 * WebSocket close codes used on the sync socket. See PROTOCOL.md.
 *
 * Stock y-websocket clients reconnect after any close; ours (packages/client)
 * stop reconnecting on 4400–4499 (permanent refusal: retrying the same thing
 * cannot succeed) and back off on 4500–4599 (try again later).
 */
export const CloseCode = {
  /** A frame that is not a well-formed message of this protocol. */
  malformedMessage: 4400,
  /** The socket did not prove who it is (accounts arrive with issue 3). */
  unauthenticated: 4401,
  /** The caller may not open this document. */
  forbidden: 4403,
  /** No document with this id exists. */
  documentNotFound: 4404,
  /** The client asked for a protocol version the server does not speak. */
  unsupportedProtocolVersion: 4406,
  /** A frame larger than the message size limit. */
  messageTooLarge: 4413,
  /** Accepting the update would make the document larger than its limit. */
  documentTooLarge: 4414,
  /** A Yjs update that decodes but cannot be integrated. */
  invalidUpdate: 4422,
  /** An unexpected server error; the document is intact. */
  internalError: 4500,
  /** The server is shutting down or the document is being reloaded. */
  serviceRestart: 4503,
  /** The client did not answer pings or cannot keep up with the room. */
  timeout: 4508,
  /** The client sent frames far faster than a socket may (SPEC T6); reconnect later. */
  rateLimited: 4529,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** True for codes after which retrying the same request cannot succeed. */
export function isPermanentCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}
