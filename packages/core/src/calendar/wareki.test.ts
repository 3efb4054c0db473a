import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDate, fromEpochDay, toEpochDay } from './calendarDate.ts';
import {
  formatWareki,
  formatWarekiFiscalYear,
  formatWarekiShort,
  formatWarekiYear,
  gregorianYearOf,
  parseWareki,
  parseWarekiDate,
  toWareki,
} from './wareki.ts';

const intlWareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'Asia/Tokyo',
});

describe('formatWareki', () => {
  it('formats without zero padding, with 元年 for year 1', () => {
    expect(formatWareki(calendarDate(2022, 5, 26))).toBe('令和4年5月26日');
    expect(formatWareki(calendarDate(2019, 5, 1))).toBe('令和元年5月1日');
    expect(formatWareki(calendarDate(2052, 3, 31))).toBe('令和34年3月31日');
    expect(formatWareki(calendarDate(2020, 1, 1))).toBe('令和2年1月1日');
  });

  it('switches eras on the right day', () => {
    expect(formatWareki(calendarDate(2019, 4, 30))).toBe('平成31年4月30日');
    expect(formatWareki(calendarDate(2019, 5, 1))).toBe('令和元年5月1日');
    expect(formatWareki(calendarDate(1989, 1, 7))).toBe('昭和64年1月7日');
    expect(formatWareki(calendarDate(1989, 1, 8))).toBe('平成元年1月8日');
    expect(formatWareki(calendarDate(1926, 12, 24))).toBe('大正15年12月24日');
    expect(formatWareki(calendarDate(1926, 12, 25))).toBe('昭和元年12月25日');
    expect(formatWareki(calendarDate(1912, 7, 29))).toBe('明治45年7月29日');
    expect(formatWareki(calendarDate(1912, 7, 30))).toBe('大正元年7月30日');
    expect(formatWareki(calendarDate(1873, 1, 1))).toBe('明治6年1月1日');
    expect(() => formatWareki(calendarDate(1872, 12, 31))).toThrow(RangeError);
  });

  it('formats leap days', () => {
    expect(formatWareki(calendarDate(2024, 2, 29))).toBe('令和6年2月29日');
    expect(formatWarekiShort(calendarDate(2000, 2, 29))).toBe('H12.2.29');
  });

  it('takes instants in Asia/Tokyo, not the host zone', () => {
    // 2019-04-30T15:00Z is midnight 5/1 in Japan: the first instant of 令和.
    expect(formatWareki(new Date('2019-04-30T14:59:59.999Z'))).toBe('平成31年4月30日');
    expect(formatWareki(new Date('2019-04-30T15:00:00.000Z'))).toBe('令和元年5月1日');
    expect(formatWareki(new Date('2023-03-31T23:30:00Z'))).toBe('令和5年4月1日');
  });

  it('has a short form', () => {
    expect(formatWarekiShort(calendarDate(2022, 5, 26))).toBe('R4.5.26');
    expect(formatWarekiShort(calendarDate(2019, 5, 1))).toBe('R1.5.1');
    expect(formatWarekiShort(calendarDate(2019, 4, 30))).toBe('H31.4.30');
    expect(formatWarekiShort(calendarDate(1989, 1, 7))).toBe('S64.1.7');
  });

  it('names years and fiscal years by the era in force on 31 December', () => {
    expect(formatWarekiYear(2019)).toBe('令和元年');
    expect(formatWarekiYear(1989)).toBe('平成元年');
    expect(formatWarekiYear(2025)).toBe('令和7年');
    expect(formatWarekiFiscalYear(2019)).toBe('令和元年度');
    expect(formatWarekiFiscalYear(2018)).toBe('平成30年度');
    expect(formatWarekiFiscalYear(1988)).toBe('昭和63年度');
    expect(formatWarekiFiscalYear(2022)).toBe('令和4年度');
  });

  test.prop([fc.integer({ min: toEpochDay(calendarDate(1927, 1, 1)), max: toEpochDay(calendarDate(2200, 12, 31)) })])(
    'agrees with Intl ja-JP-u-ca-japanese (Asia/Tokyo)',
    (n) => {
      const date = fromEpochDay(n);
      expect(formatWareki(date)).toBe(intlWareki.format(new Date(`${date}T12:00:00+09:00`)));
    },
  );

  it('agrees with Intl on every day around each era change', () => {
    for (const start of ['1912-07-30', '1926-12-25', '1989-01-08', '2019-05-01'] as const) {
      for (let i = -3; i <= 3; i++) {
        const date = addDays(
          calendarDate(Number(start.slice(0, 4)), Number(start.slice(5, 7)), Number(start.slice(8))),
          i,
        );
        expect(formatWareki(date)).toBe(intlWareki.format(new Date(`${date}T00:00:00+09:00`)));
      }
    }
  });
});

describe('parseWareki', () => {
  it('parses long and short dates', () => {
    expect(parseWarekiDate('令和4年5月26日')).toBe('2022-05-26');
    expect(parseWarekiDate('令和元年5月1日')).toBe('2019-05-01');
    expect(parseWarekiDate('令和1年5月1日')).toBe('2019-05-01');
    expect(parseWarekiDate('R4.5.26')).toBe('2022-05-26');
    expect(parseWarekiDate('R元.5.1')).toBe('2019-05-01');
    expect(parseWarekiDate('r4/05/26')).toBe('2022-05-26');
    expect(parseWarekiDate('H31.4.30')).toBe('2019-04-30');
    expect(parseWarekiDate('令和６年２月２９日')).toBe('2024-02-29');
    expect(parseWarekiDate('Ｒ４．５．２６')).toBe('2022-05-26');
    expect(parseWarekiDate(' 令和 4年 5月 26日 ')).toBe('2022-05-26');
  });

  it('parses a year or a fiscal year to its span', () => {
    expect(parseWareki('令和元年')).toEqual({
      kind: 'year',
      era: '令和',
      eraYear: 1,
      fiscal: false,
      gregorianYear: 2019,
      start: '2019-05-01',
      end: '2019-12-31',
    });
    expect(parseWareki('平成31年')).toMatchObject({ gregorianYear: 2019, start: '2019-01-01', end: '2019-04-30' });
    expect(parseWareki('R4')).toMatchObject({ kind: 'year', gregorianYear: 2022, start: '2022-01-01' });
    expect(parseWareki('令和4年度')).toMatchObject({
      fiscal: true,
      gregorianYear: 2022,
      start: '2022-04-01',
      end: '2023-03-31',
    });
    expect(parseWareki('令和元年度')).toMatchObject({ gregorianYear: 2019 });
  });

  it('rejects dates that do not exist or lie outside their era', () => {
    for (const bad of [
      '平成31年5月1日', // that day is 令和元年5月1日
      '令和元年4月30日', // still 平成
      '昭和64年1月8日',
      '平成32年',
      '令和0年',
      '令和5年2月29日',
      '令和4年13月1日',
      'X4.5.26',
      '令和4年5月',
      '2022-05-26',
      '',
    ]) {
      expect(() => parseWareki(bad), bad).toThrow(RangeError);
    }
    expect(() => parseWarekiDate('令和4年')).toThrow(RangeError);
  });

  it('converts era years', () => {
    expect(gregorianYearOf('令和', 34)).toBe(2052);
    expect(gregorianYearOf('H', 31)).toBe(2019);
    expect(gregorianYearOf('昭和', 64)).toBe(1989);
    expect(() => gregorianYearOf('昭和', 65)).toThrow(RangeError);
    expect(toWareki(calendarDate(2019, 5, 1))).toMatchObject({ eraYear: 1, month: 5, day: 1, era: { name: '令和' } });
  });

  test.prop([fc.integer({ min: toEpochDay(calendarDate(1873, 1, 1)), max: toEpochDay(calendarDate(9999, 12, 31)) })])(
    'format → parse round trip (long and short)',
    (n) => {
      const date = fromEpochDay(n);
      expect(parseWarekiDate(formatWareki(date))).toBe(date);
      expect(parseWarekiDate(formatWarekiShort(date))).toBe(date);
    },
  );
});
