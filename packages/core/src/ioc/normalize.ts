import { isAsciiAlnum } from './chars.ts';

// Zero-width and invisible characters used to break up indicators (ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen, CGJ).
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]|\u034F/g;

/** Dashes NFKC leaves alone: U+2010–2015, U+2212 minus, U+30FC ー (misused as a hyphen in phone numbers). */
function isLooseDash(c: number): boolean {
  return (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0x30fc;
}

/**
 * NFKC (full-width ＡＢＣ１２３．：／＠ → ASCII, NBSP → space), invisible characters removed, and the separators
 * NFKC does not map folded where they stand between ASCII letters or digits: 。 → '.', ‐ – — − ー → '-'.
 * Between Japanese characters they are left alone (ー is a katakana length mark, 。 ends a sentence).
 * Linear: one pass after NFKC.
 */
export function normalizeText(input: string): string {
  const s = input.normalize('NFKC').replace(INVISIBLE, '');
  let out: string[] | undefined;
  let last = 0;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    let repl: string | undefined;
    if (c === 0x3002) repl = '.';
    else if (isLooseDash(c)) repl = '-';
    else continue;
    if (!isAsciiAlnum(s.charCodeAt(i - 1)) || !isAsciiAlnum(s.charCodeAt(i + 1))) continue;
    out ??= [];
    out.push(s.slice(last, i), repl);
    last = i + 1;
  }
  if (!out) return s;
  out.push(s.slice(last));
  return out.join('');
}
