import type { SessionType, StakeholderGroup, TakeawayKind, TakeawayView } from '@rapporteur/protocol';

// The consolidation panel's list of takeaways (issue 11, SPEC EV8): filters and groups.

export interface TakeawayFilter {
  readonly kind: TakeawayKind | 'all';
  readonly sessionType: SessionType | 'all';
  readonly stakeholderGroup: StakeholderGroup | 'all';
  /** Words the text, the session's code or title must contain (any case). */
  readonly query: string;
}

export const NO_FILTER: TakeawayFilter = { kind: 'all', sessionType: 'all', stakeholderGroup: 'all', query: '' };

function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

export function filterTakeaways(items: readonly TakeawayView[], filter: TakeawayFilter): TakeawayView[] {
  const words = folded(filter.query).split(/\s+/u).filter(Boolean);
  return items.filter((item) => {
    if (filter.kind !== 'all' && item.kind !== filter.kind) return false;
    if (filter.sessionType !== 'all' && item.sessionType !== filter.sessionType) return false;
    if (filter.stakeholderGroup !== 'all' && !item.stakeholderGroups.includes(filter.stakeholderGroup)) return false;
    if (words.length === 0) return true;
    const haystack = folded(`${item.text} ${item.sessionCode} ${item.sessionTitle}`);
    return words.every((w) => haystack.includes(w));
  });
}

/** Takeaways that say nearly the same thing, together; groups in the order of their first item (programme order). */
export interface TakeawayGroup {
  readonly group: number;
  readonly items: readonly TakeawayView[];
  /** How many different sessions the group draws on. */
  readonly sessions: number;
}

export function groupTakeaways(items: readonly TakeawayView[]): TakeawayGroup[] {
  const byGroup = new Map<number, TakeawayView[]>();
  for (const item of items) {
    const list = byGroup.get(item.group);
    if (list) list.push(item);
    else byGroup.set(item.group, [item]);
  }
  return [...byGroup].map(([group, list]) => ({ group, items: list, sessions: new Set(list.map((i) => i.sessionId)).size }));
}

/** The values present among the takeaways, for the filters' choices (only what would find something). */
export function filterChoices(items: readonly TakeawayView[]): { sessionTypes: SessionType[]; stakeholderGroups: StakeholderGroup[] } {
  const types = new Set<SessionType>();
  const groups = new Set<StakeholderGroup>();
  for (const item of items) {
    types.add(item.sessionType);
    for (const g of item.stakeholderGroups) groups.add(g);
  }
  return { sessionTypes: [...types].sort(), stakeholderGroups: [...groups].sort() };
}
