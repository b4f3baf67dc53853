import crypto from 'node:crypto';
import { type DocumentId, instantAt, type Speaker, wallTime } from '@rapporteur/protocol';
import { type Language, translatorFor } from '@rapporteur/i18n';
import { BODY_FIELD, templateBody } from '@rapporteur/schema';
import type { AccessEvents } from '../auth/AccessEvents';
import type { Invites } from '../auth/Invites';
import type { EditDocument } from '../comments/Comments';
import type { MessageRef } from '../errors';
import { replaceBody } from '../history/replaceBody';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import type { AccountStore } from '../storage/AccountStore';
import type { DocumentStore } from '../storage/DocumentStore';
import type { EventRecord, EventStore, RapporteurRecord, SessionRecord } from '../storage/EventStore';
import type { TemplateStore } from '../storage/TemplateStore';
import { prefillSessionReport } from './prefill';
import { type CsvProblem, formatLocalTime, type LocalTime, type SessionRow } from './sessionCsv';

/** How long an invitation link made for a rapporteur with no account lasts. */
export const RAPPORTEUR_INVITE_DAYS = 30;

/** The template every session's report starts from, whatever the session type (DESIGN.md "Domain"). */
export const SESSION_REPORT_TEMPLATE = 'session-report';

export interface ImportOutcome {
  readonly written: boolean;
  readonly created: { line: number; code: string; title: string }[];
  readonly updated: { line: number; code: string; title: string; fields: string[] }[];
  readonly unchanged: { line: number; code: string; title: string }[];
  readonly missing: { code: string; title: string }[];
  readonly warnings: CsvProblem[];
  readonly errors: CsvProblem[];
  readonly invitations: { sessionCode: string; email: string; url: string; emailed: boolean }[];
}

export interface SessionImportDeps {
  readonly eventStore: EventStore;
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly templates: TemplateStore;
  readonly invites: Invites;
  readonly events: AccessEvents;
  readonly editDocument: EditDocument;
  readonly clock: Clock;
  readonly log: Logger;
  readonly mailer: Mailer | null;
  /** Links in e-mails and answers are built on it; null: the link is the path alone. */
  readonly publicUrl: string | null;
  /** Called after sessions were written (the reminders look at the new deadlines at once, EV12). */
  readonly onWritten?: () => void;
}

interface Planned {
  readonly row: SessionRow;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly ruleDeadline: number;
  readonly existing: SessionRecord | null;
  readonly fields: string[];
}

const HOUR = 3_600_000;

/** The instant `hours` after the local time `end`, counted on the event's wall clock (so a clock change does not move it). */
export function ruleDeadlineOf(end: LocalTime, hours: number, timeZone: string): number {
  const shifted = new Date(Date.UTC(end.year, end.month - 1, end.day, end.hour, end.minute, end.second) + hours * HOUR);
  return instantAt(
    {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
    },
    timeZone,
  );
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Sessions into an event (SPEC EV3–EV5): compares checked rows with the
 * event's sessions by code and, unless it is a preview or anything is wrong,
 * writes them — a new session gets its report document from the
 * session-report template, pre-filled and due by the event's rule, its
 * rapporteurs as editors (or an invitation link each when no account has
 * the address); a changed one is updated (a replaced rapporteur becomes a
 * commenter); sessions the file lacks are reported, never deleted.
 */
export class SessionImport {
  constructor(private readonly deps: SessionImportDeps) {}

  /**
   * Plans and (unless `dryRun` or there are errors) applies `rows`. `errors`
   * and `warnings` from parsing come in and go out with the event's own
   * checks added. `complete`: the rows are the whole programme (a CSV), so
   * sessions they lack are reported missing.
   */
  async apply(
    event: EventRecord,
    rows: readonly SessionRow[],
    options: { dryRun: boolean; actorId: string; language: Language; errors: readonly CsvProblem[]; warnings: readonly CsvProblem[]; complete: boolean },
  ): Promise<ImportOutcome> {
    const errors = [...options.errors];
    const warnings = [...options.warnings];
    const existing = new Map((await this.deps.eventStore.listSessions(event.id)).map((s) => [s.code, s]));
    const plans: Planned[] = [];
    for (const row of rows) {
      const startsAt = instantAt(row.start, event.timeZone);
      const endsAt = instantAt(row.end, event.timeZone);
      const day = formatLocalTime(row.start).slice(0, 10);
      if (day < event.startsOn || day > event.endsOn) {
        warnings.push({ line: row.line, message: { key: 'server.events.import.outsideEvent', values: { day, from: event.startsOn, to: event.endsOn } } });
      }
      const before = existing.get(row.code) ?? null;
      const fields: string[] = [];
      if (before) {
        if (before.title !== row.title) fields.push('title');
        if (before.type !== row.type) fields.push('type');
        if (before.trackId !== row.trackId) fields.push('track');
        if (before.startsAt !== startsAt) fields.push('start');
        if (before.endsAt !== endsAt) fields.push('end');
        if (!sameList(before.organisers, row.organisers)) fields.push('organisers');
        if (!sameList(before.speakers, row.speakers)) fields.push('speakers');
        if (!sameList(before.rapporteurs.map((r) => r.email.toLowerCase()), row.rapporteurs)) fields.push('rapporteur');
      }
      plans.push({ row, startsAt, endsAt, ruleDeadline: ruleDeadlineOf(row.end, event.reportDeadlineHours, event.timeZone), existing: before, fields });
    }
    const listed = new Set(rows.map((r) => r.code));
    const outcome: ImportOutcome = {
      written: false,
      created: plans.filter((p) => !p.existing).map((p) => ({ line: p.row.line, code: p.row.code, title: p.row.title })),
      updated: plans.filter((p) => p.existing && p.fields.length > 0).map((p) => ({ line: p.row.line, code: p.row.code, title: p.row.title, fields: p.fields })),
      unchanged: plans.filter((p) => p.existing && p.fields.length === 0).map((p) => ({ line: p.row.line, code: p.row.code, title: p.row.title })),
      missing: options.complete ? [...existing.values()].filter((s) => !listed.has(s.code)).map((s) => ({ code: s.code, title: s.title })) : [],
      warnings: warnings.sort((a, b) => a.line - b.line),
      errors: errors.sort((a, b) => a.line - b.line),
      invitations: [],
    };
    if (options.dryRun || errors.length > 0) return outcome;

    const template = await this.deps.templates.get(SESSION_REPORT_TEMPLATE);
    if (!template) throw new Error('the session-report template is missing');
    for (const plan of plans) {
      if (!plan.existing) await this.create(event, plan, template, options.actorId, options.language, outcome);
      else if (plan.fields.length > 0) await this.update(event, plan, template, options.actorId, options.language, outcome);
    }
    this.deps.onWritten?.();
    return { ...outcome, written: true };
  }

  private words(language: Language) {
    const t = translatorFor(language);
    return {
      sessionType: (type: string) => t(`events.sessionType.${type}`),
      stakeholderGroup: (group: Speaker['stakeholderGroup']) => t(`stakeholder.name.${group}`),
      region: (region: Speaker['region']) => t(`region.${region}`),
    };
  }

  /** Writes the pre-filled template into the report as one edit by `actorId`; the seq it was stored at. */
  private async prefill(documentId: DocumentId, content: Parameters<typeof prefillSessionReport>[0], row: SessionRow, actorId: string, language: Language) {
    const filled = prefillSessionReport(content, row, this.words(language));
    const source = templateBody(filled, () => crypto.randomUUID());
    try {
      await this.deps.editDocument(documentId, actorId, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), source.getXmlFragment(BODY_FIELD)));
    } finally {
      source.destroy();
    }
    return this.deps.store.lastSeq(documentId);
  }

  private async create(
    event: EventRecord,
    plan: Planned,
    template: NonNullable<Awaited<ReturnType<TemplateStore['get']>>>,
    actorId: string,
    language: Language,
    outcome: ImportOutcome,
  ): Promise<void> {
    const { store, clock } = this.deps;
    const { row } = plan;
    const record = await store.createDocument({
      id: crypto.randomBytes(12).toString('base64url') as DocumentId,
      title: reportTitle(row.code, row.title),
      now: clock.now(),
      ownerId: null,
      type: template.type,
      template: { id: template.id, version: template.version, name: template.name },
      language,
    });
    const prefillSeq = await this.prefill(record.id, template.content, row, actorId, language);
    const now = clock.now();
    await store.changeWorkflow(record.id, { deadline: { at: plan.ruleDeadline, timeZone: event.timeZone } }, [
      { actorId, action: 'document.created_for_session', details: { eventId: event.id, session: row.code, templateId: template.id, version: template.version } },
      { actorId, action: 'deadline.set', details: { at: new Date(plan.ruleDeadline).toISOString(), timeZone: event.timeZone, previous: null, rule: `${event.reportDeadlineHours}h` } },
    ], now);
    const rapporteurs: RapporteurRecord[] = [];
    for (const email of row.rapporteurs) rapporteurs.push(await this.addRapporteur(record.id, row.code, email, actorId, language, outcome));
    await this.deps.eventStore.insertSession({
      id: crypto.randomUUID(),
      eventId: event.id,
      code: row.code,
      title: row.title,
      type: row.type,
      trackId: row.trackId,
      startsAt: plan.startsAt,
      endsAt: plan.endsAt,
      organisers: row.organisers,
      speakers: row.speakers,
      documentId: record.id,
      prefillSeq,
      ruleDeadline: plan.ruleDeadline,
      createdAt: now,
      updatedAt: now,
      rapporteurs,
    });
  }

  private async update(
    event: EventRecord,
    plan: Planned,
    template: NonNullable<Awaited<ReturnType<TemplateStore['get']>>>,
    actorId: string,
    language: Language,
    outcome: ImportOutcome,
  ): Promise<void> {
    const { store, clock } = this.deps;
    const { row, fields } = plan;
    const session = plan.existing!;
    const id = session.documentId;
    const doc = await store.getDocument(id);
    if (!doc) return;
    if (fields.includes('title')) await store.renameDocument(id, reportTitle(row.code, row.title), clock.now());
    let prefillSeq = session.prefillSeq;
    // A report nobody has written in yet is filled again with the new facts; a started one is the rapporteurs' to correct.
    const prefilled = ['title', 'type', 'organisers', 'speakers'].some((f) => fields.includes(f));
    if (prefilled && (await store.lastSeq(id)) === session.prefillSeq && doc.status === 'drafting') {
      const current = doc.template ? await this.deps.templates.get(doc.template.id, doc.template.version) : null;
      prefillSeq = await this.prefill(id, (current ?? template).content, row, actorId, language);
    }
    // The rule's deadline moves with the session's end, unless someone set another.
    if (plan.ruleDeadline !== session.ruleDeadline && doc.deadline?.at === session.ruleDeadline) {
      await store.changeWorkflow(id, { deadline: { at: plan.ruleDeadline, timeZone: event.timeZone } }, [
        {
          actorId,
          action: 'deadline.set',
          details: { at: new Date(plan.ruleDeadline).toISOString(), timeZone: event.timeZone, previous: { at: new Date(session.ruleDeadline).toISOString(), timeZone: doc.deadline.timeZone }, rule: `${event.reportDeadlineHours}h` },
        },
      ], clock.now());
    }
    const kept = new Map(session.rapporteurs.map((r) => [r.email.toLowerCase(), r]));
    const rapporteurs: RapporteurRecord[] = [];
    for (const email of row.rapporteurs) {
      const before = kept.get(email);
      rapporteurs.push(before ?? (await this.addRapporteur(id, row.code, email, actorId, language, outcome)));
    }
    for (const [email, r] of kept) {
      if (row.rapporteurs.includes(email)) continue;
      await this.replaceRapporteur(id, r, actorId);
    }
    await this.deps.eventStore.updateSession({
      ...session,
      title: row.title,
      type: row.type,
      trackId: row.trackId,
      startsAt: plan.startsAt,
      endsAt: plan.endsAt,
      organisers: row.organisers,
      speakers: row.speakers,
      prefillSeq,
      ruleDeadline: plan.ruleDeadline,
      updatedAt: clock.now(),
      rapporteurs,
    });
    this.deps.events.emit({ kind: 'document', documentId: id });
  }

  /**
   * Makes a track's messages document (SPEC EV8): an `igf-messages` document
   * from its template, titled after the event and track, owned by the event's
   * organisers (no owner member), recorded on the track.
   */
  async createMessages(event: EventRecord, track: { id: string; name: string }, actorId: string, language: Language): Promise<DocumentId> {
    const { store, templates, clock, editDocument, eventStore } = this.deps;
    const template = await templates.get('igf-messages');
    const record = await store.createDocument({
      id: crypto.randomBytes(12).toString('base64url') as DocumentId,
      title: `${event.name} — ${track.name}`.slice(0, 200),
      now: clock.now(),
      ownerId: null,
      type: 'igf-messages',
      template: template ? { id: template.id, version: template.version, name: template.name } : null,
      language,
    });
    if (template && template.content.length > 0) {
      const source = templateBody(template.content, () => crypto.randomUUID());
      try {
        await editDocument(record.id, actorId, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), source.getXmlFragment(BODY_FIELD)));
      } finally {
        source.destroy();
      }
    }
    await store.appendAudit(record.id, { actorId, action: 'document.created_for_track', details: { eventId: event.id, track: track.name } }, clock.now());
    await eventStore.setTrackMessages(event.id, track.id, record.id);
    return record.id;
  }

  /**
   * Makes `email` a rapporteur of the report: the account with that address
   * becomes an editor; with no such account, an invitation link (editor) is
   * made and shown to the organiser (and e-mailed when SMTP is set up).
   * Whoever signs up later with the address gets nothing from it (EV5).
   */
  async addRapporteur(documentId: DocumentId, sessionCode: string, email: string, actorId: string, language: Language, outcome: ImportOutcome | null): Promise<RapporteurRecord> {
    const { accountStore, store, clock, invites } = this.deps;
    const user = await accountStore.findUserByEmail(email);
    if (user && !user.disabled) {
      const current = await store.getMember(documentId, user.id);
      if (!current || current.role === 'viewer' || current.role === 'commenter') {
        await store.setMember(documentId, { userId: user.id, role: 'editor', addedBy: actorId }, clock.now());
        await store.appendAudit(
          documentId,
          current
            ? { actorId, action: 'member.role_changed', details: { userId: user.id, from: current.role, to: 'editor', as: 'rapporteur' } }
            : { actorId, action: 'member.added', details: { userId: user.id, role: 'editor', as: 'rapporteur' } },
          clock.now(),
        );
        this.deps.events.emit({ kind: 'document', documentId });
      }
      return { email, userId: user.id, inviteId: null };
    }
    const { invite, code } = await invites.create(documentId, 'editor', RAPPORTEUR_INVITE_DAYS, actorId);
    await store.appendAudit(
      documentId,
      { actorId, action: 'invite.created', details: { inviteId: invite.id, role: invite.role, expiresAt: new Date(invite.expiresAt).toISOString(), as: 'rapporteur' } },
      clock.now(),
    );
    const url = `${this.deps.publicUrl ?? ''}/invite/${code}`;
    const emailed = await this.mailInvitation(email, sessionCode, url, language);
    outcome?.invitations.push({ sessionCode, email, url, emailed });
    return { email, userId: null, inviteId: invite.id };
  }

  /** A rapporteur the file no longer names: an editor becomes a commenter, an unused invitation is revoked. */
  private async replaceRapporteur(documentId: DocumentId, r: RapporteurRecord, actorId: string): Promise<void> {
    const { store, clock } = this.deps;
    if (r.inviteId && r.userId === null) {
      if (await store.revokeInvite(documentId, r.inviteId, clock.now())) {
        await store.appendAudit(documentId, { actorId, action: 'invite.revoked', details: { inviteId: r.inviteId, as: 'rapporteur replaced' } }, clock.now());
      }
      return;
    }
    if (r.userId === null) return;
    const current = await store.getMember(documentId, r.userId);
    if (current?.role !== 'editor') return;
    await store.setMember(documentId, { userId: r.userId, role: 'commenter', addedBy: actorId }, clock.now());
    await store.appendAudit(documentId, { actorId, action: 'member.role_changed', details: { userId: r.userId, from: 'editor', to: 'commenter', as: 'rapporteur replaced' } }, clock.now());
    this.deps.events.emit({ kind: 'document', documentId });
  }

  private async mailInvitation(email: string, sessionCode: string, url: string, language: Language): Promise<boolean> {
    const { mailer, publicUrl, log } = this.deps;
    if (!mailer || !publicUrl) return false;
    const t = translatorFor(language);
    try {
      await mailer.send({
        to: email,
        subject: t('server.email.rapporteurInvite.subject', { session: sessionCode }),
        text: [t('server.email.rapporteurInvite.body', { session: sessionCode }), '', url, '', t('server.email.rapporteurInvite.expires', { count: RAPPORTEUR_INVITE_DAYS })].join('\n'),
      });
      return true;
    } catch (error) {
      log.error({ err: error }, 'could not e-mail a rapporteur invitation');
      return false;
    }
  }
}

/** A report's title: the session's code and title. */
export function reportTitle(code: string, title: string): string {
  return `${code} · ${title}`.slice(0, 200);
}

/** For messages that name a problem, as MessageRefs (kept here so routes word them). */
export type { MessageRef };

/** The local time of an instant in a zone, as the CSV writes it. */
export function localTimeOf(ms: number, timeZone: string): string {
  return formatLocalTime(wallTime(ms, timeZone));
}
