import { intlLocale, type Language, translatorFor } from '@rapporteur/i18n';
import type { Clock, TimerHandle } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import type { AccountStore } from '../storage/AccountStore';
import type { EventStore, ReminderRecord, SessionReportRow } from '../storage/EventStore';

export interface ReminderOptions {
  /** A `due-soon` reminder is sent once the deadline is this close (ms). */
  readonly leadMs: number;
  /** How often the deadlines are looked at (ms). */
  readonly sweepMs: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = { leadMs: 6 * 60 * 60 * 1000, sweepMs: 5 * 60 * 1000 };

export interface RemindersDeps {
  readonly eventStore: EventStore;
  readonly accountStore: AccountStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly mailer: Mailer | null;
  /** Links in e-mails are built on it; without it no e-mail is sent (as for invitations). */
  readonly publicUrl: string | null;
}

/** What one sweep did. */
export interface SweepResult {
  readonly recorded: number;
  readonly emailed: number;
}

/**
 * Deadline reminders for rapporteurs (SPEC EV12): every `sweepMs`, each
 * session whose report is not final or published and whose deadline is
 * within `leadMs` gets, for each rapporteur with an account, one `due-soon`
 * reminder before the deadline and one `overdue` reminder after it — at most
 * once per kind and per deadline (the table's primary key: a sweep that runs
 * twice, on one instance or several, records nothing new, and an extended
 * deadline arms both again). Only the sweep that recorded a reminder e-mails
 * it, when SMTP and PUBLIC_URL are configured, in the person's language.
 * A session whose first sweep finds it already past its deadline gets only
 * the `overdue` reminder. Failures are logged and retried by the next sweep
 * (a reminder not recorded is tried again; an e-mail that failed is not).
 */
export class Reminders {
  private timer: TimerHandle | null = null;
  private running: Promise<SweepResult> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: RemindersDeps,
    private readonly options: ReminderOptions = DEFAULT_REMINDER_OPTIONS,
  ) {}

  /** Sweeps now and then every `sweepMs` until `stop()`. */
  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Stops the timer and waits for a sweep under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Resolves when no sweep is under way (tests, after moving the clock). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped) return;
    void this.sweep().finally(() => {
      if (!this.stopped) this.timer = this.deps.clock.setTimeout(() => this.tick(), this.options.sweepMs);
    });
  }

  /** One pass over the deadlines; a second call while one runs joins it. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepResult> {
    const { eventStore, clock, log } = this.deps;
    const now = clock.now();
    let recorded = 0;
    let emailed = 0;
    let due: SessionReportRow[];
    try {
      due = await eventStore.sessionsDueBy(now + this.options.leadMs);
    } catch (error) {
      log.error({ err: error }, 'could not look for report deadlines');
      return { recorded, emailed };
    }
    for (const session of due) {
      if (!session.deadline) continue;
      const kind: ReminderRecord['kind'] = session.deadline.at <= now ? 'overdue' : 'due-soon';
      for (const rapporteur of session.rapporteurs) {
        if (!rapporteur.userId) continue;
        try {
          const sendMail = this.deps.mailer !== null && this.deps.publicUrl !== null;
          const added = await eventStore.addReminder({
            sessionId: session.id,
            userId: rapporteur.userId,
            kind,
            deadline: session.deadline.at,
            createdAt: now,
            emailed: false,
          });
          if (!added) continue;
          recorded += 1;
          if (sendMail && (await this.email(session, rapporteur.userId, kind))) {
            emailed += 1;
            await eventStore.markReminderEmailed({ sessionId: session.id, userId: rapporteur.userId, kind, deadline: session.deadline.at });
          }
        } catch (error) {
          log.error({ err: error, sessionId: session.id }, 'could not record a deadline reminder');
        }
      }
    }
    if (recorded > 0) log.info({ recorded, emailed }, 'deadline reminders sent');
    return { recorded, emailed };
  }

  private async email(session: SessionReportRow, userId: string, kind: ReminderRecord['kind']): Promise<boolean> {
    const { accountStore, mailer, publicUrl, log } = this.deps;
    const user = await accountStore.getUser(userId);
    if (!user || user.disabled || !mailer || !publicUrl || !session.deadline) return false;
    const language: Language = user.locale ?? 'en';
    const t = translatorFor(language);
    const when = formatDeadline(language, session.deadline.at, session.deadline.timeZone);
    const vars = { session: session.code, title: session.title, when };
    try {
      await mailer.send({
        to: user.email,
        subject: t(`server.email.reminder.${kind}.subject`, vars),
        text: [t('server.email.reminder.greeting', { name: user.name }), '', t(`server.email.reminder.${kind}.body`, vars), '', `${publicUrl}/d/${encodeURIComponent(session.documentId)}`].join('\n'),
      });
      return true;
    } catch (error) {
      log.error({ err: error, sessionId: session.id }, 'could not e-mail a deadline reminder');
      return false;
    }
  }
}

/** A deadline as the person reads it: date and time on the event's clock, with the zone's name. */
export function formatDeadline(language: Language, at: number, timeZone: string): string {
  // dateStyle and timeStyle cannot be combined with timeZoneName: the parts are named one by one.
  return new Intl.DateTimeFormat(intlLocale(language), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}
