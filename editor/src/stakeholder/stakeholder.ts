// Types only: the header and presence list load with the first page, without zod.
import type { StakeholderGroup } from '@rapporteur/protocol';

/**
 * The badge colour of each stakeholder group. The badge always carries a short
 * text label too (never colour alone); white text on these colours reaches
 * WCAG AA (4.5:1). Hues follow no ranking: no group looks "more important".
 */
export const STAKEHOLDER_COLORS: Readonly<Record<StakeholderGroup, string>> = {
  government: '#1a5fb4',
  intergovernmental: '#0b6e79',
  'private-sector': '#8a4b08',
  'civil-society': '#1e6b3a',
  'technical-community': '#5b3fa0',
  academia: '#8e2a72',
  media: '#b3261e',
  other: '#4d5b6a',
};

/** The i18n key of the short label (GOV, CSO, …) and of the full name of a group. */
export function stakeholderLabelKeys(group: StakeholderGroup): { short: `stakeholder.short.${StakeholderGroup}`; name: `stakeholder.name.${StakeholderGroup}` } {
  return { short: `stakeholder.short.${group}`, name: `stakeholder.name.${group}` };
}

/** The group when `value` names one (awareness states from others are untrusted). */
export function parseStakeholderGroup(value: unknown): StakeholderGroup | null {
  return typeof value === 'string' && Object.hasOwn(STAKEHOLDER_COLORS, value) ? (value as StakeholderGroup) : null;
}
