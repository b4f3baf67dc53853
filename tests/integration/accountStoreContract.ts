import { type AccountStore, EmailTakenError } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The contract every AccountStore implementation passes, on every backend
 * (sqlStores.test.ts): accounts, sessions, tokens, settings (SPEC A1–A4) and
 * one-time password resets (SPEC A10). `open` returns a fresh, empty store
 * and a function that closes it.
 */
export function accountStoreContract(name: string, open: () => Promise<{ store: AccountStore; close: () => void | Promise<void> }>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let store: AccountStore;
    let close: () => void | Promise<void>;
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

    it('S7: an e-mail address is taken whatever its case, and found whatever its case', async () => {
      await expect(
        store.createUser({ id: 'u3', email: 'U1@Example.ORG', passwordHash: 'x', name: 'x', stakeholderGroup: 'media', region: 'other', now: 2000 }),
      ).rejects.toBeInstanceOf(EmailTakenError);
      expect((await store.findUserByEmail('U1@EXAMPLE.org'))?.id).toBe('u1');
      expect(await store.findUserByEmail('nobody@example.org')).toBeNull();
      expect(await store.countUsers()).toBe(2);
    });

    it('S7: a new account has its defaults; profile, admin and disabled changes are kept with the time', async () => {
      const created = await store.createUser({
        id: 'u3',
        email: 'u3@example.org',
        passwordHash: 'h3',
        name: 'Three',
        organisation: 'Org',
        stakeholderGroup: 'government',
        region: 'african',
        isAdmin: true,
        locale: 'fr',
        now: 3000,
      });
      expect(created).toMatchObject({
        id: 'u3',
        organisation: 'Org',
        country: null,
        gender: null,
        youth: null,
        firstTime: null,
        showDemographics: false,
        locale: 'fr',
        isAdmin: true,
        disabled: false,
        createdAt: 3000,
        updatedAt: 3000,
      });
      const updated = await store.updateProfile('u3', { name: 'Trois', youth: true, firstTime: false, showDemographics: true, gender: 'woman', locale: null }, 4000);
      expect(updated).toMatchObject({ name: 'Trois', youth: true, firstTime: false, showDemographics: true, gender: 'woman', locale: null, updatedAt: 4000 });
      expect(await store.updateProfile('missing', { name: 'x' }, 4000)).toBeNull();
      await store.setAdmin('u3', false, 5000);
      await store.setDisabled('u3', true, 6000);
      expect(await store.getUser('u3')).toMatchObject({ isAdmin: false, disabled: true, updatedAt: 6000 });
      expect((await store.listUsers()).map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    });

    it('S7: a session is found by its secret hash while live; revoking one or all of an account ends them', async () => {
      expect(await store.findSession('sh-u1', 2000)).toEqual({ id: 's-u1', userId: 'u1', createdAt: 1000, expiresAt: 1000 + 10 * HOUR });
      expect(await store.findSession('sh-u1', 1000 + 10 * HOUR)).toBeNull();
      expect(await store.isSessionLive('s-u1', 1000 + 10 * HOUR)).toBe(false);
      await store.createSession({ id: 's-u1b', secretHash: 'sh-u1b', userId: 'u1', now: 2000, expiresAt: 9 * HOUR });
      await store.revokeSession('s-u1', 3000);
      expect(await store.findSession('sh-u1', 3000)).toBeNull();
      expect(await store.isSessionLive('s-u1b', 3000)).toBe(true);
      await store.revokeUserSessions('u1', 4000);
      expect(await store.isSessionLive('s-u1b', 4000)).toBe(false);
      expect(await store.isSessionLive('s-u2', 4000)).toBe(true);
    });

    it('S7: personal access tokens are found by hash, listed per account, touched and revoked once', async () => {
      await store.createToken({ id: 't1', secretHash: 'th1', userId: 'u1', name: 'CI', now: 2000 });
      await store.createToken({ id: 't2', secretHash: 'th2', userId: 'u1', name: 'Laptop', now: 3000 });
      expect(await store.findToken('th1')).toEqual({ id: 't1', userId: 'u1', name: 'CI', createdAt: 2000, lastUsedAt: null });
      await store.touchToken('t1', 4000);
      expect((await store.findToken('th1'))?.lastUsedAt).toBe(4000);
      expect((await store.listTokens('u1')).map((t) => t.id)).toEqual(['t1', 't2']);
      expect(await store.revokeToken('u2', 't1', 5000)).toBe(false);
      expect(await store.revokeToken('u1', 't1', 5000)).toBe(true);
      expect(await store.revokeToken('u1', 't1', 6000)).toBe(false);
      expect(await store.findToken('th1')).toBeNull();
      expect((await store.listTokens('u1')).map((t) => t.id)).toEqual(['t2']);
    });

    it('S7: settings are read, written and overwritten by key', async () => {
      expect(await store.getSetting('registration')).toBeNull();
      await store.setSetting('registration', 'open');
      await store.setSetting('registration', 'invite-only');
      expect(await store.getSetting('registration')).toBe('invite-only');
    });
  });
}
