import { describe, expect, it } from 'vitest';
import { gridWidths, TEXT_WIDTH_TWIPS } from './tableGrid';

const cell = (colwidth: number[] | null, attrs: Record<string, unknown> = {}) => ({ type: 'tableCell', attrs: { colspan: 1, rowspan: 1, colwidth, ...attrs } });
const row = (...cells: ReturnType<typeof cell>[]) => ({ type: 'tableRow', content: cells });

describe('gridWidths: column widths set in the editor, for Word', () => {
  it('is null when no column has a width (Word sizes the table)', () => {
    expect(gridWidths([row(cell(null), cell(null))])).toBeNull();
  });

  it('keeps set columns at 15 twips per pixel and shares the rest of the text width among the others', () => {
    expect(gridWidths([row(cell([200]), cell([0]), cell(null))])).toEqual([3000, (TEXT_WIDTH_TWIPS - 3000) / 2, (TEXT_WIDTH_TWIPS - 3000) / 2].map(Math.round));
  });

  it('reads a spanning cell per column, and a later row for a column the first leaves open', () => {
    expect(gridWidths([row(cell([100, 0], { colspan: 2 }), cell(null)), row(cell(null), cell([120]), cell([80]))], 100_000)).toEqual([1500, 1800, 1200]);
  });

  it('skips the columns a row span above covers', () => {
    // Row 2's only cell is in column 2: column 1 is still covered by row 1's rowspan.
    expect(gridWidths([row(cell([100], { rowspan: 2 }), cell(null)), row(cell([150]))], 100_000)).toEqual([1500, 2250]);
  });

  it('scales a table wider than the text down to it', () => {
    const widths = gridWidths([row(cell([600]), cell([600]))])!;
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(TEXT_WIDTH_TWIPS);
    expect(widths[0]).toBe(widths[1]);
  });
});
