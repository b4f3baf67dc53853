import type { AdminUser, AdminUserUpdate, ResetLinkView } from '@rapporteur/client/http';

/**
 * What the administration page offers on one account's row. Nobody removes
 * their own administrator right or disables their own account from here:
 * one slip would lock the secretariat out (another administrator, or the
 * command line, can still do it).
 */
export function rowActions(
  user: Pick<AdminUser, 'id' | 'disabled'>,
  me: { readonly id: string },
): { toggleAdmin: boolean; toggleDisabled: boolean; resetLink: boolean } {
  const own = user.id === me.id;
  // A disabled account cannot use a reset link (the server refuses it): enable it first.
  return { toggleAdmin: !own, toggleDisabled: !own, resetLink: !user.disabled };
}

/** The link to hand over: the server's (on PUBLIC_URL) when it knows its address, else this page's origin. */
export function resetLinkUrl(link: Pick<ResetLinkView, 'code' | 'url'>, origin: string): string {
  return link.url ?? `${origin}/reset/${encodeURIComponent(link.code)}`;
}

/** By name in the page's language, then e-mail (names need not be unique). */
export function sortUsers(users: readonly AdminUser[], language: string): AdminUser[] {
  const collator = new Intl.Collator(language, { sensitivity: 'base' });
  return [...users].sort((a, b) => collator.compare(a.name, b.name) || a.email.localeCompare(b.email));
}

/** The list with `updated` in place of the account with its id. */
export function replaceUser(users: readonly AdminUser[], updated: AdminUser): AdminUser[] {
  return users.map((u) => (u.id === updated.id ? updated : u));
}

/** Whether a change needs the administrator to confirm it first: disabling signs the person out everywhere at once. */
export function needsConfirmation(update: AdminUserUpdate): boolean {
  return update.disabled === true;
}

/** The i18n key announcing a change that was saved. */
export function changeAnnouncementKey(update: AdminUserUpdate): 'admin.madeAdmin' | 'admin.removedAdmin' | 'admin.disabledDone' | 'admin.enabledDone' {
  if (update.disabled !== undefined) return update.disabled ? 'admin.disabledDone' : 'admin.enabledDone';
  return update.isAdmin ? 'admin.madeAdmin' : 'admin.removedAdmin';
}
