import type { Disposition, Region, StakeholderGroup } from '@rapporteur/protocol';
import { GENDERS, REGIONS, STAKEHOLDER_GROUPS } from '@rapporteur/protocol';
import { directionOf, translatorFor } from '@rapporteur/i18n';
import { escapeHtml } from '@rapporteur/schema';
import { stringify } from 'csv-stringify/sync';
import type { UserRecord } from '../storage/AccountStore';
import type { CommentRecord } from '../storage/CommentStore';
import { type SuppressedCount, suppressRecord } from './suppression';

// Exports of a document's comments (issue 4): the disposition-of-comments
// table (CSV, HTML), the compendium of views by stakeholder group (HTML,
// Markdown) and participation figures. Every comment text is escaped for the
// format it lands in; nothing from a comment can run (C9). Labels come from
// the shared catalog in the reader's language (SPEC L7).

/** Translates a catalog key (packages/i18n) in the reader's language. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

const english: Translate = (key, values) => translatorFor('en')(key, { ...values }) as string;

const groupLabel = (t: Translate, group: StakeholderGroup): string => t(`stakeholder.name.${group}`);
const regionLabel = (t: Translate, region: Region): string => t(`region.${region}`);
const dispositionLabel = (t: Translate, disposition: Disposition): string => t(`comments.status.${disposition}`);

export interface DispositionRow {
  readonly number: string;
  readonly passage: string;
  readonly comment: string;
  readonly suggestion: string;
  readonly author: string;
  readonly organisation: string;
  readonly stakeholderGroup: string;
  readonly region: string;
  readonly date: string;
  readonly disposition: string;
  readonly response: string;
  readonly decidedBy: string;
}

const COLUMNS: ReadonlyArray<keyof DispositionRow> = [
  'number',
  'passage',
  'comment',
  'suggestion',
  'author',
  'organisation',
  'stakeholderGroup',
  'region',
  'date',
  'disposition',
  'response',
  'decidedBy',
];
const columnLabel = (t: Translate, key: keyof DispositionRow): string => t(`server.export.column.${key}`);

/**
 * One row per comment, threads numbered 1, 2, … in document order of
 * writing, replies as 1.1, 1.2 under their thread. Hidden comments keep
 * their row with the moderator's reason instead of their text unless the
 * reader may moderate.
 */
export function dispositionRows(comments: readonly CommentRecord[], canSeeHidden: boolean, t: Translate = english): DispositionRow[] {
  const threads = comments.filter((c) => c.parentId === null);
  const rows: DispositionRow[] = [];
  threads.forEach((thread, i) => {
    rows.push(row(thread, String(i + 1), canSeeHidden, t));
    comments
      .filter((c) => c.parentId === thread.id)
      .forEach((reply, j) => rows.push(row(reply, `${i + 1}.${j + 1}`, canSeeHidden, t)));
  });
  return rows;
}

function row(c: CommentRecord, number: string, canSeeHidden: boolean, t: Translate): DispositionRow {
  const concealed = c.hidden !== null && !canSeeHidden;
  return {
    number,
    passage: concealed ? '' : (c.anchor?.quote ?? ''),
    comment: concealed ? t('server.export.hidden', { reason: c.hidden!.reason }) : c.body,
    suggestion: concealed ? '' : (c.suggestion ?? ''),
    author: c.author.name,
    organisation: c.author.organisation ?? '',
    stakeholderGroup: groupLabel(t, c.author.stakeholderGroup),
    region: regionLabel(t, c.author.region),
    date: new Date(c.createdAt).toISOString().slice(0, 16).replace('T', ' '),
    disposition: c.parentId === null || c.status === 'withdrawn' ? dispositionLabel(t, c.status) : '',
    response: c.response ?? '',
    decidedBy: c.disposedBy?.name ?? '',
  };
}

/**
 * CSV (RFC 4180, UTF-8 with BOM so spreadsheets read the six UN languages).
 * Cells that a spreadsheet would run as a formula are prefixed with `'`.
 */
export function dispositionCsv(rows: readonly DispositionRow[], t: Translate = english): string {
  const guard = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return (
    '\uFEFF' +
    stringify(
      rows.map((r) => COLUMNS.map((key) => guard(r[key]))),
      { header: true, columns: COLUMNS.map((key) => columnLabel(t, key)), record_delimiter: 'windows' },
    )
  );
}

/** The disposition table's column headings and cells, for renderers of other formats (a publication's appendix). */
export function dispositionTable(rows: readonly DispositionRow[], t: Translate = english): { columns: string[]; rows: string[][] } {
  return { columns: COLUMNS.map((key) => columnLabel(t, key)), rows: rows.map((r) => COLUMNS.map((key) => r[key])) };
}

export function dispositionHtml(title: string, rows: readonly DispositionRow[], t: Translate = english, language = 'en'): string {
  const head = COLUMNS.map((key) => `<th scope="col">${escapeHtml(columnLabel(t, key))}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${COLUMNS.map((key) => `<td dir="auto">${escapeHtml(r[key]).replace(/\n/g, '<br>')}</td>`).join('')}</tr>`)
    .join('\n');
  return page(
    language,
    t('server.export.dispositionTitle', { title }),
    `<h1>${escapeHtml(t('server.export.dispositionHeading'))}</h1>
<p>${escapeHtml(title)}</p>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`,
  );
}

/** Comments that express a view: not withdrawn, not hidden. */
function views(comments: readonly CommentRecord[]): CommentRecord[] {
  return comments.filter((c) => c.status !== 'withdrawn' && c.hidden === null);
}

/** The views expressed, grouped by stakeholder group (in DESIGN.md's order), then in order of writing. */
export function compendiumHtml(title: string, comments: readonly CommentRecord[], t: Translate = english, language = 'en'): string {
  const sections = STAKEHOLDER_GROUPS.map((group) => {
    const inGroup = views(comments).filter((c) => c.author.stakeholderGroup === group);
    if (inGroup.length === 0) return '';
    const items = inGroup
      .map((c) => {
        const passage = c.anchor?.quote ? `<blockquote>${escapeHtml(c.anchor.quote)}</blockquote>` : '';
        const who = [c.author.name, c.author.organisation, regionLabel(t, c.author.region)].filter(Boolean).map((s) => escapeHtml(s!)).join(', ');
        const suggestion = c.suggestion ? `<p><em>${escapeHtml(t('server.export.suggestedWording'))}</em> <span dir="auto">${escapeHtml(c.suggestion)}</span></p>` : '';
        return `<li>${passage}<p dir="auto">${escapeHtml(c.body).replace(/\n/g, '<br>')}</p>${suggestion}<p class="by">— ${who}</p></li>`;
      })
      .join('\n');
    return `<section><h2>${escapeHtml(groupLabel(t, group))} (${inGroup.length})</h2>\n<ul>\n${items}\n</ul></section>`;
  })
    .filter(Boolean)
    .join('\n');
  return page(
    language,
    t('server.export.compendiumTitle', { title }),
    `<h1>${escapeHtml(t('server.export.compendiumHeading'))}</h1>\n<p>${escapeHtml(title)}</p>\n${sections || `<p>${escapeHtml(t('server.export.noViews'))}</p>`}`,
  );
}

export function compendiumMarkdown(title: string, comments: readonly CommentRecord[], t: Translate = english): string {
  const md = (s: string): string => s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
  const out = [`# ${t('server.export.compendiumHeading')}`, '', md(title), ''];
  for (const group of STAKEHOLDER_GROUPS) {
    const inGroup = views(comments).filter((c) => c.author.stakeholderGroup === group);
    if (inGroup.length === 0) continue;
    out.push(`## ${groupLabel(t, group)} (${inGroup.length})`, '');
    for (const c of inGroup) {
      if (c.anchor?.quote) out.push(`> ${md(c.anchor.quote).replace(/\n/g, '\n> ')}`, '');
      out.push(md(c.body), '');
      if (c.suggestion) out.push(`*${t('server.export.suggestedWording')}* ${md(c.suggestion)}`, '');
      out.push(`— ${md([c.author.name, c.author.organisation, regionLabel(t, c.author.region)].filter(Boolean).join(', '))}`, '');
    }
  }
  return out.join('\n');
}

/** A self-declared figure: a count, or `'suppressed'` (suppression.ts). */
type Count = SuppressedCount;

/** The answers to gender, in the order of the table (and of the profile form), then no answer. */
const GENDER_CELLS = [...GENDERS, 'undeclared'] as const;
const YES_NO = ['yes', 'no', 'undeclared'] as const;

export interface Participation {
  /** People who wrote at least one comment or reply that is not withdrawn. */
  readonly commenters: number;
  readonly comments: number;
  readonly commentsByStakeholderGroup: Record<StakeholderGroup, number>;
  readonly commentsByRegion: Record<Region, number>;
  readonly commentersByStakeholderGroup: Record<StakeholderGroup, number>;
  /** Self-declared, aggregated only; small counts withheld so that none can be derived (suppression.ts). */
  readonly gender: Record<(typeof GENDER_CELLS)[number], Count>;
  readonly youth: { readonly yes: Count; readonly no: Count; readonly undeclared: Count };
  readonly firstTime: { readonly yes: Count; readonly no: Count; readonly undeclared: Count };
}

/**
 * Participation figures of a document's comments. Stakeholder group and
 * region come from the comments (as recorded); gender, youth and first-time
 * from the commenters' current profiles, counted per person and reported
 * only in aggregate, each table with small-count and complementary
 * suppression (suppression.ts).
 */
export function participation(comments: readonly CommentRecord[], profiles: ReadonlyMap<string, UserRecord>): Participation {
  const counted = comments.filter((c) => c.status !== 'withdrawn');
  const zero = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const byGroup = zero(STAKEHOLDER_GROUPS);
  const byRegion = zero(REGIONS);
  for (const c of counted) {
    byGroup[c.author.stakeholderGroup]++;
    byRegion[c.author.region]++;
  }
  const people = new Map<string, CommentRecord['author']>();
  for (const c of counted) if (!people.has(c.author.id)) people.set(c.author.id, c.author);
  const peopleByGroup = zero(STAKEHOLDER_GROUPS);
  for (const a of people.values()) peopleByGroup[a.stakeholderGroup]++;

  const gender = zero(GENDER_CELLS);
  const tally = { youth: zero(YES_NO), firstTime: zero(YES_NO) };
  for (const id of people.keys()) {
    const p = profiles.get(id);
    gender[p?.gender ?? 'undeclared']++;
    tally.youth[p?.youth === true ? 'yes' : p?.youth === false ? 'no' : 'undeclared']++;
    tally.firstTime[p?.firstTime === true ? 'yes' : p?.firstTime === false ? 'no' : 'undeclared']++;
  }
  return {
    commenters: people.size,
    comments: counted.length,
    commentsByStakeholderGroup: byGroup,
    commentsByRegion: byRegion,
    commentersByStakeholderGroup: peopleByGroup,
    gender: suppressRecord(GENDER_CELLS, gender),
    youth: suppressRecord(YES_NO, tally.youth),
    firstTime: suppressRecord(YES_NO, tally.firstTime),
  };
}

function page(language: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${directionOf(language)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; inline-size: 100%; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; vertical-align: top; text-align: start; }
blockquote { margin-inline-start: 0; padding-inline-start: 0.75rem; border-inline-start: 3px solid #999; color: #444; }
.by { color: #444; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
