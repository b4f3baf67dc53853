/**
 * Grouping takeaways that say nearly the same thing (issue 11, SPEC EV8).
 * Offline and deterministic: no model, no network.
 *
 * The measure is the cosine similarity of two texts' feature vectors, each
 * feature weighted by tf·idf over the texts being grouped:
 * - words: lower-cased, accents and punctuation removed, English and French
 *   stop words dropped, cut to a stem of at most 6 letters (so "connectivity"
 *   and "connected", "governments" and "government" meet);
 * - character trigrams of those stems (so a shared root counts even when the
 *   stems differ, and Chinese or Arabic text, which has no spaces or other
 *   inflections, is still compared).
 * Two takeaways are "nearly the same" at a similarity of SIMILARITY_THRESHOLD
 * or more; groups are the connected parts of that relation (single linkage).
 * The threshold was set on the fixture of paraphrases and non-paraphrases in
 * similarity.test.ts: every paraphrase pair above it, every pair that merely
 * shares a topic below.
 */
export const SIMILARITY_THRESHOLD = 0.4;

const STOP = new Set(
  (
    'a an the and or but of to in on for with by from at as is are was were be been being it its this that these those there their they them ' +
    'we our us you your he she his her should must can could would will may might need needs do does not no all any more most such than so ' +
    'into about over also other which who whom whose how what when where why while very just only own same both each few many much ' +
    'le la les un une des du de et ou en au aux pour par sur dans avec que qui est sont ne pas plus ce cette ces il elle ils elles nous vous doit doivent'
  ).split(' '),
);

/** The stems of a text's words, in order. */
export function stems(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];
  const out: string[] = [];
  for (const w of words) {
    if (STOP.has(w)) continue;
    // Scripts without spaces between words (Chinese, Japanese): each character pair is a "word".
    if (/\p{Script=Han}/u.test(w)) {
      for (let i = 0; i < w.length - 1; i++) out.push(w.slice(i, i + 2));
      if (w.length === 1) out.push(w);
      continue;
    }
    out.push(w.length > 6 ? w.slice(0, 6) : w);
  }
  return out;
}

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string, weight: number) => counts.set(f, (counts.get(f) ?? 0) + weight);
  for (const stem of stems(text)) {
    add(`w:${stem}`, 1);
    const padded = `_${stem}_`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.5);
  }
  return counts;
}

/** tf·idf vectors of `texts`, each normalised to length 1 (idf smoothed so a corpus of two still weighs). */
function vectors(texts: readonly string[]): Map<string, number>[] {
  const raw = texts.map(features);
  const df = new Map<string, number>();
  for (const v of raw) for (const f of v.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const n = texts.length;
  return raw.map((v) => {
    const out = new Map<string, number>();
    let norm = 0;
    for (const [f, tf] of v) {
      const w = tf * Math.log(1 + (n + 1) / (df.get(f)! + 0.5));
      out.set(f, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [f, w] of out) out.set(f, w / norm);
    return out;
  });
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [f, w] of small) sum += w * (large.get(f) ?? 0);
  return sum;
}

/**
 * The similarity of `a` and `b` (0–1) as measured within `corpus` (their
 * idf comes from it; by default the two texts plus a neutral background).
 */
export function similarity(a: string, b: string, corpus: readonly string[] = []): number {
  const v = vectors([a, b, ...corpus]);
  return cosine(v[0]!, v[1]!);
}

/**
 * Group numbers for `texts` (same number: nearly the same thing), numbered
 * in order of first appearance from 0; a text like no other has a group of
 * its own. Quadratic in the number of texts: a track of 60 sessions has at
 * most 360 takeaways.
 */
export function groupSimilar(texts: readonly string[], threshold = SIMILARITY_THRESHOLD): number[] {
  const v = vectors(texts);
  const parent = texts.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (cosine(v[i]!, v[j]!) >= threshold) parent[find(j)] = find(i);
    }
  }
  const numbers = new Map<number, number>();
  return texts.map((_, i) => {
    const root = find(i);
    if (!numbers.has(root)) numbers.set(root, numbers.size);
    return numbers.get(root)!;
  });
}
