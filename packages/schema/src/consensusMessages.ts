// Kept apart from consensus.ts, which builds on Tiptap: the editor's i18n
// setup imports this on every page (the document list too), and must not
// pull the editor's libraries into the first download (issue 13).
import type { StakeholderGroup } from '@rapporteur/protocol';

/**
 * The English catalog of every marker string, keyed like the editor's i18n
 * resources (the editor mounts it under `consensus`), so that the six-language
 * catalog can take it over key by key. `{{name}}` is interpolated.
 */
export const CONSENSUS_MESSAGES_EN = {
  markerName: 'Consensus marker',
  markerAria: 'Consensus marker: {{label}}',
  level: {
    'full-consensus': {
      label: 'Full consensus',
      passage: 'There was full consensus on this passage: no participant spoke against it in its last reading.',
      section: 'There was full consensus on this section: no participant spoke against it in its last reading.',
    },
    consensus: {
      label: 'Consensus',
      passage: 'There was broad agreement on this passage, though a small number of participants may have disagreed.',
      section: 'There was broad agreement on this section, though a small number of participants may have disagreed.',
    },
    'strong-support-with-opposition': {
      label: 'Strong support with significant opposition',
      passage: 'Most participants supported this passage, but a significant number opposed it.',
      section: 'Most participants supported this section, but a significant number opposed it.',
    },
    divergence: {
      label: 'Divergence',
      passage: 'Views diverged on this passage: no single position had strong support.',
      section: 'Views diverged on this section: no single position had strong support.',
    },
    'minority-view': {
      label: 'Minority view',
      passage: 'This passage sets out a position that only a small number of participants supported.',
      section: 'This section sets out a position that only a small number of participants supported.',
    },
    'not-assessed': {
      label: 'Not assessed',
      passage: 'The level of agreement on this passage was not assessed.',
      section: 'The level of agreement on this section was not assessed.',
    },
  },
  basis: {
    'chair-designation': "chair's designation",
    'in-room-check': 'in-room check',
    'comment-period': 'comment period',
    'source-reports': 'source reports',
  },
  basisLine: 'Basis: {{basis}}',
  basisLineWithNote: 'Basis: {{basis}} — {{note}}',
  viewsTitle: 'Views expressed',
  opposingViewsTitle: 'Opposing views',
  viewNumber: 'View {{number}}',
  heldBy: 'Held by: {{groups}}',
  heldByNotStated: 'Held by: not stated',
  viewTextMissing: '(text not yet written)',
  group: {
    government: 'Government',
    intergovernmental: 'Intergovernmental organisation',
    'private-sector': 'Private sector',
    'civil-society': 'Civil society',
    'technical-community': 'Technical community',
    academia: 'Academia',
    media: 'Media',
    other: 'Other',
  } satisfies Record<StakeholderGroup, string>,
  summary: {
    title: 'Consensus summary',
    passage: 'Passage',
    level: 'Level',
    basis: 'Basis',
    views: 'Views',
    noViews: '—',
  },
} as const;
