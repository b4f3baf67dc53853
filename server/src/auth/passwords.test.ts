import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';
import { hashSecret, newSecret } from './secrets';

const cheap = { N: 1024, r: 8, p: 1 };

describe('passwords and secrets', () => {
  it('verifies the right password only, with the cost stored in the hash', async () => {
    const hash = await hashPassword('correct horse battery', cheap);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await hashPassword('correct horse battery', cheap)).not.toBe(hash); // salted
  });

  it('treats a malformed hash as a mismatch', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });

  it('stores secrets only as their SHA-256', () => {
    const secret = newSecret('rpt_');
    expect(secret.startsWith('rpt_')).toBe(true);
    expect(hashSecret(secret)).not.toContain(secret);
    expect(hashSecret(secret)).toBe(hashSecret(secret));
  });
});
