import { describe, expect, it } from 'vitest';
import { ZenginKanaError, normaliseZenginKana } from './zenginKana.ts';

describe('全銀 kana normaliser', () => {
  it('turns full-width and hiragana names into half-width katakana with a space', () => {
    expect(normaliseZenginKana('ヤマダ　タロウ')).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(normaliseZenginKana('やまだ たろう')).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
  });
  it('makes small kana large, as banks print them', () => {
    expect(normaliseZenginKana('ショウシュウ(カ')).toBe('ｼﾖｳｼﾕｳ(ｶ');
    expect(normaliseZenginKana('ｼｮｳｼｭｳ(ｶ')).toBe('ｼﾖｳｼﾕｳ(ｶ');
    expect(normaliseZenginKana('キッテ')).toBe('ｷﾂﾃ');
  });
  it('splits voiced marks and keeps ヴ, パ', () => {
    expect(normaliseZenginKana('ヴィヴァルディ')).toBe('ｳﾞｲｳﾞｱﾙﾃﾞｲ');
    expect(normaliseZenginKana('パン')).toBe('ﾊﾟﾝ');
  });
  it('maps long vowel marks to a hyphen and full-width brackets to half-width', () => {
    expect(normaliseZenginKana('データ（カ）')).toBe('ﾃﾞ-ﾀ(ｶ)');
    expect(normaliseZenginKana('abc－１２３')).toBe('ABC-123');
  });
  it('collapses and trims spaces', () => {
    expect(normaliseZenginKana('  タナカ 　　ハナコ ')).toBe('ﾀﾅｶ ﾊﾅｺ');
  });
  it('refuses characters outside the set, naming the character', () => {
    expect(() => normaliseZenginKana('山田')).toThrow(ZenginKanaError);
    expect(() => normaliseZenginKana('タロウ・ヤマダ')).toThrow(/・/);
  });
  it('is idempotent on its own output', () => {
    for (const s of ['ヤマダ　タロウ', 'ショウシュウ(カ', 'データ（カ）', 'abc']) {
      const once = normaliseZenginKana(s);
      expect(normaliseZenginKana(once)).toBe(once);
    }
  });
});
