import { MIN_COLUMN_WIDTH } from '@rapporteur/schema';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { isInTable, selectedRect } from '@tiptap/pm/tables';

/**
 * Column widths from the keyboard (issue 14): "Wider column", "Narrower
 * column" and "Equal widths" act on the column at the caret, as dragging its
 * border does with a mouse. A width is pixels in each cell's `colwidth` (one
 * entry per spanned column; 0 leaves a column to the browser), the form
 * prosemirror-tables' column resizing writes, so both ways edit the same
 * thing and every export reads it (HTML and PDF as `<col>` widths, DOCX as
 * the table's grid).
 */

/** The widest a column may be set (px): about the text column's width. */
export const MAX_COLUMN_WIDTH = 720;
/** One press of Wider/Narrower multiplies the width by this (or divides by it). */
export const WIDTH_STEP = 1.25;

/** The width of the column at the caret as set (px), or null when the browser decides it. */
export function columnWidthAtCaret(state: EditorState): number | null {
  if (!isInTable(state)) return null;
  const { map, table, left } = selectedRect(state);
  for (let row = 0; row < map.height; row++) {
    const pos = map.map[row * map.width + left]!;
    const cell = table.nodeAt(pos);
    const widths = cell?.attrs['colwidth'] as number[] | null | undefined;
    const width = widths?.[left - map.colCount(pos)];
    if (width) return width;
  }
  return null;
}

/**
 * Sets the width of the column at the caret to `width` px (clamped), or
 * clears every column's width of the table when `width` is null ("Equal
 * widths": the browser shares the room out again). Returns false outside a
 * table.
 */
export function setColumnWidth(state: EditorState, dispatch: ((tr: Transaction) => void) | undefined, width: number | null): boolean {
  if (!isInTable(state)) return false;
  if (!dispatch) return true;
  const { map, table, tableStart, left } = selectedRect(state);
  const tr = state.tr;
  if (width === null) {
    table.descendants((node, pos) => {
      if (node.type.spec['tableRole'] === 'cell' || node.type.spec['tableRole'] === 'header_cell') {
        if (node.attrs['colwidth']) tr.setNodeMarkup(tableStart + pos, null, { ...node.attrs, colwidth: null });
        return false;
      }
      return true;
    });
  } else {
    const clamped = Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
    const done = new Set<number>();
    for (let row = 0; row < map.height; row++) {
      const pos = map.map[row * map.width + left]!;
      if (done.has(pos)) continue;
      done.add(pos);
      const cell = table.nodeAt(pos)!;
      const colspan = cell.attrs['colspan'] as number;
      const widths = ((cell.attrs['colwidth'] as number[] | null) ?? new Array<number>(colspan).fill(0)).slice();
      widths[left - map.colCount(pos)] = clamped;
      tr.setNodeMarkup(tableStart + pos, null, { ...cell.attrs, colwidth: widths });
    }
  }
  dispatch(tr.scrollIntoView());
  return true;
}

/** The next width for Wider (`+1`) or Narrower (`-1`), from `current` — the width as set, or as the browser drew it. */
export function steppedWidth(current: number, direction: 1 | -1): number {
  return direction === 1 ? current * WIDTH_STEP : current / WIDTH_STEP;
}

/** The drawn width (px) of the column at the caret, for a column whose width the browser decides. */
export function drawnColumnWidth(dom: Node | null): number {
  const element = dom instanceof Element ? dom : (dom?.parentElement ?? null);
  const cell = element?.closest('td, th');
  if (!cell) return MIN_COLUMN_WIDTH;
  const span = Number(cell.getAttribute('colspan') ?? 1) || 1;
  return cell.getBoundingClientRect().width / span;
}
