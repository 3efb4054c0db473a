/**
 * The 全銀 character set of account-holder names (全銀協 standard, as banks print it on FAX forms): half-width
 * katakana without small letters, upper-case A–Z, digits, space and the symbols ( ) - . / , ｢ ｣ \. Names typed in
 * full-width, hiragana, lower case or with small kana are normalised; anything else is refused with the character.
 */
const FULL = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
const HALF = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ';
const SMALL: Record<string, string> = {
  ァ: 'ア',
  ィ: 'イ',
  ゥ: 'ウ',
  ェ: 'エ',
  ォ: 'オ',
  ッ: 'ツ',
  ャ: 'ヤ',
  ュ: 'ユ',
  ョ: 'ヨ',
  ヮ: 'ワ',
  ヵ: 'カ',
  ヶ: 'ケ',
  ヰ: 'イ',
  ヱ: 'エ',
};
const DAKUTEN = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
const HANDAKUTEN = 'パピプペポ';
const DASHES = /[ー‐‑–—―−－ｰ]/g;

const toHalf = new Map<string, string>();
for (let i = 0; i < FULL.length; i++) toHalf.set(FULL[i]!, HALF[i]!);
for (const c of DAKUTEN) toHalf.set(c, `${toHalf.get(String.fromCharCode(c.charCodeAt(0) - 1))}ﾞ`);
for (const c of HANDAKUTEN) toHalf.set(c, `${toHalf.get(String.fromCharCode(c.charCodeAt(0) - 2))}ﾟ`);
toHalf.set('ヴ', 'ｳﾞ');
toHalf.set('゛', 'ﾞ');
toHalf.set('゜', 'ﾟ');

const ALLOWED = /^[0-9A-Zｦ-ﾟ ()\-./,｢｣\\]*$/;

export class ZenginKanaError extends Error {
  constructor(readonly character: string) {
    super(`not in the 全銀 character set: ${character}`);
    this.name = 'ZenginKanaError';
  }
}

/** Hiragana → katakana (U+3041–3096 → U+30A1–30F6). */
function katakana(s: string): string {
  return s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/**
 * Normalises an account holder's name to the 全銀 set: `やまだ　たろう` → `ﾔﾏﾀﾞ ﾀﾛｳ`, `ｼｮｳｼｭｳ(ｶ` → `ｼﾖｳｼﾕｳ(ｶ`.
 * Throws ZenginKanaError for a character that has no 全銀 form (kanji, emoji…).
 */
export function normaliseZenginKana(input: string): string {
  // NFKC turns half-width kana into full-width (so both are handled alike), full-width ASCII into ASCII.
  let s = katakana(input.normalize('NFKC'));
  s = s.replace(DASHES, '-').replace(/[「]/g, '｢').replace(/[」]/g, '｣').replace(/[¥￥]/g, '\\');
  s = s.replace(/[（]/g, '(').replace(/[）]/g, ')').toUpperCase();
  s = s.replace(/[\s\u3000]+/g, ' ').trim();
  let out = '';
  for (const ch of s) {
    const large = SMALL[ch] ?? ch;
    out += toHalf.get(large) ?? large;
  }
  for (const ch of out) if (!ALLOWED.test(ch)) throw new ZenginKanaError(ch);
  return out;
}
