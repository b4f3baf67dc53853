import type { JSONContent } from '../pages/page';

/**
 * A table's column widths for Word (issue 14): the pixel widths people set in
 * the editor (each cell's `colwidth`, one entry per spanned column, 0 for a
 * column left to the browser) as twentieths of a point, filling the text
 * width of the page the way the browser shares out a table's room: set
 * columns keep their width (1 px = 15 twips at 96 px per inch), the others
 * share what is left, and a table wider than the text is scaled to it.
 * Null when no column has a width: Word then sizes the table itself.
 */

/** The text width of the exports' A4 page with 2.54 cm margins (twips). */
export const TEXT_WIDTH_TWIPS = 9026;
const TWIPS_PER_PX = 15;
const MIN_SHARE_TWIPS = 720;

/** Where each cell starts: `starts[row][cell]` is its first column, after what earlier rows' row spans still cover. */
export function cellColumns(rows: readonly JSONContent[]): { starts: number[][]; columns: number } {
  const covered: number[] = [];
  let columns = 0;
  const starts = rows.map((row) => {
    let col = 0;
    const rowStarts = (row.content ?? []).map((cell) => {
      while ((covered[col] ?? 0) > 0) col++;
      const start = col;
      const colspan = Math.max(1, Number(cell.attrs?.['colspan'] ?? 1));
      const rowspan = Math.max(1, Number(cell.attrs?.['rowspan'] ?? 1));
      // Counted down below, after this row: a span of 2 covers the next row too.
      if (rowspan > 1) for (let i = 0; i < colspan; i++) covered[start + i] = rowspan;
      col += colspan;
      return start;
    });
    columns = Math.max(columns, col);
    for (let i = 0; i < covered.length; i++) if ((covered[i] ?? 0) > 0) covered[i]!--;
    return rowStarts;
  });
  return { starts, columns };
}

export function gridWidths(rows: readonly JSONContent[], textWidth = TEXT_WIDTH_TWIPS): number[] | null {
  const { starts, columns } = cellColumns(rows);
  const set: Array<number | undefined> = [];
  rows.forEach((row, r) =>
    (row.content ?? []).forEach((cell, c) => {
      const widths = Array.isArray(cell.attrs?.['colwidth']) ? (cell.attrs['colwidth'] as unknown[]) : [];
      widths.forEach((w, i) => {
        const col = starts[r]![c]! + i;
        if (set[col] === undefined && typeof w === 'number' && w > 0) set[col] = w * TWIPS_PER_PX;
      });
    }),
  );
  if (!set.some((w) => w !== undefined)) return null;
  const fixed = set.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  const open = Array.from({ length: columns }, (_, i) => set[i] === undefined).filter(Boolean).length;
  const share = open > 0 ? Math.max(MIN_SHARE_TWIPS, (textWidth - fixed) / open) : 0;
  const widths = Array.from({ length: columns }, (_, i) => set[i] ?? share);
  const total = widths.reduce((a, b) => a + b, 0);
  const scale = total > textWidth ? textWidth / total : 1;
  return widths.map((w) => Math.round(w * scale));
}
