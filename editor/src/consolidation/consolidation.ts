import type { CitationView } from '@rapporteur/protocol';
import type { CitationAttributes } from '@rapporteur/schema';

// Citations in the text and their statuses (issue 11, SPEC EV9, EV10), kept
// apart from React and ProseMirror so it can be tested alone. What only the
// consolidation panel needs is in takeaways.ts and insertion.ts, loaded with it.

/** A citation's identity as far as its status goes: the same source passage, cited as the same text. */
export function citationKey(c: Pick<CitationAttributes, 'documentId' | 'blockId' | 'hash'>): string {
  return `${c.documentId}\u0000${c.blockId}\u0000${c.hash}`;
}

/** A passage of a source, whatever text it was cited as: "already cited" in the panel. */
export function sourceKey(c: { documentId: string; blockId: string }): string {
  return `${c.documentId}\u0000${c.blockId}`;
}

/**
 * The server's statuses matched to the citations of the local text. The
 * server lists them in document order and leaves a `not-public` one without
 * its source ids (EV10), so they are matched by position — while the server
 * read the same sequence of labels as the local text; when the text moved on
 * meanwhile, only the ones that name their source can be matched.
 */
export function matchStatuses(local: readonly CitationAttributes[], views: readonly CitationView[]): Map<string, CitationView> {
  const out = new Map<string, CitationView>();
  const aligned = local.length === views.length && local.every((c, i) => c.label === views[i]!.label);
  if (aligned) {
    local.forEach((c, i) => out.set(citationKey(c), views[i]!));
    return out;
  }
  for (const c of local) {
    const view = views.find((v) => v.documentId === c.documentId && v.blockId === c.blockId);
    if (view && !out.has(citationKey(c))) out.set(citationKey(c), view);
  }
  return out;
}

/** The order of citations in a text, as a string: when it changes, the statuses are asked again. */
export function citationSignature(local: readonly CitationAttributes[]): string {
  return local.map(citationKey).join('\u0001');
}
