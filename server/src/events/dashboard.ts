import { type DashboardView, type DocumentStatus, type RapporteurView, type ReportCounts, type ReportStatus, REPORT_STATUSES, type SessionView } from '@rapporteur/protocol';
import { stringify } from 'csv-stringify/sync';
import type { EventRecord, RapporteurAccount, SessionRecord, SessionReportRow } from '../storage/EventStore';
import { localTimeOf } from './SessionImport';

/**
 * Where a session's report stands (SPEC EV6), from its document's workflow
 * status: `missing` while it is drafting and nothing was stored after the
 * pre-filled template, `drafting`, `in-review` (review, public comment,
 * revising), `submitted` (final), `published`.
 */
export function reportStatus(documentStatus: DocumentStatus, lastSeq: number, prefillSeq: number): ReportStatus {
  switch (documentStatus) {
    case 'published':
      return 'published';
    case 'final':
      return 'submitted';
    case 'review':
    case 'public-comment':
    case 'revising':
      return 'in-review';
    case 'drafting':
      return lastSeq > prefillSeq ? 'drafting' : 'missing';
  }
}

/** Overdue: the deadline has come (at or before `now`) and the report is neither submitted nor published (SPEC EV6). */
export function isOverdue(status: ReportStatus, deadline: { at: number } | null, now: number): boolean {
  return deadline !== null && deadline.at <= now && status !== 'submitted' && status !== 'published';
}

export function emptyCounts(): ReportCounts {
  return { sessions: 0, overdue: 0, ...Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0])) } as ReportCounts;
}

export interface DashboardOptions {
  readonly now: number;
  /** `own`: only the sessions `userId` reports on. */
  readonly scope: 'all' | 'own';
  readonly userId: string | null;
  /** Whether e-mail addresses are shown (organisers and admins). */
  readonly emails: boolean;
  /** Only this track (its id). */
  readonly trackId?: string;
}

/** A session as the API shows it, to someone who may see e-mail addresses or not. */
export function presentSession(event: EventRecord, s: SessionRecord, report: { status: ReportStatus; documentStatus: DocumentStatus; deadline: { at: number; timeZone: string } | null; overdue: boolean }, accounts: ReadonlyMap<string, RapporteurAccount>, emails: boolean): SessionView {
  const track = event.tracks.find((t) => t.id === s.trackId);
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    track: track?.name ?? '',
    trackId: s.trackId,
    type: s.type,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    organisers: s.organisers,
    speakers: s.speakers,
    rapporteurs: s.rapporteurs.map((r): RapporteurView => {
      const account = r.userId ? accounts.get(r.userId) : undefined;
      return {
        id: account?.id ?? null,
        name: account?.name ?? null,
        stakeholderGroup: account?.stakeholderGroup ?? null,
        email: emails ? r.email : null,
        pending: r.userId === null,
      };
    }),
    documentId: s.documentId,
    documentStatus: report.documentStatus,
    status: report.status,
    deadline: report.deadline ? { at: new Date(report.deadline.at).toISOString(), timeZone: report.deadline.timeZone } : null,
    overdue: report.overdue,
  };
}

/**
 * The dashboard (SPEC EV6, EV7): every session the reader may see with its
 * report's status and deadline, overdue first (soonest deadline first),
 * then by deadline (none last) and code; counts per status over the same
 * sessions.
 */
export function buildDashboard(event: EventRecord, rows: readonly SessionReportRow[], accounts: ReadonlyMap<string, RapporteurAccount>, options: DashboardOptions): DashboardView {
  const counts = emptyCounts() as { -readonly [K in keyof ReportCounts]: number };
  const sessions: SessionView[] = [];
  for (const row of rows) {
    if (options.scope === 'own' && !row.rapporteurs.some((r) => r.userId !== null && r.userId === options.userId)) continue;
    if (options.trackId !== undefined && row.trackId !== options.trackId) continue;
    const status = reportStatus(row.documentStatus, row.lastSeq, row.prefillSeq);
    const overdue = isOverdue(status, row.deadline, options.now);
    counts.sessions++;
    counts[status]++;
    if (overdue) counts.overdue++;
    sessions.push(presentSession(event, row, { status, documentStatus: row.documentStatus, deadline: row.deadline, overdue }, accounts, options.emails));
  }
  const deadlineOf = (s: SessionView) => (s.deadline ? Date.parse(s.deadline.at) : Number.POSITIVE_INFINITY);
  sessions.sort((a, b) => Number(b.overdue) - Number(a.overdue) || deadlineOf(a) - deadlineOf(b) || a.code.localeCompare(b.code));
  return { event: { id: event.id, name: event.name, timeZone: event.timeZone }, at: new Date(options.now).toISOString(), counts, sessions };
}

/** Translates a catalog key in the reader's language. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * The dashboard as CSV (UTF-8 with BOM, CRLF), labelled in the reader's
 * language; times in the event's time zone; e-mail addresses only when the
 * view has them. Formula-like cells are prefixed with `'`.
 */
export function dashboardCsv(view: DashboardView, t: Translate): string {
  const guard = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const zone = view.event.timeZone;
  const withEmails = view.sessions.some((s) => s.rapporteurs.some((r) => r.email !== null));
  const columns = ['code', 'title', 'track', 'type', 'start', 'end', 'rapporteurs', ...(withEmails ? ['emails'] : []), 'status', 'deadline', 'overdue'];
  const rows = view.sessions.map((s) => {
    const cells: Record<string, string> = {
      code: s.code,
      title: s.title,
      track: s.track,
      type: t(`events.sessionType.${s.type}`),
      start: localTimeOf(Date.parse(s.startsAt), zone),
      end: localTimeOf(Date.parse(s.endsAt), zone),
      rapporteurs: s.rapporteurs.map((r) => (r.name ? `${r.name} (${t(`stakeholder.name.${r.stakeholderGroup}`)})` : t('events.dashboard.invited'))).join(' | '),
      emails: s.rapporteurs.map((r) => r.email ?? '').join(' | '),
      status: t(`events.reportStatus.${s.status}`),
      deadline: s.deadline ? `${localTimeOf(Date.parse(s.deadline.at), s.deadline.timeZone)} ${s.deadline.timeZone}` : '',
      overdue: s.overdue ? t('events.dashboard.overdueYes') : '',
    };
    return columns.map((c) => guard(cells[c] ?? ''));
  });
  return '\uFEFF' + stringify(rows, { header: true, columns: columns.map((c) => t(`events.dashboard.column.${c}`)), record_delimiter: 'windows' });
}
