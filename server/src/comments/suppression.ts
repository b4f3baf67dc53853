/**
 * Small-count suppression for the self-declared participation figures
 * (gender, youth, first-time; SPEC C9), safe against subtraction.
 *
 * Each table counts the same people (every commenter falls in exactly one
 * cell) and its total is published, so hiding only the cells of 1–2 people
 * is not enough: a lone hidden cell equals the total minus the others. So:
 *
 * 1. primary suppression: if any cell counts 1 or 2 people, every cell
 *    under 3 is withheld — the empty ones too, since a shown 0 beside a
 *    withheld cell narrows down what the withheld one holds;
 * 2. complementary suppression: the h cells withheld so far hold 0–2
 *    people each; if they sum to S ≥ 2h − 1, every shown cell of the
 *    smallest shown count is withheld too (all of them when several tie, so
 *    the choice does not depend on the order of the cells). S = 2h would pin
 *    them all at 2, and h = 1 pins the one; S = 2h − 1 is widened as well,
 *    so that a table withheld whole (say 2, 2, 2) cannot be told apart from
 *    others of the same total (1, 2, 3);
 * 3. every withheld cell looks the same (`'suppressed'`), whatever the reason:
 *    marking the primary ones as "<3" would tell the complement apart and
 *    undo step 2.
 *
 * `suppression.test.ts` checks by brute force over every population of up
 * to 14 people (40 for small tables) that no withheld cell can be worked out from what is
 * published, even by someone who knows this rule.
 */

/** Counts of fewer than this many people (and more than none) are withheld. */
export const SMALL_COUNT = 3;

export const SUPPRESSED = 'suppressed' as const;
export type SuppressedCount = number | typeof SUPPRESSED;

/** Withholds cells of `counts` (one table, in its fixed order) as described above. */
export function suppressTable(counts: readonly number[]): SuppressedCount[] {
  if (!counts.some((n) => n > 0 && n < SMALL_COUNT)) return [...counts];
  const hidden = counts.map((n) => n < SMALL_COUNT);
  const primary = counts.filter((_, i) => hidden[i]);
  const sum = primary.reduce((a, b) => a + b, 0);
  if (sum >= (SMALL_COUNT - 1) * primary.length - 1) {
    // Nothing shown is left to widen with only when the whole table is withheld.
    const shown = counts.filter((_, i) => !hidden[i]);
    const smallest = Math.min(...shown);
    counts.forEach((n, i) => {
      if (n === smallest) hidden[i] = true;
    });
  }
  return counts.map((n, i) => (hidden[i] ? SUPPRESSED : n));
}

/** `suppressTable` over a record whose keys are listed, in order, by `keys`. */
export function suppressRecord<K extends string>(keys: readonly K[], counts: Readonly<Record<K, number>>): Record<K, SuppressedCount> {
  const shown = suppressTable(keys.map((k) => counts[k]));
  return Object.fromEntries(keys.map((k, i) => [k, shown[i]!])) as Record<K, SuppressedCount>;
}
