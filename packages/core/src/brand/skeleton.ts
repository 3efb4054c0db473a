import unhomoglyph from 'unhomoglyph';

// Combining marks left by NFD (accents): stripped so that `amazón` and `amazon` compare equal.
const MARKS = /\p{M}/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function fullSkeleton(lower: string): string {
  const mapped = unhomoglyph(lower.normalize('NFD'));
  return mapped.normalize('NFD').toLowerCase().replace(MARKS, '');
}

// The skeleton of each printable ASCII character, computed once: most labels are ASCII and take this fast path.
const ASCII: readonly string[] = Array.from({ length: 0x5f }, (_, i) => fullSkeleton(String.fromCharCode(0x20 + i)));

/**
 * The confusables skeleton of Unicode TR39 §4 (`skeleton(X) = NFD(map(NFD(X)))`, the map being confusables.txt as
 * shipped by the `unhomoglyph` package), taken on NFKC lower-case text (full-width letters are folded first),
 * lower-cased again (the table maps some letters to capitals, e.g. `0` → `O`) and with combining marks removed.
 * Two strings that look alike have the same skeleton: `аmazon` (Cyrillic а), `arnazon` and `amazon` all give
 * `arnazon` (the table maps `m` to `rn`). The result is for comparison only, never for display.
 */
export function skeleton(s: string): string {
  const lower = s.toLowerCase();
  if (PRINTABLE_ASCII.test(lower)) {
    let out = '';
    for (let i = 0; i < lower.length; i++) out += ASCII[lower.charCodeAt(i) - 0x20];
    return out;
  }
  return fullSkeleton(lower.normalize('NFKC').toLowerCase());
}

/**
 * Optimal-string-alignment (restricted Damerau–Levenshtein) distance: insertions, deletions, substitutions and
 * swaps of two neighbours each cost 1 (`amzaon` is one step from `amazon`). Gives up and returns `max + 1` as soon
 * as the distance must exceed `max`, so long unrelated labels cost little.
 */
// Three rows reused by every call (the scorer is synchronous, so calls never overlap).
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  if (rows[0].length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}
