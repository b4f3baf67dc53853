import type { AccountStore } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The contract every AccountStore implementation passes, for what issue 7
 * added: one-time password resets (SPEC A10). `open` returns a fresh, empty
 * store and a function that closes it.
 */
export function accountStoreContract(name: string, open: () => Promise<{ store: AccountStore; close: () => void }>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let store: AccountStore;
    let close: () => void;
    const HOUR = 3_600_000;

    beforeEach(async () => {
      ({ store, close } = await open());
      for (const id of ['u1', 'u2']) {
        await store.createUser({
          id,
          email: `${id}@example.org`,
          passwordHash: `old-${id}`,
          name: id,
          stakeholderGroup: 'academia',
          region: 'other',
          now: 1000,
        });
        await store.createSession({ id: `s-${id}`, secretHash: `sh-${id}`, userId: id, now: 1000, expiresAt: 1000 + 10 * HOUR });
      }
    });

    afterEach(() => close());

    const issue = (secretHash: string, userId = 'u1', expiresAt = 1000 + HOUR) =>
      store.createPasswordReset({ id: `r-${secretHash}`, secretHash, userId, via: 'email', createdBy: null, now: 1000, expiresAt });

    it('A10: finds a live reset by its secret hash, not after it expires', async () => {
      const reset = await issue('h1');
      expect(reset).toMatchObject({ userId: 'u1', via: 'email', createdBy: null, usedAt: null, expiresAt: 1000 + HOUR });
      expect(await store.findPasswordReset('h1', 2000)).toMatchObject({ id: 'r-h1', userId: 'u1' });
      expect(await store.findPasswordReset('h1', 1000 + HOUR)).toBeNull();
      expect(await store.findPasswordReset('unknown', 2000)).toBeNull();
    });

    it('A10: counts the resets of one kind issued to an account since a time, used or not', async () => {
      await issue('h1');
      await issue('h2');
      await store.createPasswordReset({ id: 'r-a', secretHash: 'ha', userId: 'u1', via: 'admin', createdBy: null, now: 5000, expiresAt: 9000 });
      expect(await store.countPasswordResets('u1', 'email', 1000)).toBe(2);
      expect(await store.countPasswordResets('u1', 'email', 1001)).toBe(0);
      expect(await store.countPasswordResets('u1', 'admin', 0)).toBe(1);
      expect(await store.countPasswordResets('u2', 'email', 0)).toBe(0);
    });

    it('A10: using a reset sets the password hash, revokes every session and voids the other resets, once', async () => {
      await issue('h1');
      await issue('h2');
      await issue('other', 'u2');
      expect(await store.usePasswordReset('h1', 'new-hash', 2000)).toBe('u1');
      expect((await store.findUserByEmail('u1@example.org'))?.passwordHash).toBe('new-hash');
      expect(await store.isSessionLive('s-u1', 2000)).toBe(false);
      expect(await store.findPasswordReset('h2', 2000)).toBeNull();
      // Used once: a second use changes nothing.
      expect(await store.usePasswordReset('h1', 'again', 3000)).toBeNull();
      expect(await store.usePasswordReset('h2', 'again', 3000)).toBeNull();
      expect((await store.findUserByEmail('u1@example.org'))?.passwordHash).toBe('new-hash');
      // Another account is untouched.
      expect(await store.isSessionLive('s-u2', 2000)).toBe(true);
      expect(await store.findPasswordReset('other', 2000)).not.toBeNull();
    });

    it('A10: an expired or unknown reset changes nothing', async () => {
      await issue('h1');
      expect(await store.usePasswordReset('h1', 'late', 1000 + HOUR)).toBeNull();
      expect(await store.usePasswordReset('nope', 'x', 2000)).toBeNull();
      expect((await store.findUserByEmail('u1@example.org'))?.passwordHash).toBe('old-u1');
      expect(await store.isSessionLive('s-u1', 2000)).toBe(true);
    });

    it('A10: of two uses racing for one reset, exactly one wins', async () => {
      await issue('h1');
      const results = await Promise.all([store.usePasswordReset('h1', 'first', 2000), store.usePasswordReset('h1', 'second', 2000)]);
      expect(results.filter((r) => r === 'u1')).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(1);
    });
  });
}
