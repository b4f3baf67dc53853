import * as z from 'zod/mini';

import { LINE_CONTROL_MESSAGE, LINE_CONTROLS, LONE_SURROGATE, LONE_SURROGATE_MESSAGE, TEXT_CONTROL_MESSAGE, TEXT_CONTROLS } from './textRules';
import { CONSENSUS_BASES, CONSENSUS_LEVELS, STAKEHOLDER_GROUPS } from './vocabulary';

// The consensus marker's shape (issue 9), written with zod's tree-shakable
// "mini" API: the editor checks every marker it reads from the shared
// document (toConsensusMarker in packages/schema), and zod's full API would
// add about 20 KB compressed to its first load (issue 13). The text rules
// are text.ts's (textRules.ts): the same checks, the same NFC and trimming.

/** Typed text (text.ts's `lineText`/`multilineText`) in the mini API: no control characters or lone surrogates, NFC, trimmed, at most `max` characters. */
function typedText(controls: RegExp, controlMessage: string, max: number) {
  return z.string().check(
    z.refine((s) => !LONE_SURROGATE.test(s), LONE_SURROGATE_MESSAGE),
    z.refine((s) => !controls.test(s), controlMessage),
    z.overwrite((s) => s.normalize('NFC').trim()),
    z.maxLength(max),
  );
}

/** One view of a divergence, minority view or opposition, and who holds it. */
export const ConsensusView = z.strictObject({
  text: typedText(TEXT_CONTROLS, TEXT_CONTROL_MESSAGE, 4000),
  groups: z.array(z.enum(STAKEHOLDER_GROUPS)).check(z.maxLength(8)),
});
export type ConsensusView = z.infer<typeof ConsensusView>;

/**
 * A consensus marker as stored on a block (the `consensus` attribute of a
 * paragraph, heading or list item; on a heading it covers the section). Who
 * set it and when is never part of it: that comes from the server's records.
 */
export const ConsensusMarker = z.strictObject({
  level: z.enum(CONSENSUS_LEVELS),
  basis: z.enum(CONSENSUS_BASES),
  /** Free text beside the basis, e.g. "discussion in session, 12 March". */
  basisNote: z.optional(typedText(LINE_CONTROLS, LINE_CONTROL_MESSAGE, 300)),
  views: z.optional(z.array(ConsensusView).check(z.maxLength(20))),
});
export type ConsensusMarker = z.infer<typeof ConsensusMarker>;
