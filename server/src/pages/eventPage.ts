import { directionOf } from '@rapporteur/i18n';
import { escapeHtml } from '@rapporteur/schema';
import { PAGE_CSS } from './page';
import { publicationPath } from './publicationPage';

/** Translates a catalog key in the reader's language. */
export type EventPageTranslate = (key: string, values?: Record<string, unknown>) => string;

/** A published text the reader may open: its document and publication number. */
export interface PublishedRef {
  readonly documentId: string;
  readonly number: number;
}

export interface EventPageInput {
  readonly name: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly timeZone: string;
  readonly tracks: readonly {
    readonly name: string;
    /** The track's messages as published, when the reader may read a publication of them. */
    readonly messages: PublishedRef | null;
    readonly sessions: readonly {
      readonly code: string;
      readonly title: string;
      readonly type: string;
      /** Local times in the event's zone, `YYYY-MM-DDTHH:mm`. */
      readonly start: string;
      readonly end: string;
      readonly report: PublishedRef | null;
    }[];
  }[];
}

/**
 * The public page of an event (SPEC EV11): no script, the page layer's
 * stylesheet; per track, its published messages and every session with a
 * link to its published report, or a word that there is none yet. Only
 * publications the reader may read are linked; everything is escaped.
 */
export function eventPageHtml(input: EventPageInput, t: EventPageTranslate, lang: string): string {
  const link = (ref: PublishedRef | null, label: string): string =>
    ref ? `<a href="${publicationPath(ref.documentId, ref.number)}">${escapeHtml(label)}</a>` : `<span class="not-yet">${escapeHtml(t('server.eventPage.notYet'))}</span>`;
  const tracks = input.tracks.map((track, i) => {
    const rows = track.sessions
      .map(
        (s) =>
          `<tr><td>${escapeHtml(s.code)}</td><td dir="auto">${escapeHtml(s.title)}</td><td>${escapeHtml(s.type)}</td>` +
          `<td><time>${escapeHtml(s.start.replace('T', ' '))}</time>–<time>${escapeHtml(s.end.slice(11))}</time></td>` +
          `<td>${link(s.report, t('server.eventPage.report', { code: s.code }))}</td></tr>`,
      )
      .join('\n');
    return [
      `<section aria-labelledby="track-${i}">`,
      `<h2 id="track-${i}" dir="auto">${escapeHtml(track.name)}</h2>`,
      `<p><strong>${escapeHtml(t('server.eventPage.messages'))}:</strong> ${link(track.messages, t('server.eventPage.messagesOf', { track: track.name }))}</p>`,
      track.sessions.length === 0
        ? `<p>${escapeHtml(t('server.eventPage.noSessions'))}</p>`
        : [
            '<table>',
            `<caption>${escapeHtml(t('server.eventPage.sessionsOf', { track: track.name }))}</caption>`,
            `<thead><tr><th scope="col">${escapeHtml(t('events.dashboard.column.code'))}</th><th scope="col">${escapeHtml(t('events.dashboard.column.title'))}</th><th scope="col">${escapeHtml(t('events.dashboard.column.type'))}</th><th scope="col">${escapeHtml(t('server.eventPage.when', { zone: input.timeZone }))}</th><th scope="col">${escapeHtml(t('events.dashboard.column.status'))}</th></tr></thead>`,
            `<tbody>${rows}</tbody>`,
            '</table>',
          ].join('\n'),
      '</section>',
    ].join('\n');
  });
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}" dir="${directionOf(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.name)}</title>`,
    `<style>${PAGE_CSS} caption { text-align: start; font-weight: bold; padding-block-end: 0.25rem; } .not-yet { color: #555; }</style>`,
    '</head>',
    '<body>',
    '<header class="page-header">',
    `<h1 dir="auto">${escapeHtml(input.name)}</h1>`,
    `<p>${escapeHtml(t('server.eventPage.dates', { from: input.startsOn, to: input.endsOn, zone: input.timeZone }))}</p>`,
    '</header>',
    '<main>',
    ...tracks,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
