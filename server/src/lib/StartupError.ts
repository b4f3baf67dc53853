/**
 * The server cannot start for a reason the operator must fix (a bad
 * DATA_DIR, a damaged database, a port in use). The message names the path
 * or address and the cause; `main.ts` prints it and exits 1 (SPEC O4).
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** `code: message` of a system or SQLite error, for a StartupError's message. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.replace(/^[A-Z]+: /, '');
  return typeof code === 'string' ? `${message} (${code})` : message;
}
