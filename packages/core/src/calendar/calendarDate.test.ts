import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDate,
  calendarDateOf,
  calendarDateParts,
  compareCalendarDates,
  dayOfWeek,
  daysBetween,
  fromEpochDay,
  isCalendarDate,
  parseCalendarDate,
  startOfDayJst,
  toEpochDay,
} from './calendarDate.ts';

// Run with a host zone far from Japan so any accidental use of local time shows up.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const jstFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('calendarDate', () => {
  it('builds and validates dates, including leap days', () => {
    expect(calendarDate(2024, 2, 29)).toBe('2024-02-29');
    expect(calendarDate(2000, 2, 29)).toBe('2000-02-29');
    expect(() => calendarDate(2023, 2, 29)).toThrow(RangeError);
    expect(() => calendarDate(1900, 2, 29)).toThrow(RangeError);
    expect(() => calendarDate(2024, 4, 31)).toThrow(RangeError);
    expect(() => calendarDate(2024, 13, 1)).toThrow(RangeError);
    expect(() => calendarDate(2024, 1, 1.5)).toThrow(RangeError);
    expect(calendarDate(5, 1, 1)).toBe('0005-01-01');
  });

  it('parses only strict YYYY-MM-DD', () => {
    expect(parseCalendarDate('2022-05-26')).toBe('2022-05-26');
    for (const bad of ['2022-5-26', '2022-05-26T00:00', '2022/05/26', '2022-02-30', '', ' 2022-05-26']) {
      expect(isCalendarDate(bad)).toBe(false);
      expect(() => parseCalendarDate(bad)).toThrow(RangeError);
    }
    expect(isCalendarDate(20220526)).toBe(false);
  });

  it('converts instants to the JST date regardless of the host zone', () => {
    expect(process.env.TZ).toBe('America/Los_Angeles');
    // 3/31 vs 4/1 around midnight JST = 15:00 UTC.
    expect(calendarDateOf(new Date('2024-03-31T14:59:59.999Z'))).toBe('2024-03-31');
    expect(calendarDateOf(new Date('2024-03-31T15:00:00.000Z'))).toBe('2024-04-01');
    // Midnight UTC is already 09:00 in Japan; 23:59 UTC on 12/31 is New Year's Day in Japan.
    expect(calendarDateOf(new Date('2019-04-30T23:59:00Z'))).toBe('2019-05-01');
    expect(calendarDateOf(Date.parse('2023-12-31T23:59:00Z'))).toBe('2024-01-01');
    expect(() => calendarDateOf(new Date('nope'))).toThrow(RangeError);
  });

  it('gives the JST midnight instant of a date', () => {
    expect(startOfDayJst(calendarDate(2024, 4, 1)).toISOString()).toBe('2024-03-31T15:00:00.000Z');
    expect(startOfDayJst(calendarDate(2024, 4, 1), 8.5 * 3600_000).toISOString()).toBe('2024-03-31T23:30:00.000Z');
  });

  it('adds days across month ends and leap days, and compares', () => {
    expect(addDays(calendarDate(2024, 2, 28), 1)).toBe('2024-02-29');
    expect(addDays(calendarDate(2024, 2, 28), 2)).toBe('2024-03-01');
    expect(addDays(calendarDate(2023, 2, 28), 1)).toBe('2023-03-01');
    expect(addDays(calendarDate(2024, 1, 1), -1)).toBe('2023-12-31');
    expect(addDays(calendarDate(2024, 1, 1), 366)).toBe('2025-01-01');
    expect(daysBetween(calendarDate(2024, 1, 1), calendarDate(2025, 1, 1))).toBe(366);
    expect(compareCalendarDates(calendarDate(2024, 3, 31), calendarDate(2024, 4, 1))).toBe(-1);
    expect(compareCalendarDates(calendarDate(2024, 4, 1), calendarDate(2024, 4, 1))).toBe(0);
    expect(compareCalendarDates(calendarDate(10000 - 1, 1, 1), calendarDate(2024, 4, 1))).toBe(1);
    expect(() => addDays(calendarDate(2024, 1, 1), 0.5)).toThrow(RangeError);
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek(calendarDate(1970, 1, 1))).toBe(4);
    expect(dayOfWeek(calendarDate(2019, 5, 1))).toBe(3);
    expect(dayOfWeek(calendarDate(1969, 12, 28))).toBe(0);
    expect(dayOfWeek(calendarDate(2025, 5, 6))).toBe(2);
  });

  test.prop([fc.integer({ min: -700_000, max: 2_900_000 })])('epoch day round trip', (n) => {
    const d = fromEpochDay(n);
    expect(toEpochDay(d)).toBe(n);
    const { year, month, day } = calendarDateParts(d);
    expect(calendarDate(year, month, day)).toBe(d);
  });

  test.prop([
    fc.date({ min: new Date('1952-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
  ])('calendarDateOf agrees with Intl in Asia/Tokyo', (instant) => {
    expect(calendarDateOf(instant)).toBe(jstFormat.format(instant));
    expect(dayOfWeek(calendarDateOf(instant))).toBe(new Date(instant.getTime() + 9 * 3600_000).getUTCDay());
  });
});
