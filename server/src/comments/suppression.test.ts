import { describe, expect, it } from 'vitest';
import { SMALL_COUNT, SUPPRESSED, suppressTable } from './suppression';

/** Every way `people` can fall into `cells` cells (count vectors summing to `people`). */
function* tables(cells: number, people: number): Generator<number[]> {
  if (cells === 1) {
    yield [people];
    return;
  }
  for (let first = 0; first <= people; first++) for (const rest of tables(cells - 1, people - first)) yield [first, ...rest];
}

/**
 * What an attacker who knows the rule can learn: group every population by
 * what is published (the table as shown and its total), and collect, per
 * withheld cell, the values it takes across the group. A cell whose values
 * are all the same could be worked out.
 */
function derivableCells(cells: number, maxPeople: number): string[] {
  const problems: string[] = [];
  for (let people = 0; people <= maxPeople; people++) {
    const groups = new Map<string, number[][]>();
    for (const table of tables(cells, people)) {
      const key = JSON.stringify(suppressTable(table));
      const group = groups.get(key) ?? [];
      group.push(table);
      groups.set(key, group);
    }
    for (const [key, group] of groups) {
      const shown = JSON.parse(key) as Array<number | string>;
      shown.forEach((cell, i) => {
        if (cell !== SUPPRESSED) return;
        const values = new Set(group.map((t) => t[i]));
        if (values.size < 2) problems.push(`total ${people}, published ${key}: cell ${i} can only be ${[...values][0]}`);
      });
    }
  }
  return problems;
}

describe('small-count suppression (SPEC C9)', () => {
  it('withholds every count of 1 or 2, and shows the rest as they are when no complement is needed', () => {
    expect(suppressTable([0, 5, 7])).toEqual([0, 5, 7]);
    expect(suppressTable([1, 1, 9])).toEqual([SUPPRESSED, SUPPRESSED, 9]);
    // Beside a withheld cell, an empty one is withheld too.
    expect(suppressTable([1, 0, 9, 4])).toEqual([SUPPRESSED, SUPPRESSED, 9, 4]);
    expect(suppressTable([0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('withholds the smallest other cell when the withheld ones would give themselves away, and marks all alike', () => {
    expect(suppressTable([1, 6, 4])).toEqual([SUPPRESSED, 6, SUPPRESSED]);
    expect(suppressTable([5, 7, 2])).toEqual([SUPPRESSED, 7, SUPPRESSED]);
    // Two withheld cells of 2 each would be pinned by the total: widen.
    expect(suppressTable([2, 2, 9, 5])).toEqual([SUPPRESSED, SUPPRESSED, 9, SUPPRESSED]);
    // Ties for the complement are withheld together.
    expect(suppressTable([2, 4, 4, 8])).toEqual([SUPPRESSED, SUPPRESSED, SUPPRESSED, 8]);
  });

  // Youth and first-time tables have 3 cells, gender 6 (five answers and
  // undeclared). Every population up to 14 people, and for
  // fewer cells up to 40.
  it.each([
    [2, 40],
    [3, 40],
    [4, 20],
    [6, 14],
  ])('leaves no withheld cell derivable from the total and the shown cells (%i cells, up to %i people)', (cells, maxPeople) => {
    expect(derivableCells(cells, maxPeople)).toEqual([]);
  });

  it('never shows a count of 1 or 2', () => {
    for (let people = 0; people <= 12; people++) {
      for (const table of tables(6, people)) {
        suppressTable(table).forEach((cell, i) => {
          if (table[i]! > 0 && table[i]! < SMALL_COUNT) expect(cell).toBe(SUPPRESSED);
        });
      }
    }
  });
});
