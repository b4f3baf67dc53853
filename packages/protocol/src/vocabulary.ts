/**
 * The fixed vocabularies of the domain (DESIGN.md "Domain") as plain lists,
 * apart from the zod schemas built on them (domain.ts, outcome.ts, …). The
 * editor imports these lists and a few pure functions but no schema, and
 * the package is marked free of side effects: kept in a module without zod,
 * they do not pull the validation library into the editor's first load
 * (issue 13's budget; `ARCHITECTURE.md` "The editor's first load").
 */

/** Stakeholder groups of DESIGN.md ("Domain"). */
export const STAKEHOLDER_GROUPS = [
  'government',
  'intergovernmental',
  'private-sector',
  'civil-society',
  'technical-community',
  'academia',
  'media',
  'other',
] as const;

/** The five UN regional groups, plus intergovernmental and other. */
export const REGIONS = [
  'african',
  'asia-pacific',
  'eastern-european',
  'latin-american-caribbean',
  'western-european-others',
  'intergovernmental',
  'other',
] as const;

/** What a member may do with a document, from most to least. */
export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;

/**
 * Who besides members may reach a document: `private` (members only),
 * `comment` (any signed-in user may read and comment), `public` (anyone may read).
 */
export const VISIBILITIES = ['private', 'comment', 'public'] as const;

/** Optional, self-declared; shown only in aggregate unless the person opts in. */
export const GENDERS = ['woman', 'man', 'non-binary', 'self-described', 'prefer-not-to-say'] as const;

/**
 * The six UN languages (issue 12): a person's interface language (`locale`)
 * and a document's language. The same list as packages/i18n LANGUAGES (a test
 * there holds them equal).
 */
export const LOCALES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;

/**
 * Where a paragraph of a linked translation stands (SPEC LT3): `to-translate`
 * (not started), `draft` (written, not checked), `reviewed` (checked by a
 * second reader, or signed off).
 */
export const SEGMENT_STATUSES = ['to-translate', 'draft', 'reviewed'] as const;

/** What became of a comment (DESIGN.md "Domain"). */
export const DISPOSITIONS = ['open', 'accepted', 'partially-accepted', 'noted', 'declined', 'out-of-scope', 'withdrawn'] as const;

/** Document types; each has a current template (blank has an empty one). */
export const DOCUMENT_TYPES = [
  'session-report',
  'igf-messages',
  'chairs-summary',
  'background-paper',
  'bpf-output',
  'dc-output',
  'nri-report',
  'blank',
] as const;

/** The review workflow, in its usual order. */
export const DOCUMENT_STATUSES = ['drafting', 'review', 'public-comment', 'revising', 'final', 'published'] as const;

/** The consensus scale (the ICANN GNSO scale), strongest first. */
export const CONSENSUS_LEVELS = [
  'full-consensus',
  'consensus',
  'strong-support-with-opposition',
  'divergence',
  'minority-view',
  'not-assessed',
] as const;

/** How the level was established. */
export const CONSENSUS_BASES = ['chair-designation', 'in-room-check', 'comment-period', 'source-reports'] as const;

/** `GET /api/documents?due=`: which deadlines to list (SPEC WF8). */
export const DUE_FILTERS = ['overdue', 'today', 'week'] as const;

/** Levels whose marker must state each view and who holds it before "final". */
export const LEVELS_REQUIRING_VIEWS: ReadonlyArray<(typeof CONSENSUS_LEVELS)[number]> = ['divergence', 'minority-view'];

/**
 * Session types of an event's programme (issue 11): what the session CSV's
 * `type` column holds. Every session's report uses the session-report
 * template whatever its type; the type is written into the report.
 */
export const SESSION_TYPES = [
  'main-session',
  'high-level-session',
  'workshop',
  'open-forum',
  'town-hall',
  'lightning-talk',
  'launch-award',
  'networking-session',
  'day-0-event',
  'dynamic-coalition',
  'best-practice-forum',
  'policy-network',
  'nri-session',
  'other',
] as const;

/**
 * Where a session's report stands on an event's dashboard (issue 11), from
 * its document's workflow status: `missing` (drafting, nothing written
 * beyond the pre-filled template), `drafting`, `in-review` (review, public
 * comment or revising), `submitted` (final), `published`.
 */
export const REPORT_STATUSES = ['missing', 'drafting', 'in-review', 'submitted', 'published'] as const;

/** What a takeaway of a session report is (issue 11): from its key takeaways or its calls to action. */
export const TAKEAWAY_KINDS = ['takeaway', 'call-to-action'] as const;

/** A rapporteur's deadline reminders (SPEC EV12): before the deadline, and once it has passed. */
export const REMINDER_KINDS = ['due-soon', 'overdue'] as const;
