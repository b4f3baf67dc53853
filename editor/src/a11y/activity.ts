/**
 * What other people did while a screen-reader user works, gathered into one
 * polite announcement now and then (issue 13): "Amina Diallo edited the
 * text. Bruno joined. 2 new comments from Carla." Never a flood — events are
 * batched over a window, announced at most once per window, and held back
 * while the person is typing, so the announcement does not talk over them.
 *
 * Pure: time comes from the caller, so tests drive it with their own clock.
 */

export type Activity =
  | { readonly kind: 'edit'; readonly who: string | null }
  | { readonly kind: 'joined'; readonly who: string | null }
  | { readonly kind: 'left'; readonly who: string | null }
  | { readonly kind: 'comment'; readonly who: string | null };

export interface ActivitySummary {
  /** Names of people who edited (in order of first edit); `someoneEdited` for edits by nobody we can name. */
  readonly editors: readonly string[];
  readonly someoneEdited: boolean;
  readonly joined: readonly string[];
  readonly left: readonly string[];
  /** New comments and replies, per author (in order of first comment); author null when unnamed. */
  readonly comments: ReadonlyArray<{ readonly who: string | null; readonly count: number }>;
}

export interface DigestOptions {
  /** How long events are gathered after the first one before anything is said. */
  readonly windowMs: number;
  /** How long after the person's last keystroke announcements wait. */
  readonly quietAfterTypingMs: number;
}

export const DEFAULT_DIGEST_OPTIONS: DigestOptions = { windowMs: 5_000, quietAfterTypingMs: 3_000 };

export class ActivityDigest {
  private pending: Activity[] = [];
  private firstAt: number | null = null;
  private typedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DigestOptions = DEFAULT_DIGEST_OPTIONS) {}

  add(activity: Activity, now: number): void {
    this.pending.push(activity);
    this.firstAt ??= now;
  }

  /** The person pressed a key: hold announcements back a while. */
  typed(now: number): void {
    this.typedAt = now;
  }

  /** Whether a summary should be said now. */
  due(now: number): boolean {
    return this.firstAt !== null && now - this.firstAt >= this.options.windowMs && now - this.typedAt >= this.options.quietAfterTypingMs;
  }

  /** The summary of everything gathered, and a fresh start; null when nothing is due. */
  take(now: number): ActivitySummary | null {
    if (!this.due(now)) return null;
    const summary = summarize(this.pending);
    this.pending = [];
    this.firstAt = null;
    return summary;
  }
}

function summarize(activities: readonly Activity[]): ActivitySummary {
  const editors: string[] = [];
  let someoneEdited = false;
  // Someone who joined and left within one window is neither: nothing to say.
  const presence = new Map<string, 'joined' | 'left' | 'none'>();
  const comments = new Map<string | null, number>();
  for (const a of activities) {
    switch (a.kind) {
      case 'edit':
        if (a.who === null) someoneEdited = true;
        else if (!editors.includes(a.who)) editors.push(a.who);
        break;
      case 'joined':
      case 'left': {
        if (a.who === null) break;
        const before = presence.get(a.who);
        const cancels = (before === 'joined' && a.kind === 'left') || (before === 'left' && a.kind === 'joined');
        presence.set(a.who, cancels ? 'none' : a.kind);
        break;
      }
      case 'comment':
        comments.set(a.who, (comments.get(a.who) ?? 0) + 1);
        break;
    }
  }
  const named = (state: 'joined' | 'left'): string[] => [...presence].filter(([, s]) => s === state).map(([who]) => who);
  return {
    editors,
    someoneEdited: someoneEdited && editors.length === 0,
    joined: named('joined'),
    left: named('left'),
    comments: [...comments].map(([who, count]) => ({ who, count })),
  };
}

/** Whether a summary has anything to say. */
export function isEmptySummary(s: ActivitySummary): boolean {
  return s.editors.length === 0 && !s.someoneEdited && s.joined.length === 0 && s.left.length === 0 && s.comments.length === 0;
}
