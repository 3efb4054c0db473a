import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendarDate.ts';
import {
  type ClosureRule,
  HOLIDAY_DATA_YEARS,
  YEAR_END_CLOSURE,
  closureName,
  holidayName,
  holidaysBetween,
  isHoliday,
  isOfficeClosure,
  validateClosureRule,
} from './holidays.ts';

describe('holidays', () => {
  it('knows fixed, Monday and equinox holidays', () => {
    expect(holidayName(calendarDate(2025, 1, 1))).toBe('元日');
    expect(holidayName(calendarDate(2024, 1, 8))).toBe('成人の日'); // second Monday of January
    expect(holidayName(calendarDate(2025, 9, 23))).toBe('秋分の日');
    expect(isHoliday(calendarDate(2025, 1, 2))).toBe(false);
    expect(holidayName(calendarDate(2025, 1, 2))).toBeNull();
  });

  it('knows substitute holidays (振替休日) and 国民の休日', () => {
    expect(holidayName(calendarDate(2023, 1, 2))).toBe('元日 振替休日'); // 元日 fell on a Sunday
    expect(holidayName(calendarDate(2020, 2, 24))).toBe('天皇誕生日 振替休日');
    expect(holidayName(calendarDate(2026, 9, 22))).toBe('休日'); // between 敬老の日 and 秋分の日
  });

  it('knows the one-off holidays of 2019 and 2020', () => {
    // 2019: ten-day Golden Week around the accession (4/30, 5/1, 5/2).
    expect(isHoliday(calendarDate(2019, 4, 30))).toBe(true);
    for (const d of [1, 2, 3, 4, 5, 6]) expect(isHoliday(calendarDate(2019, 5, d))).toBe(true);
    expect(isHoliday(calendarDate(2019, 10, 22))).toBe(true); // 即位礼正殿の儀
    expect(isHoliday(calendarDate(2019, 12, 23))).toBe(false); // no 天皇誕生日 in 2019
    // 2020 Olympics: 海の日/スポーツの日/山の日 moved.
    expect(holidayName(calendarDate(2020, 7, 24))).toBe('スポーツの日');
    expect(isHoliday(calendarDate(2020, 10, 12))).toBe(false);
    expect(holidayName(calendarDate(2020, 8, 10))).toBe('山の日');
  });

  it('lists Golden Week 2025', () => {
    expect(holidaysBetween(calendarDate(2025, 4, 26), calendarDate(2025, 5, 7)).map((h) => [h.date, h.name])).toEqual([
      ['2025-04-29', '昭和の日'],
      ['2025-05-03', '憲法記念日'],
      ['2025-05-04', 'みどりの日'],
      ['2025-05-05', 'こどもの日'],
      ['2025-05-06', 'こどもの日 振替休日'],
    ]);
    expect(holidaysBetween(calendarDate(2025, 5, 7), calendarDate(2025, 5, 31))).toEqual([]);
  });

  it('takes instants in Asia/Tokyo', () => {
    expect(isHoliday(new Date('2025-05-05T14:59:59Z'))).toBe(true); // 23:59 JST on こどもの日
    expect(isHoliday(new Date('2025-05-06T15:00:00Z'))).toBe(false); // 00:00 JST on 5/7
    expect(isHoliday(new Date('2025-05-04T15:00:00Z'))).toBe(true); // still 5/4 in UTC, 5/5 in Japan
  });

  it('covers 1970–2050 and reports no holiday outside', () => {
    expect(HOLIDAY_DATA_YEARS).toEqual({ first: 1970, last: 2050 });
    expect(isHoliday(calendarDate(2051, 1, 1))).toBe(false);
  });
});

describe('office closures', () => {
  it('closes 12/29–1/3 by default', () => {
    expect(isOfficeClosure(calendarDate(2024, 12, 28))).toBe(false);
    for (const [y, m, d] of [
      [2024, 12, 29],
      [2024, 12, 31],
      [2025, 1, 1],
      [2025, 1, 3],
    ] as const) {
      expect(closureName(calendarDate(y, m, d))).toBe('年末年始');
    }
    expect(isOfficeClosure(calendarDate(2025, 1, 4))).toBe(false);
  });

  it('takes other rules', () => {
    const rules: ClosureRule[] = [
      { kind: 'annual', name: '夏季閉庁', from: { month: 8, day: 13 }, to: { month: 8, day: 15 } },
      { kind: 'dates', name: '臨時閉庁', dates: [calendarDate(2025, 6, 2)] },
    ];
    expect(closureName(calendarDate(2025, 8, 14), rules)).toBe('夏季閉庁');
    expect(closureName(calendarDate(2025, 8, 16), rules)).toBeNull();
    expect(closureName(calendarDate(2025, 6, 2), rules)).toBe('臨時閉庁');
    expect(isOfficeClosure(calendarDate(2024, 12, 30), rules)).toBe(false);
    expect(isOfficeClosure(calendarDate(2024, 12, 30), [])).toBe(false);
    expect(() => validateClosureRule(YEAR_END_CLOSURE)).not.toThrow();
    expect(() =>
      validateClosureRule({ kind: 'annual', name: 'x', from: { month: 2, day: 30 }, to: { month: 3, day: 1 } }),
    ).toThrow(RangeError);
  });
});
