import {
  CreateTemplateRequest,
  ErrorCode,
  TemplateId,
  TemplateQuery,
  type TemplateSummary,
  type TemplateView,
  UpdateTemplateRequest,
} from '@rapporteur/protocol';
import { Router } from 'express';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { AccountStore } from '../../storage/AccountStore';
import { TemplateExistsError, type TemplateRecord, type TemplateStore } from '../../storage/TemplateStore';
import { parseTemplate } from '../../templates/validateTemplate';
import { requirePrincipal } from '../authMiddleware';
import { parse } from '../validate';

export interface TemplateRoutesDeps {
  readonly templates: TemplateStore;
  readonly accountStore: AccountStore;
  readonly clock: Clock;
  readonly log: Logger;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function presentTemplateSummary(t: TemplateRecord): TemplateSummary {
  return { id: t.id, type: t.type, name: t.name, description: t.description, version: t.version, updatedAt: iso(t.createdAt) };
}

async function presentTemplate(t: TemplateRecord, latestVersion: number, accountStore: AccountStore): Promise<TemplateView> {
  const author = t.createdBy === null ? null : await accountStore.getUser(t.createdBy);
  return {
    ...presentTemplateSummary(t),
    content: [...t.content],
    createdBy: t.createdBy === null ? null : { id: t.createdBy, name: author?.name ?? 'Unknown account' },
    latestVersion,
  };
}

/** A template id from the path, or 404 (an id that cannot exist names no template). */
function templateIdOf(raw: string): string {
  const parsed = TemplateId.safeParse(raw);
  if (!parsed.success) throw new NotFoundError('Template');
  return parsed.data;
}

/** `GET /api/templates[/:id]`: any signed-in person reads templates (to start a document from one). */
export function templateRoutes({ templates, accountStore }: TemplateRoutesDeps): Router {
  const router = Router();

  router.get('/templates', async (_req, res) => {
    requirePrincipal(res);
    res.json({ templates: (await templates.listCurrent()).map(presentTemplateSummary) });
  });

  router.get('/templates/:id', async (req, res) => {
    requirePrincipal(res);
    const { version } = parse(TemplateQuery, req.query);
    const id = templateIdOf(req.params.id);
    const current = await templates.get(id);
    if (!current) throw new NotFoundError('Template');
    const asked = version === undefined ? current : await templates.get(id, version);
    if (!asked) throw new NotFoundError('Template version');
    res.json({ template: await presentTemplate(asked, current.version, accountStore) });
  });

  return router;
}

/**
 * `/api/admin/templates`: administrators create templates and add versions
 * (TPL5, TPL6). A template is validated whole before anything is stored;
 * each change is logged (an administrator's action, not a document's).
 */
export function templateAdminRoutes({ templates, accountStore, clock, log }: TemplateRoutesDeps): Router {
  const router = Router();
  router.use('/templates', (_req, res, next) => {
    if (!requirePrincipal(res).user.isAdmin) throw new ForbiddenError({ key: 'server.request.adminsOnly' });
    next();
  });

  router.post('/templates', async (req, res) => {
    const admin = requirePrincipal(res).user;
    const body = parseTemplate(CreateTemplateRequest, req.body);
    let created: TemplateRecord;
    try {
      created = await templates.create({ ...body, createdAt: clock.now(), createdBy: admin.id });
    } catch (error) {
      if (error instanceof TemplateExistsError) {
        throw new AppError(ErrorCode.templateExists, { key: 'server.templates.exists', values: { id: body.id } });
      }
      throw error;
    }
    log.info({ templateId: created.id, version: created.version, type: created.type, adminId: admin.id }, 'template created');
    res.status(201).location(`/api/templates/${created.id}`).json({ template: await presentTemplate(created, created.version, accountStore) });
  });

  router.put('/templates/:id', async (req, res) => {
    const admin = requirePrincipal(res).user;
    const id = templateIdOf(req.params.id);
    const body = parseTemplate(UpdateTemplateRequest, req.body);
    if (body.id !== undefined && body.id !== id) {
      const message = { key: 'server.templates.idMismatch', values: { id } };
      throw new BadRequestError({ key: 'server.templates.invalid', values: { problems: { key: 'server.request.problem', values: { path: 'id', message } } } }, [
        { path: 'id', message },
      ]);
    }
    const current = await templates.get(id);
    if (!current) throw new NotFoundError('Template');
    // The type's standard template (id = type) is what `POST /api/documents {type}` uses: a type never changes.
    if (body.type !== current.type) {
      const message = { key: 'server.templates.keepsType', values: { type: current.type } };
      throw new BadRequestError({ key: 'server.templates.invalid', values: { problems: { key: 'server.request.problem', values: { path: 'type', message } } } }, [
        { path: 'type', message },
      ]);
    }
    const { id: _ignored, ...fields } = body;
    const next = await templates.addVersion({ ...fields, id, createdAt: clock.now(), createdBy: admin.id });
    if (!next) throw new NotFoundError('Template');
    log.info({ templateId: id, version: next.version, adminId: admin.id }, 'template version added');
    res.json({ template: await presentTemplate(next, next.version, accountStore) });
  });

  return router;
}
