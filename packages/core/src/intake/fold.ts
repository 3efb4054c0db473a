import { refang } from '../ioc/refang.ts';

// Text folding shared by the classifier, the urgency rules and the clusterer. Every function is one or two
// linear passes after NFKC.

/** Placeholders (private-use characters, one code unit each) for values whose exact form carries no meaning. */
export const URL_MARK = '\uE000';
export const EMAIL_MARK = '\uE001';
export const PHONE_MARK = '\uE002';

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]|\u034F/g;
const WHITESPACE = /\s+/g;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Classifies one run of printable ASCII (already lower-cased): URL, e-mail, phone number, or text with digits folded. */
function maskRun(run: string): string {
  if (run.includes('://') || run.startsWith('www.')) return URL_MARK;
  const at = run.indexOf('@');
  if (at > 0 && run.indexOf('.', at) > at + 1) return EMAIL_MARK;
  let digits = 0;
  let phoneish = true;
  let domainish = false;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c !== 45 && c !== 40 && c !== 41 && c !== 43) phoneish = false; // - ( ) +
    // a dot between a letter/digit and two letters: example.com, a-b.co.jp (file names such as x.docx too)
    if (c === 46 && i > 0 && i + 2 < run.length && isLower(run.charCodeAt(i + 1)) && isLower(run.charCodeAt(i + 2))) {
      const p = run.charCodeAt(i - 1);
      if (isLower(p) || isDigit(p) || p === 45) domainish = true;
    }
  }
  if (domainish) return URL_MARK;
  if (phoneish && digits >= 10) return PHONE_MARK;
  if (digits === 0) return run;
  // fold every run of digits (with , or . inside) to a single 0: amounts, dates and counts look alike
  let out = '';
  let inNumber = false;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (isDigit(c) || (inNumber && (c === 44 || c === 46) && isDigit(run.charCodeAt(i + 1)))) {
      if (!inNumber) out += '0';
      inNumber = true;
    } else {
      out += run[i];
      inNumber = false;
    }
  }
  return out;
}

/** Masks each maximal run of printable ASCII (0x21–0x7E) with `maskRun`; everything else is copied. */
function maskAsciiRuns(s: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && s.charCodeAt(j) > 0x20 && s.charCodeAt(j) < 0x7f) j++;
    if (j > i) {
      parts.push(maskRun(s.slice(i, j)));
      i = j;
    } else {
      let k = i;
      while (k < s.length && !(s.charCodeAt(k) > 0x20 && s.charCodeAt(k) < 0x7f)) k++;
      parts.push(s.slice(i, k));
      i = k;
    }
  }
  return parts.join('');
}

/**
 * NFKC (full-width → ASCII, half-width katakana → katakana), invisible characters removed, lower case, defanged
 * indicators refanged, then URLs, e-mail addresses and phone numbers replaced by placeholders and digit runs by `0`.
 * Whitespace is kept (collapsed to one space) unless `dropSpaces`.
 */
export function foldText(input: string, dropSpaces = false): string {
  // spaces first, so that spaces inserted inside an indicator (`hxxps ://ex [.] com`) do not split it
  const visible = input.replace(INVISIBLE, '');
  // without spaces before NFKC too, so that a space between a kana and its (half-width) voicing mark changes nothing
  const base = (dropSpaces ? visible.replace(WHITESPACE, '') : visible).normalize('NFKC').toLowerCase();
  const squeezed = dropSpaces ? base.replace(WHITESPACE, '') : base.replace(WHITESPACE, ' ');
  const masked = maskAsciiRuns(refang(squeezed).text);
  return dropSpaces ? masked.replace(WHITESPACE, '') : masked.trim();
}

/** Katakana (ァ–ヶ) → hiragana, so that ころす, コロス and ｺﾛｽ (after NFKC) compare equal. */
export function toHiragana(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30a1 && c <= 0x30f6) {
      out += s.slice(last, i) + String.fromCharCode(c - 0x60);
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Separators people put between the characters of a word to get past filters: ・ _ * and the like. */
const FILLERS = /[・･_*＊~〜\u30fb]/g;

/** For rule matching: `foldText` without spaces and fillers, katakana as hiragana. */
export function foldForMatching(input: string): string {
  return toHiragana(foldText(input, true).replace(FILLERS, ''));
}
