import { isAsciiAlnum, isAsciiLetter, isDigit } from './chars.ts';
import { type Hit, hit } from './hit.ts';

const MOBILE_LIKE = ['070', '080', '090', '050', '020', '060'];
const FREE_DIAL_10 = ['0120', '0570', '0990', '0180'];

/** Digit groups separated by one hyphen, space or bracket (`03-1234-5678`, `(03)1234-5678`, `090 1234 5678`). */
function readGroups(t: string, i: number): { groups: string[]; end: number } {
  const groups: string[] = [];
  let total = 0;
  let k = i;
  let lastEnd = i;
  for (;;) {
    const g0 = k;
    while (k < t.length && isDigit(t.charCodeAt(k)) && k - g0 < 11) k++;
    if (k === g0) break;
    groups.push(t.slice(g0, k));
    lastEnd = k;
    total += k - g0;
    if (total > 11 || groups.length > 4) break;
    // one separator: '-', ' ', '(' or ')', or ')-' / ') '
    let s = k;
    const a = t[s];
    if (a === '-' || a === ' ' || a === '(' || a === ')') {
      s++;
      if (a === ')' && (t[s] === '-' || t[s] === ' ')) s++;
    } else break;
    if (!isDigit(t.charCodeAt(s))) break;
    k = s;
  }
  return { groups, end: lastEnd };
}

/** A national number (leading 0) in one of the usual Japanese groupings; returns the digits or undefined. */
function validNational(groups: string[]): string | undefined {
  const n = groups.join('');
  if (n.length < 10 || n.length > 11 || n[0] !== '0' || n[1] === '0') return undefined;
  const lens = groups.map((g) => g.length);
  const mobile = MOBILE_LIKE.some((p) => n.startsWith(p));
  if (n.length === 11) {
    if (!mobile && !n.startsWith('0800')) return undefined;
    if (groups.length === 1) return n;
    const shape = lens.join('-');
    if (mobile && (shape === '3-4-4' || shape === '3-8')) return n;
    if (n.startsWith('0800') && shape === '4-3-4') return n;
    return undefined;
  }
  if (mobile) return undefined;
  if (groups.length === 1) return n;
  if (FREE_DIAL_10.some((p) => n.startsWith(p))) {
    const shape = lens.join('-');
    return shape === '4-3-3' || shape === '4-2-4' || shape === '4-6' ? n : undefined;
  }
  const first = lens[0]!;
  if (first < 2 || first > 5) return undefined;
  if (groups.length === 2) return lens[1]! >= 5 ? n : undefined;
  if (groups.length === 3) return lens[2] === 4 && lens[1]! >= 1 && lens[1]! <= 4 ? n : undefined;
  return undefined;
}

function boundaryBefore(t: string, i: number): boolean {
  if (i === 0) return true;
  const c = t.charCodeAt(i - 1);
  return !(isAsciiAlnum(c) || c === 45 || c === 46 || c === 47 || c === 95 || c === 43);
}

function boundaryAfter(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  if (isDigit(c) || isAsciiLetter(c) || c === 95) return false;
  // "-1234" or ".5" continuing the number
  if ((c === 45 || c === 46 || c === 47) && isDigit(t.charCodeAt(i + 1))) return false;
  return true;
}

/**
 * Japanese telephone numbers in domestic (`03-1234-5678`, `090ー1234ー5678` after dash folding, `0120-123-456`)
 * or international (`+81 3 1234 5678`, `+81-90-…`, `+81(0)3…`) form, as E.164 `+81…`. Dates, order numbers
 * and numbers that run on are rejected. Each start reads a bounded number of characters, then the scan moves past
 * it: linear.
 */
export function scanPhonesJp(t: string): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 43 && t.startsWith('81', i + 1) && boundaryBefore(t, i)) {
      let k = i + 3;
      if (t[k] === ' ' || t[k] === '-') k++;
      if (t.startsWith('(0)', k)) k += 3;
      else if (t[k] === '0') k++; // "+81 090-…" written with the trunk 0
      const { groups, end } = readGroups(t, k);
      if (groups.length > 0 && boundaryAfter(t, end)) {
        const national = validNational([`0${groups[0]}`, ...groups.slice(1)]);
        if (national) {
          hits.push(hit('phone', `+81${national.slice(1)}`, i, end, false, t.slice(i, end)));
          i = end;
          continue;
        }
      }
      i = k;
      continue;
    }
    let start = i;
    if (c === 40 && t.charCodeAt(i + 1) === 48) start = i + 1; // (03)…
    if (t.charCodeAt(start) === 48 && boundaryBefore(t, i)) {
      const { groups, end } = readGroups(t, start);
      const national = groups.length > 0 && boundaryAfter(t, end) ? validNational(groups) : undefined;
      if (national) {
        hits.push(hit('phone', `+81${national.slice(1)}`, i, end, false, t.slice(i, end)));
        i = end;
        continue;
      }
    }
    // move past the digit run so that no run is read twice
    if (isDigit(c)) {
      while (i < t.length && isDigit(t.charCodeAt(i))) i++;
    } else i++;
  }
  return hits;
}
