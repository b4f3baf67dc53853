import type { SessionView } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { byTrack, eventFormProblems, eventTime, parseEmails, parseSpeakers, parseTracks } from './events';

describe('the events pages’ helpers', () => {
  it('reads tracks one per line, dropping blanks and repeats in any case', () => {
    expect(parseTracks(' Access \n\naccess\nHuman  rights; Cybersecurity\n')).toEqual(['Access', 'Human rights', 'Cybersecurity']);
  });

  it('reads e-mail addresses separated by lines, commas, semicolons or spaces, once each', () => {
    expect(parseEmails('a@x.org, b@y.org;\nc@z.org  a@x.org')).toEqual(['a@x.org', 'b@y.org', 'c@z.org']);
  });

  it('says what is wrong with a new event before asking the server', () => {
    expect(eventFormProblems({ name: ' ', startsAt: '2025-06-23', endsAt: '2025-06-22', deadlineHours: '0' })).toEqual({
      name: 'required',
      endsAt: 'endBeforeStart',
      deadlineHours: 'deadlineRange',
    });
    expect(eventFormProblems({ name: 'IGF 2025', startsAt: '2025-06-23', endsAt: '2025-06-27', deadlineHours: '24' })).toEqual({});
  });

  it('reads speakers as in the CSV and names the lines that do not', () => {
    expect(parseSpeakers('Ana Lima (civil-society, latin-america-caribbean)\n\nBo\nKim (government,asia-pacific)')).toEqual({
      ok: [
        { name: 'Ana Lima', stakeholderGroup: 'civil-society', region: 'latin-america-caribbean' },
        { name: 'Kim', stakeholderGroup: 'government', region: 'asia-pacific' },
      ],
      bad: [3],
    });
  });

  it('groups the dashboard by track, keeping the server’s order within each', () => {
    const s = (code: string, track: string) => ({ id: code, code, track, trackId: track.toLowerCase() }) as unknown as SessionView;
    expect(byTrack([s('B2', 'Rights'), s('A1', 'Access'), s('B1', 'Rights')]).map((g) => [g.track, g.sessions.map((x) => x.code)])).toEqual([
      ['Access', ['A1']],
      ['Rights', ['B2', 'B1']],
    ]);
  });

  it('shows a time on the event’s clock with its zone', () => {
    expect(eventTime('en', '2025-06-23T08:00:00Z', 'Europe/Oslo')).toMatch(/10:00.*(GMT\+2|CEST)/);
    expect(eventTime('en', 'not a time', 'UTC')).toBe('not a time');
  });
});
