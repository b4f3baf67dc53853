import { z } from 'zod';

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
export const StakeholderGroup = z.enum(STAKEHOLDER_GROUPS);
export type StakeholderGroup = z.infer<typeof StakeholderGroup>;

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
export const Region = z.enum(REGIONS);
export type Region = z.infer<typeof Region>;

/** What a member may do with a document, from most to least. */
export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Who besides members may reach a document: `private` (members only),
 * `comment` (any signed-in user may read and comment), `public` (anyone may read).
 */
export const VISIBILITIES = ['private', 'comment', 'public'] as const;
export const Visibility = z.enum(VISIBILITIES);
export type Visibility = z.infer<typeof Visibility>;

/** Optional, self-declared; shown only in aggregate unless the person opts in. */
export const GENDERS = ['woman', 'man', 'non-binary', 'self-described', 'prefer-not-to-say'] as const;
export const Gender = z.enum(GENDERS);
export type Gender = z.infer<typeof Gender>;

/**
 * The six UN languages (issue 12): a person's interface language (`locale`)
 * and a document's language. The same list as packages/i18n LANGUAGES (a test
 * there holds them equal).
 */
export const LOCALES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
