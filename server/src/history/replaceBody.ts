import * as Y from 'yjs';

type Block = Y.XmlElement | Y.XmlText;

/** Past this many blocks on both sides the LCS table is too large: every block is replaced. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Makes `target` hold the same blocks as `source` (a restore, V5), touching
 * only the top-level blocks that differ: blocks equal on both sides (same
 * element, attributes including `blockId` and a consensus marker, compared
 * by value, and content) are kept as they
 * are, so comments anchored in them keep working; the others are deleted
 * and copies of the old ones inserted (anchors there fall back to their
 * quote, C5). Runs inside the caller's transaction.
 */
export function replaceBody(target: Y.XmlFragment, source: Y.XmlFragment): void {
  const current = target.toArray() as Block[];
  const wanted = source.toArray() as Block[];
  const a = current.map(blockKey);
  const b = wanted.map(blockKey);
  const keep = a.length * b.length <= MAX_LCS_CELLS ? commonSubsequence(a, b) : [];
  const keptCurrent = new Set(keep.map(([i]) => i));
  const keptWanted = new Set(keep.map(([, j]) => j));
  // Deleting from the end keeps the earlier indexes valid.
  for (let i = current.length - 1; i >= 0; i--) if (!keptCurrent.has(i)) target.delete(i, 1);
  // Now target = the kept blocks, in order: a subsequence of `wanted`. Filling
  // the gaps left to right makes its first j+1 blocks equal wanted[0..j].
  for (let j = 0; j < wanted.length; j++) {
    if (!keptWanted.has(j)) target.insert(j, [wanted[j]!.clone()]);
  }
}

/**
 * What a block holds, for telling equal blocks apart: its name, every
 * attribute by value (a consensus marker is an object, which `toString`
 * would print as "[object Object]" whatever it says) and its content.
 */
function blockKey(block: Block | Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (block instanceof Y.XmlText) {
    try {
      return JSON.stringify(block.toDelta());
    } catch {
      return String(block); // an embedded type (never written by the editor)
    }
  }
  if (!(block instanceof Y.XmlElement)) return String(block);
  const attrs = block.getAttributes();
  const sorted = Object.keys(attrs)
    .sort()
    .map((k) => [k, attrs[k]]);
  return `<${block.nodeName} ${JSON.stringify(sorted)}>${block.toArray().map(blockKey).join('')}</${block.nodeName}>`;
}

/** Index pairs of a longest common subsequence of `a` and `b`. */
function commonSubsequence(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++;
    else j++;
  }
  return pairs;
}
