import crypto from 'node:crypto';
import {
  CreateEventRequest,
  CreateSessionRequest,
  DashboardQuery,
  ErrorCode,
  type EventView,
  type ImportResult,
  ImportQuery,
  type OrganiserView,
  SetOrganisersRequest,
  TakeawaysQuery,
  type TakeawayView,
  trackKey,
  UpdateEventRequest,
} from '@rapporteur/protocol';
import express, { Router, type Request, type Response } from 'express';
import type { Principal } from '../../auth/Accounts';
import type { AccessEvents } from '../../auth/AccessEvents';
import { type Actor, decideEvent, type EventAccess, EventAction, eventScope, seesEventEmails } from '../../auth/policy';
import { AppError, BadRequestError, ForbiddenError, NotFoundError, translate, UnauthenticatedError } from '../../errors';
import { buildDashboard, dashboardCsv, emptyCounts } from '../../events/dashboard';
import { MAX_CSV_BYTES, parseLocalTime, parseSessionCsv, type SessionRow } from '../../events/sessionCsv';
import type { ImportOutcome, SessionImport } from '../../events/SessionImport';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { DocumentStore } from '../../storage/DocumentStore';
import { decideFor } from '../../auth/documentRole';
import { extractTakeaways, passageHash } from '../../events/consolidation';
import { groupSimilar } from '../../events/similarity';
import { docToJSON } from '@rapporteur/schema';
import type { AccountStore } from '../../storage/AccountStore';
import type { EventRecord, EventStore } from '../../storage/EventStore';
import { principalOf, requirePrincipal } from '../authMiddleware';
import { documentAuthorizer } from '../authorizeDocument';
import { labelsIn, requestLanguage } from '../language';
import { parse } from '../validate';

export interface EventRoutesDeps {
  readonly eventStore: EventStore;
  readonly store: DocumentStore;
  readonly rooms: RoomManager;
  readonly accountStore: AccountStore;
  readonly sessionImport: SessionImport;
  readonly events: AccessEvents;
  readonly clock: Clock;
}

/** A short id for a track (unique within its event). */
const trackId = (): string => crypto.randomBytes(6).toString('base64url');

/**
 * `/api/events` (issue 11, SPEC EV1–EV8): authenticate → validate (zod) →
 * authorize (policy.ts `decideEvent`, `eventScope`) → command → present.
 */
export function eventRoutes(deps: EventRoutesDeps): Router {
  const { eventStore, accountStore, sessionImport, events, clock, store, rooms } = deps;
  const router = Router();
  const authorizeDocument = documentAuthorizer(store, clock);

  const actorOf = (p: Principal | null): Actor | null => (p ? { userId: p.user.id, isAdmin: p.user.isAdmin } : null);

  async function accessOf(event: EventRecord, p: Principal | null): Promise<EventAccess> {
    return {
      public: event.public,
      organiser: p !== null && (await eventStore.isOrganiser(event.id, p.user.id)),
      rapporteur: p !== null && (await eventStore.isRapporteur(event.id, p.user.id)),
    };
  }

  /**
   * The event and the caller's access, when the policy allows `action`:
   * otherwise 404 for an event the caller may not read (a non-public event
   * is not known to exist), 401 for anonymous callers, 403 when they may
   * read it but not do this.
   */
  async function authorize(res: Response, id: string, action: EventAction): Promise<{ event: EventRecord; access: EventAccess; actor: Actor | null; principal: Principal | null }> {
    const principal = principalOf(res);
    const event = await eventStore.getEvent(id);
    if (!event) throw new NotFoundError('Event');
    const access = await accessOf(event, principal);
    const actor = actorOf(principal);
    if (!decideEvent(actor, action, access)) {
      if (!decideEvent(actor, EventAction.read, access)) {
        if (principal === null) throw new UnauthenticatedError();
        throw new NotFoundError('Event');
      }
      if (principal === null) throw new UnauthenticatedError();
      throw new ForbiddenError({ key: action === EventAction.setOrganisers ? 'server.request.adminsOnly' : 'server.events.organisersOnly' });
    }
    return { event, access, actor, principal };
  }

  async function present(event: EventRecord, access: EventAccess, actor: Actor | null): Promise<EventView> {
    const emails = seesEventEmails(actor, access);
    const organiserIds = await eventStore.listOrganisers(event.id);
    const people = await eventStore.accounts(organiserIds);
    const organisers: OrganiserView[] = organiserIds.flatMap((id) => {
      const p = people.get(id);
      return p ? [{ id, name: p.name, email: emails ? p.email : null }] : [];
    });
    const scope = eventScope(actor, access) ?? 'own';
    const rows = await eventStore.sessionReports(event.id);
    const { counts } = buildDashboard(event, rows, new Map(), { now: clock.now(), scope, userId: actor?.userId ?? null, emails: false });
    return {
      id: event.id,
      name: event.name,
      startsAt: event.startsOn,
      endsAt: event.endsOn,
      timeZone: event.timeZone,
      reportDeadlineHours: event.reportDeadlineHours,
      public: event.public,
      tracks: event.tracks.map((t) => ({ id: t.id, name: t.name, messagesDocumentId: t.messagesDocumentId })),
      organisers,
      manage: decideEvent(actor, EventAction.manage, access),
      counts: rows.length === 0 ? emptyCounts() : counts,
    };
  }

  router.post('/events', async (req, res) => {
    const principal = requirePrincipal(res);
    if (!decideEvent(actorOf(principal), EventAction.create, { public: false, organiser: false, rapporteur: false })) {
      throw new ForbiddenError({ key: 'server.request.adminsOnly' });
    }
    const body = parse(CreateEventRequest, req.body);
    const event = await eventStore.createEvent(
      {
        id: crypto.randomBytes(9).toString('base64url'),
        name: body.name,
        startsOn: body.startsAt,
        endsOn: body.endsAt,
        timeZone: body.timeZone,
        reportDeadlineHours: body.reportDeadlineHours ?? 24,
        public: body.public ?? false,
        createdBy: principal.user.id,
        tracks: (body.tracks ?? []).map((name) => ({ id: trackId(), name })),
      },
      clock.now(),
    );
    const access = await accessOf(event, principal);
    res.status(201).location(`/api/events/${event.id}`).json({ event: await present(event, access, actorOf(principal)) });
  });

  router.get('/events', async (_req, res) => {
    const principal = principalOf(res);
    const actor = actorOf(principal);
    const list = principal?.user.isAdmin ? await eventStore.listEvents() : await eventStore.listEventsFor(principal?.user.id ?? null);
    const out: EventView[] = [];
    for (const event of list) out.push(await present(event, await accessOf(event, principal), actor));
    res.json({ events: out });
  });

  router.get('/events/:id', async (req, res) => {
    const { event, access, actor } = await authorize(res, req.params.id, EventAction.read);
    res.json({ event: await present(event, access, actor) });
  });

  router.patch('/events/:id', async (req, res) => {
    const body = parse(UpdateEventRequest, req.body);
    const { event, access, actor } = await authorize(res, req.params.id, EventAction.manage);
    if (body.addTracks) {
      const taken = new Set(event.tracks.map((t) => trackKey(t.name)));
      for (const name of body.addTracks) {
        if (taken.has(trackKey(name))) {
          const message = { key: 'server.events.trackExists', values: { name } };
          throw new BadRequestError({ key: 'server.request.problem', values: { path: 'addTracks', message } }, [{ path: 'addTracks', message }]);
        }
        taken.add(trackKey(name));
      }
      await eventStore.addTracks(event.id, body.addTracks.map((name) => ({ id: trackId(), name })), clock.now());
    }
    const { addTracks: _tracks, ...change } = body;
    const updated = Object.keys(change).length > 0 ? await eventStore.updateEvent(event.id, change, clock.now()) : await eventStore.getEvent(event.id);
    res.json({ event: await present(updated!, access, actor) });
  });

  /** Names the organisers (admins): existing accounts by e-mail; they own every report of the event from now on. */
  router.put('/events/:id/organisers', async (req, res) => {
    const body = parse(SetOrganisersRequest, req.body);
    const { event, actor, principal } = await authorize(res, req.params.id, EventAction.setOrganisers);
    const ids: string[] = [];
    const unknown: string[] = [];
    for (const email of body.emails) {
      const user = await accountStore.findUserByEmail(email);
      if (user) ids.push(user.id);
      else unknown.push(email);
    }
    if (unknown.length > 0) throw new AppError(ErrorCode.userNotFound, { key: 'server.events.noSuchAccounts', values: { emails: unknown } }, { emails: unknown });
    const change = await eventStore.setOrganisers(event.id, ids, principal!.user.id, clock.now());
    if (change.added.length > 0 || change.removed.length > 0) {
      // Ownership of every report changed: open sockets are re-checked (SPEC EV2).
      for (const s of await eventStore.listSessions(event.id)) events.emit({ kind: 'document', documentId: s.documentId });
      for (const t of event.tracks) if (t.messagesDocumentId) events.emit({ kind: 'document', documentId: t.messagesDocumentId });
    }
    const access = await accessOf(event, principal);
    res.json({ event: await present(event, access, actor) });
  });

  router.get('/events/:id/sessions', async (req, res) => {
    const { event, access, actor } = await authorize(res, req.params.id, EventAction.read);
    const rows = await eventStore.sessionReports(event.id);
    const accounts = await eventStore.accounts(rows.flatMap((r) => r.rapporteurs.flatMap((x) => (x.userId ? [x.userId] : []))));
    const view = buildDashboard(event, rows, accounts, {
      now: clock.now(),
      scope: eventScope(actor, access)!,
      userId: actor?.userId ?? null,
      emails: seesEventEmails(actor, access),
    });
    res.json({ sessions: [...view.sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.code.localeCompare(b.code)) });
  });

  router.get('/events/:id/dashboard', async (req, res) => {
    const query = parse(DashboardQuery, req.query);
    const { event, access, actor } = await authorize(res, req.params.id, EventAction.read);
    let trackFilter: string | undefined;
    if (query.track !== undefined) {
      const track = event.tracks.find((t) => t.id === query.track || trackKey(t.name) === trackKey(query.track!));
      if (!track) throw new NotFoundError('Track');
      trackFilter = track.id;
    }
    const rows = await eventStore.sessionReports(event.id);
    const accounts = await eventStore.accounts(rows.flatMap((r) => r.rapporteurs.flatMap((x) => (x.userId ? [x.userId] : []))));
    const view = buildDashboard(event, rows, accounts, {
      now: clock.now(),
      scope: eventScope(actor, access)!,
      userId: actor?.userId ?? null,
      emails: seesEventEmails(actor, access),
      ...(trackFilter !== undefined ? { trackId: trackFilter } : {}),
    });
    res.setHeader('Cache-Control', 'no-store');
    if (query.format === 'csv') {
      const language = requestLanguage(req, res);
      res.setHeader('Content-Language', language);
      res.type('text/csv; charset=utf-8');
      res.attachment(`dashboard-${event.id}.csv`);
      res.send(dashboardCsv(view, labelsIn(language)));
      return;
    }
    res.json(view);
  });

  /** One session by hand (organisers): the same checks and writes as one CSV row; an existing code is 409. */
  router.post('/events/:id/sessions', async (req, res) => {
    const body = parse(CreateSessionRequest, req.body);
    const { event, principal } = await authorize(res, req.params.id, EventAction.manage);
    const language = requestLanguage(req, res);
    const problem = (path: string, message: { key: string; values?: Record<string, unknown> }) =>
      new BadRequestError({ key: 'server.request.problem', values: { path, message } }, [{ path, message }]);
    const track = event.tracks.find((t) => trackKey(t.name) === trackKey(body.track) || t.id === body.track);
    if (!track) throw problem('track', { key: 'server.events.import.unknownTrack', values: { track: body.track, tracks: event.tracks.map((t) => t.name) } });
    const start = parseLocalTime(body.start);
    const end = parseLocalTime(body.end);
    if (!start) throw problem('start', { key: 'server.events.import.badTime', values: { column: 'start', value: body.start } });
    if (!end) throw problem('end', { key: 'server.events.import.badTime', values: { column: 'end', value: body.end } });
    if (body.end.replace(' ', 'T') <= body.start.replace(' ', 'T')) throw problem('end', { key: 'server.events.import.endBeforeStart', values: { start: body.start, end: body.end } });
    if ((await eventStore.listSessions(event.id)).some((s) => s.code === body.code)) {
      throw new AppError(ErrorCode.sessionExists, { key: 'server.events.sessionExists', values: { code: body.code } });
    }
    const row: SessionRow = {
      line: 1,
      code: body.code,
      title: body.title,
      type: body.type,
      trackId: track.id,
      start,
      end,
      organisers: body.organisers ?? [],
      speakers: body.speakers ?? [],
      rapporteurs: [...new Set(body.rapporteurs)],
    };
    const outcome = await sessionImport.apply(event, [row], { dryRun: false, actorId: principal!.user.id, language, errors: [], warnings: [], complete: false });
    const created = (await eventStore.listSessions(event.id)).find((s) => s.code === body.code)!;
    res.status(201).json({ session: { id: created.id, code: created.code, documentId: created.documentId }, invitations: outcome.invitations, warnings: wordProblems(outcome.warnings, language) });
  });

  /**
   * The session CSV (SPEC EV3): a preview unless `dryRun=false`; with any
   * error nothing is written. Up to 5 MB (413 above), read as bytes so the
   * encoding is checked here.
   */
  router.post(
    '/events/:id/sessions/import',
    express.raw({ type: () => true, limit: MAX_CSV_BYTES }),
    async (req: Request, res: Response) => {
      const query = parse(ImportQuery, req.query);
      const { event, principal } = await authorize(res, req.params.id as string, EventAction.manage);
      if (!req.is('text/csv')) throw new AppError(ErrorCode.unsupportedMediaType, { key: 'server.events.import.notCsv' });
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const language = requestLanguage(req, res);
      const parsed = parseSessionCsv(bytes, { tracks: event.tracks });
      const outcome = await sessionImport.apply(event, parsed.rows, {
        dryRun: query.dryRun === 'true',
        actorId: principal!.user.id,
        language,
        errors: parsed.errors,
        warnings: parsed.warnings,
        complete: true,
      });
      res.json(presentImport(outcome, query.dryRun === 'true', language));
    },
  );

  /** The track's messages document (those who manage the event): made once, then the same one. */
  router.post('/events/:id/tracks/:trackId/messages', async (req, res) => {
    const { event, principal } = await authorize(res, req.params.id, EventAction.manage);
    const track = event.tracks.find((t) => t.id === req.params.trackId);
    if (!track) throw new NotFoundError('Track');
    if (track.messagesDocumentId) {
      res.json({ documentId: track.messagesDocumentId });
      return;
    }
    const documentId = await sessionImport.createMessages(event, track, principal!.user.id, requestLanguage(req, res));
    res.status(201).json({ documentId });
  });

  /** The event and track a messages document consolidates (for its takeaways panel); 404 for any other document. */
  router.get('/documents/:id/event', async (req, res) => {
    const { record } = await authorizeDocument(res, req.params.id, 'read');
    const link = await eventStore.trackOfMessages(record.id);
    const event = link ? await eventStore.getEvent(link.eventId) : null;
    const track = event?.tracks.find((t) => t.id === link!.trackId);
    if (!event || !track) throw new NotFoundError('Track');
    res.json({ event: { id: event.id, name: event.name }, track: { id: track.id, name: track.name } });
  });

  /**
   * The takeaways and calls to action of the track's session reports
   * (SPEC EV8) the caller may read, in programme order, each with the group
   * of takeaways that say nearly the same thing.
   */
  router.get('/events/:id/takeaways', async (req, res) => {
    const query = parse(TakeawaysQuery, req.query);
    const { event, access, actor, principal } = await authorize(res, req.params.id, EventAction.read);
    let trackFilter: string | undefined;
    if (query.track !== undefined) {
      const track = event.tracks.find((t) => t.id === query.track || trackKey(t.name) === trackKey(query.track!));
      if (!track) throw new NotFoundError('Track');
      trackFilter = track.id;
    }
    const scope = eventScope(actor, access)!;
    const now = clock.now();
    const items: Omit<TakeawayView, 'group'>[] = [];
    for (const s of await eventStore.listSessions(event.id)) {
      if (trackFilter !== undefined && s.trackId !== trackFilter) continue;
      if (scope === 'own' && !s.rapporteurs.some((r) => r.userId !== null && r.userId === actor?.userId)) continue;
      const record = await store.getDocument(s.documentId);
      if (!record || !(await decideFor(store, principal?.user ?? null, record, 'read', now)).allowed) continue;
      const found = await rooms.read(record.id, (doc) => extractTakeaways(docToJSON(doc)));
      const groups = [...new Set(s.speakers.map((sp) => sp.stakeholderGroup))];
      for (const t of found) {
        items.push({ sessionId: s.id, sessionCode: s.code, sessionTitle: s.title, sessionType: s.type, stakeholderGroups: groups, documentId: s.documentId, blockId: t.blockId, kind: t.kind, text: t.text, hash: passageHash(t.text) });
      }
    }
    const groups = groupSimilar(items.map((i) => i.text));
    res.json({ takeaways: items.map((i, n) => ({ ...i, group: groups[n]! })) });
  });

  return router;
}

function wordProblems(problems: ImportOutcome['warnings'], language: Parameters<typeof translate>[0]) {
  return problems.map((p) => ({ line: p.line, message: translate(language, p.message) }));
}

function presentImport(o: ImportOutcome, dryRun: boolean, language: Parameters<typeof translate>[0]): ImportResult {
  return {
    dryRun,
    written: o.written,
    created: o.created,
    updated: o.updated,
    unchanged: o.unchanged,
    missing: o.missing,
    warnings: wordProblems(o.warnings, language),
    errors: wordProblems(o.errors, language),
    invitations: o.invitations,
  };
}
