import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendarDate.ts';
import {
  DocumentNumberTemplateError,
  checkDocumentNumberTemplate,
  compileDocumentNumberTemplate,
  parseDocumentNumber,
  renderDocumentNumber,
} from './documentNumber.ts';

const FUKUSHIMA = '達({abbrevs})第{seq}号';
const TOTTORI = '鳥{abbrev}例規第{seq}号';
const GUNMA = '群本例規第{seq}号({abbrev})';
const AICHI = '{abbrevs:・}警発甲第{seq}[―{branch}]号';
const KUNREI = '{year:wareki}年福島県警察訓令第{seq}号';

describe('renderDocumentNumber', () => {
  it('renders the Fukushima 通達 style with co-owning divisions', () => {
    expect(renderDocumentNumber(FUKUSHIMA, { abbrevs: ['サ対'], seq: 255 })).toBe('達(サ対)第255号');
    expect(renderDocumentNumber(FUKUSHIMA, { abbrevs: ['生環', '務', '公'], seq: 90 })).toBe('達(生環、務、公)第90号');
  });

  it('renders other prefectures’ styles', () => {
    expect(renderDocumentNumber(TOTTORI, { abbrevs: ['サ対'], seq: 1 })).toBe('鳥サ対例規第1号');
    expect(renderDocumentNumber(GUNMA, { abbrevs: ['情管'], seq: 21 })).toBe('群本例規第21号(情管)');
    expect(renderDocumentNumber(AICHI, { abbrevs: ['生戦', '務'], seq: 6, branch: 1 })).toBe('生戦・務警発甲第6―1号');
    expect(renderDocumentNumber(AICHI, { abbrevs: ['生戦', '務'], seq: 6 })).toBe('生戦・務警発甲第6号');
    expect(renderDocumentNumber('警察庁乙{abbrev}発第{seq}号', { abbrevs: ['官'], seq: 13 })).toBe(
      '警察庁乙官発第13号',
    );
  });

  it('renders years in 和暦 or 西暦, calendar or fiscal', () => {
    expect(renderDocumentNumber(KUNREI, { seq: 20, year: 2025 })).toBe('令和7年福島県警察訓令第20号');
    expect(renderDocumentNumber(KUNREI, { seq: 1, year: 2019 })).toBe('令和元年福島県警察訓令第1号');
    // A document dated in 平成31年 keeps its era although 2019 is otherwise named 令和元年.
    expect(renderDocumentNumber(KUNREI, { seq: 3, date: calendarDate(2019, 4, 10) })).toBe(
      '平成31年福島県警察訓令第3号',
    );
    const t = '{fy:short}-{abbrev}-{seq:4}';
    expect(renderDocumentNumber(t, { abbrevs: ['サ対'], seq: 7, date: calendarDate(2024, 3, 18) })).toBe(
      'R5-サ対-0007',
    );
    expect(renderDocumentNumber('{year}{abbrev}第{seq:3}号', { abbrevs: ['サ対'], seq: 1234, year: 2025 })).toBe(
      '2025サ対第1234号',
    );
    expect(renderDocumentNumber('{fy:eraYear}{abbrev}第{seq}号', { abbrevs: ['サ対'], seq: 2, fiscalYear: 2024 })).toBe(
      '6サ対第2号',
    );
  });

  it('refuses missing or invalid parts', () => {
    expect(() => renderDocumentNumber(FUKUSHIMA, { seq: 1 })).toThrow(/unit abbreviations/);
    expect(() => renderDocumentNumber(TOTTORI, { abbrevs: ['サ対', '務'], seq: 1 })).toThrow(/one unit abbreviation/);
    expect(() => renderDocumentNumber(KUNREI, { seq: 1 })).toThrow(/a year/);
    expect(() => renderDocumentNumber(FUKUSHIMA, { abbrevs: ['サ対'], seq: 0 })).toThrow(RangeError);
    expect(() => renderDocumentNumber(FUKUSHIMA, { abbrevs: ['サ対'], seq: 1.5 })).toThrow(RangeError);
    expect(() => renderDocumentNumber(AICHI, { abbrevs: ['務'], seq: 1, branch: 0 })).toThrow(RangeError);
    expect(() => renderDocumentNumber(FUKUSHIMA, { abbrevs: ['サ 対'], seq: 1 })).toThrow(RangeError);
    expect(() => renderDocumentNumber(FUKUSHIMA, { abbrevs: [''], seq: 1 })).toThrow(RangeError);
    expect(() => renderDocumentNumber(FUKUSHIMA, { abbrevs: ['生環、務'], seq: 1 })).toThrow(/separator/);
  });
});

describe('template validation', () => {
  it.each([
    ['達({unit})第{seq}号', /Unknown placeholder \{unit\}/],
    ['達({abbrevs})第号', /needs \{seq\}/],
    ['達({ab{seq}})第号', /Nested \{/],
    ['達(abbrevs})第{seq}号', /Unmatched \}/],
    ['第{seq}号[({abbrev})', /Unclosed \[/],
    ['第{seq}号]', /Unmatched \]/],
    ['[第{seq}号]', /cannot be optional/],
    ['第{seq}号[―]', /needs a placeholder/],
    ['{seq}第{seq}号', /appears twice/],
    ['{abbrev}{abbrevs}第{seq}号', /either/],
    ['第{seq:0}号', /width/],
    ['第{seq:x}号', /width/],
    ['{year:kanji}第{seq}号', /form/],
    ['{abbrev:x}第{seq}号', /no option/],
    ['{abbrevs:}第{seq}号', /Empty separator/],
    ['{abbrevs:1}第{seq}号', /separator/],
    ['第{seq', /Unclosed \{/],
    ['第[[{seq}]][{branch}]号', null],
    ['{{literal}}第{seq}号', null],
  ])('%s', (template, error) => {
    if (error === null) {
      expect(checkDocumentNumberTemplate(template)).toBeNull();
    } else {
      expect(() => compileDocumentNumberTemplate(template)).toThrow(DocumentNumberTemplateError);
      expect(checkDocumentNumberTemplate(template)).toMatch(error);
    }
  });

  it('renders escaped brackets literally', () => {
    expect(renderDocumentNumber('{{{abbrev}}}第[[{seq}]]号', { abbrevs: ['サ対'], seq: 5 })).toBe('{サ対}第[5]号');
  });
});

describe('parseDocumentNumber', () => {
  it('extracts the parts of each style', () => {
    expect(parseDocumentNumber(FUKUSHIMA, '達(サ対)第255号')).toEqual({ abbrevs: ['サ対'], seq: 255 });
    expect(parseDocumentNumber(FUKUSHIMA, '達(生環、務、公)第90号')).toEqual({
      abbrevs: ['生環', '務', '公'],
      seq: 90,
    });
    expect(parseDocumentNumber(TOTTORI, '鳥サ対例規第1号')).toEqual({ abbrevs: ['サ対'], seq: 1 });
    expect(parseDocumentNumber(GUNMA, '群本例規第21号(情管)')).toEqual({ abbrevs: ['情管'], seq: 21 });
    expect(parseDocumentNumber(AICHI, '生戦・務警発甲第6―1号')).toEqual({ abbrevs: ['生戦', '務'], seq: 6, branch: 1 });
    expect(parseDocumentNumber(AICHI, '生戦・務警発甲第6号')).toEqual({ abbrevs: ['生戦', '務'], seq: 6 });
    expect(parseDocumentNumber(KUNREI, '令和7年福島県警察訓令第20号')).toEqual({ abbrevs: [], seq: 20, year: 2025 });
    expect(parseDocumentNumber(KUNREI, '令和元年福島県警察訓令第1号')).toMatchObject({ year: 2019 });
    expect(parseDocumentNumber(KUNREI, '平成31年福島県警察訓令第3号')).toMatchObject({ year: 2019 });
    expect(parseDocumentNumber('{fy:short}-{abbrev}-{seq:4}', 'R5-サ対-0007')).toEqual({
      abbrevs: ['サ対'],
      seq: 7,
      fiscalYear: 2023,
    });
    expect(parseDocumentNumber('{fy:eraYear}{abbrev}第{seq}号', '6サ対第2号')).toMatchObject({ fiscalYear: 2024 });
    expect(parseDocumentNumber('{fy:eraYear}{abbrev}第{seq}号', '30サ対第2号', { era: '平成' })).toMatchObject({
      fiscalYear: 2018,
    });
  });

  it('accepts full-width digits and brackets', () => {
    expect(parseDocumentNumber(FUKUSHIMA, '達（サ対）第２５５号')).toEqual({ abbrevs: ['サ対'], seq: 255 });
    expect(parseDocumentNumber('達（{abbrevs}）第{seq}号', '達(サ対)第255号')).toEqual({ abbrevs: ['サ対'], seq: 255 });
  });

  it('uses known abbreviations when given', () => {
    const known = ['サ', 'サ対', '務', '生環'];
    expect(parseDocumentNumber(TOTTORI, '鳥サ対例規第1号', { knownAbbrevs: known })).toEqual({
      abbrevs: ['サ対'],
      seq: 1,
    });
    expect(parseDocumentNumber(FUKUSHIMA, '達(生環、務)第9号', { knownAbbrevs: known })).toMatchObject({
      abbrevs: ['生環', '務'],
    });
    expect(parseDocumentNumber(FUKUSHIMA, '達(公)第9号', { knownAbbrevs: known })).toBeNull();
  });

  it('returns null when the text does not fit', () => {
    for (const bad of ['達(サ対)第号', '達()第1号', '達(サ対)第0号', '達(サ対)第1号です', '鳥サ対例規第1号', '']) {
      expect(parseDocumentNumber(FUKUSHIMA, bad), bad).toBeNull();
    }
    expect(parseDocumentNumber(KUNREI, '平成32年福島県警察訓令第3号')).toBeNull();
    expect(parseDocumentNumber('{fy:short}-{abbrev}-{seq:4}', 'R5-サ対-7')).toBeNull();
  });

  const abbrev = fc.constantFrom('サ対', '生環', '務', '公', '情管', '生戦', '県サ', '少対', '総指', '組対', '刑総');
  const templates = [
    FUKUSHIMA,
    TOTTORI,
    GUNMA,
    AICHI,
    KUNREI,
    '{fy:short}-{abbrevs:・}-{seq:4}',
    '{year}年度{abbrev}第{seq:3}号[の{branch:2}]',
  ];
  test.prop([
    fc.constantFrom(...templates),
    fc.uniqueArray(abbrev, { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 1, max: 99_999 }),
    fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
    fc.integer({ min: 1927, max: 2100 }),
  ])('render → parse round trip', (template, abbrevs, seq, branch, year) => {
    const compiled = compileDocumentNumberTemplate(template);
    const single = template.includes('{abbrev}');
    const parts = {
      abbrevs: single ? abbrevs.slice(0, 1) : abbrevs,
      seq,
      ...(branch !== undefined && template.includes('{branch') ? { branch } : {}),
      year,
      fiscalYear: year,
    };
    const text = renderDocumentNumber(compiled, parts);
    const parsed = parseDocumentNumber(compiled, text);
    expect(parsed).not.toBeNull();
    expect(parsed!.abbrevs).toEqual(template.includes('{abbrev') ? parts.abbrevs : []);
    expect(parsed!.seq).toBe(seq);
    expect(parsed!.branch).toBe(parts.branch);
    if (template.includes('{year')) expect(parsed!.year).toBe(year);
    if (template.includes('{fy')) expect(parsed!.fiscalYear).toBe(year);
  });
});
