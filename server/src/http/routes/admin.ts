import { AdminUpdateUserRequest, type RegistrationMode, type ResetLinkView, UpdateSettingsRequest } from '@rapporteur/protocol';
import { Router } from 'express';
import type { AccessEvents } from '../../auth/AccessEvents';
import type { ResetLinks } from '../../auth/ResetLinks';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { AccountStore } from '../../storage/AccountStore';
import { requirePrincipal } from '../authMiddleware';
import { presentUser } from '../presenters';
import { parse } from '../validate';
import { REGISTRATION_SETTING } from './auth';

export interface AdminRoutesDeps {
  readonly accountStore: AccountStore;
  readonly events: AccessEvents;
  readonly resetLinks: ResetLinks;
  readonly clock: Clock;
  readonly defaultRegistration: RegistrationMode;
}

/** `/api/admin/*`: the secretariat manages accounts and registration. */
export function adminRoutes({ accountStore, events, resetLinks, clock, defaultRegistration }: AdminRoutesDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    if (!requirePrincipal(res).user.isAdmin) throw new ForbiddenError({ key: 'server.request.adminsOnly' });
    next();
  });

  router.get('/users', async (_req, res) => {
    res.json({ users: (await accountStore.listUsers()).map((u) => ({ ...presentUser(u), disabled: u.disabled })) });
  });

  router.patch('/users/:id', async (req, res) => {
    const body = parse(AdminUpdateUserRequest, req.body);
    const user = await accountStore.getUser(req.params.id);
    if (!user) throw new NotFoundError('Account');
    if (body.isAdmin !== undefined) await accountStore.setAdmin(user.id, body.isAdmin, clock.now());
    if (body.disabled !== undefined) {
      await accountStore.setDisabled(user.id, body.disabled, clock.now());
      if (body.disabled) await accountStore.revokeUserSessions(user.id, clock.now());
    }
    events.emit({ kind: 'user', userId: user.id });
    const updated = (await accountStore.getUser(user.id))!;
    res.json({ user: { ...presentUser(updated), disabled: updated.disabled } });
  });

  // A one-time link the administrator hands to the person (SPEC A10).
  router.post('/users/:id/reset-link', async (req, res) => {
    const user = await accountStore.getUser(req.params.id);
    if (!user) throw new NotFoundError('Account');
    const link = await resetLinks.issue(user.id, 'admin', requirePrincipal(res).user.id);
    const view: ResetLinkView = { code: link.code, url: link.url, expiresAt: new Date(link.expiresAt).toISOString() };
    res.status(201).json(view);
  });

  router.get('/settings', async (_req, res) => {
    const registration = (await accountStore.getSetting(REGISTRATION_SETTING)) ?? defaultRegistration;
    res.json({ registration });
  });

  router.put('/settings', async (req, res) => {
    const body = parse(UpdateSettingsRequest, req.body);
    await accountStore.setSetting(REGISTRATION_SETTING, body.registration);
    res.json({ registration: body.registration });
  });

  return router;
}
