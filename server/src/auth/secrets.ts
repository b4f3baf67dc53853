import crypto from 'node:crypto';

/** A new random secret (session id, access token, invite code): 256 bits, base64url. */
export function newSecret(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256: a database leak does not leak sessions or tokens. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('base64url');
}

/** A short random id for rows (96 bits, base64url). */
export function newId(): string {
  return crypto.randomBytes(12).toString('base64url');
}
