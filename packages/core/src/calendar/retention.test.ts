import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { calendarDate, calendarDateParts, compareCalendarDates, fromEpochDay, toEpochDay } from './calendarDate.ts';
import {
  INDEFINITE_RETENTION,
  fiscalYearOf,
  fiscalYearRange,
  formatRetention,
  isRetentionExpired,
  parseRetentionPeriod,
  retentionEndDate,
  retentionYears,
} from './retention.ts';
import { formatWareki, parseWarekiDate } from './wareki.ts';

describe('fiscal year', () => {
  it('runs from 4/1 to 3/31', () => {
    expect(fiscalYearOf(calendarDate(2024, 3, 31))).toBe(2023);
    expect(fiscalYearOf(calendarDate(2024, 4, 1))).toBe(2024);
    expect(fiscalYearOf(calendarDate(2024, 12, 31))).toBe(2024);
    expect(fiscalYearOf(calendarDate(2025, 1, 1))).toBe(2024);
    expect(fiscalYearOf(calendarDate(2024, 2, 29))).toBe(2023);
    expect(fiscalYearRange(2023)).toEqual({ start: '2023-04-01', end: '2024-03-31' });
  });

  it('takes instants in Asia/Tokyo', () => {
    // 2024-03-31T15:00Z is 2024-04-01 00:00 JST: a new fiscal year in Japan while still March in UTC.
    expect(fiscalYearOf(new Date('2024-03-31T14:59:59Z'))).toBe(2023);
    expect(fiscalYearOf(new Date('2024-03-31T15:00:00Z'))).toBe(2024);
  });
});

describe('retentionEndDate (domain.md §7.4)', () => {
  // The six documents the rule was derived from.
  it.each([
    ['令和4年5月26日', 3, '令和8年3月31日'],
    ['令和5年6月26日', 3, '令和9年3月31日'],
    ['令和6年3月18日', 5, '令和11年3月31日'], // March belongs to 令和5年度
    ['令和3年12月17日', 30, '令和34年3月31日'],
    ['令和4年6月24日', 1, '令和6年3月31日'],
    ['令和6年12月24日', 5, '令和12年3月31日'],
  ])('%s + %i年 → %s', (created, years, end) => {
    const result = retentionEndDate(parseWarekiDate(created), years);
    expect(result).not.toBeNull();
    expect(formatWareki(result!)).toBe(end);
    expect(retentionEndDate(parseWarekiDate(created), retentionYears(years))).toBe(result);
  });

  it('treats 3/31 and 4/1 as different fiscal years', () => {
    expect(retentionEndDate(calendarDate(2024, 3, 31), 1)).toBe('2025-03-31');
    expect(retentionEndDate(calendarDate(2024, 4, 1), 1)).toBe('2026-03-31');
    expect(retentionEndDate(calendarDate(2024, 2, 29), 3)).toBe('2027-03-31');
    // Across the era change: created in 平成31年4月 (FY2019) and in 令和元年5月 alike.
    expect(retentionEndDate(calendarDate(2019, 4, 30), 5)).toBe('2025-03-31');
    expect(retentionEndDate(calendarDate(2019, 5, 1), 5)).toBe('2025-03-31');
  });

  it('has no end for 定めなし', () => {
    expect(retentionEndDate(calendarDate(2022, 5, 26), INDEFINITE_RETENTION)).toBeNull();
    expect(isRetentionExpired(calendarDate(1990, 1, 1), INDEFINITE_RETENTION, calendarDate(2090, 1, 1))).toBe(false);
    expect(formatRetention(calendarDate(2022, 5, 26), INDEFINITE_RETENTION)).toBe('定めなし');
  });

  it('rejects periods that are not whole years ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => retentionEndDate(calendarDate(2022, 5, 26), bad)).toThrow(RangeError);
    }
    expect(() => retentionEndDate(calendarDate(2022, 5, 26), { kind: 'years', years: 0 })).toThrow(RangeError);
  });

  it('expires the day after the 満了日', () => {
    const created = calendarDate(2022, 5, 26);
    expect(isRetentionExpired(created, 3, calendarDate(2026, 3, 31))).toBe(false);
    expect(isRetentionExpired(created, 3, calendarDate(2026, 4, 1))).toBe(true);
    expect(isRetentionExpired(created, 3, new Date('2026-03-31T15:00:00Z'))).toBe(true); // 4/1 00:00 JST
  });

  it('parses and formats periods as in a 通達 header', () => {
    expect(parseRetentionPeriod('3年')).toEqual({ kind: 'years', years: 3 });
    expect(parseRetentionPeriod('３０年')).toEqual({ kind: 'years', years: 30 });
    expect(parseRetentionPeriod('定めなし')).toBe(INDEFINITE_RETENTION);
    expect(() => parseRetentionPeriod('3か月')).toThrow(RangeError);
    expect(() => parseRetentionPeriod('0年')).toThrow(RangeError);
    expect(formatRetention(calendarDate(2023, 6, 26), 3)).toBe('3年(令和9年3月31日まで)');
  });

  test.prop([
    fc.integer({ min: toEpochDay(calendarDate(1950, 1, 1)), max: toEpochDay(calendarDate(2200, 12, 31)) }),
    fc.integer({ min: 1, max: 100 }),
  ])('the end is a 3/31, between N and N+1 years after creation', (n, years) => {
    const created = fromEpochDay(n);
    const end = retentionEndDate(created, years)!;
    const { year, month, day } = calendarDateParts(end);
    expect([month, day]).toEqual([3, 31]);
    const c = calendarDateParts(created);
    expect(
      compareCalendarDates(end, calendarDate(c.year + years, c.month, Math.min(c.day, 28))),
    ).toBeGreaterThanOrEqual(0);
    expect(year - c.year).toBeLessThanOrEqual(years + 1);
    expect(retentionEndDate(created, years + 1)).toBe(calendarDate(year + 1, 3, 31));
  });
});
