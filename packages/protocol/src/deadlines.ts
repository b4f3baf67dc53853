import * as z from 'zod';

import { DUE_FILTERS } from './vocabulary';
import { canonicalTimeZone } from './zonedTime';

// Deadlines at the HTTP boundary (issue 9, SPEC WF6): the request shapes.
// The arithmetic of zones and days is in zonedTime.ts, zod-free, because the
// editor runs it too.

/** An IANA time zone name `Intl` knows, given back in its canonical spelling. */
export const TimeZoneName = z
  .string()
  .min(1)
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical === null) {
      ctx.addIssue({ code: 'custom', message: `Unknown time zone: ${name}` });
      return z.NEVER;
    }
    return canonical;
  });

/** A deadline as requests carry it: `{at: ISO 8601 with offset, timeZone: IANA}`. */
export const DeadlineInput = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  timeZone: TimeZoneName,
});
export type DeadlineInput = z.input<typeof DeadlineInput>;

/** A deadline as the API shows it: `at` in UTC (ISO 8601) and the zone it was set in. */
export interface DeadlineView {
  readonly at: string;
  readonly timeZone: string;
}

export const DueFilter = z.enum(DUE_FILTERS);
export type DueFilter = z.infer<typeof DueFilter>;

