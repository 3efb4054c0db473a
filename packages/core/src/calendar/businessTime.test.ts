import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDate, calendarDateOf, dayOfWeek } from './calendarDate.ts';
import {
  DEFAULT_WORKING_SCHEDULE,
  addWorkingDays,
  addWorkingMillis,
  defineWorkingSchedule,
  isWorkingDay,
  isWorkingInstant,
  nextWorkingInstant,
  workingMillisBetween,
} from './businessTime.ts';
import { isHoliday } from './holidays.ts';

// A host zone with DST: the clock must not notice (JST has none).
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const jst = (local: string): Date => new Date(`${local}+09:00`);
const H = 3600_000;
const M = 60_000;
const DAY_MS = 8 * H + 45 * M; // 8:30–17:15

describe('working-time clock (default: 8:30–17:15 JST, Mon–Fri)', () => {
  it('counts time within a day and clips to working hours', () => {
    expect(workingMillisBetween(jst('2025-06-02T09:00'), jst('2025-06-02T11:00'))).toBe(2 * H);
    expect(workingMillisBetween(jst('2025-06-02T06:00'), jst('2025-06-02T20:00'))).toBe(DAY_MS);
    expect(workingMillisBetween(jst('2025-06-02T17:15'), jst('2025-06-03T08:30'))).toBe(0);
    expect(workingMillisBetween(jst('2025-06-02T10:00'), jst('2025-06-02T10:00'))).toBe(0);
  });

  it('skips weekends', () => {
    // Fri 16:15 → Mon 09:30: 1h on Friday + 1h on Monday.
    expect(workingMillisBetween(jst('2025-06-06T16:15'), jst('2025-06-09T09:30'))).toBe(2 * H);
    expect(addWorkingMillis(jst('2025-06-06T16:15'), 2 * H)).toEqual(jst('2025-06-09T09:30'));
    expect(workingMillisBetween(jst('2025-06-07T10:00'), jst('2025-06-08T15:00'))).toBe(0);
  });

  it('ends an exact fit at the close of the day, not the next opening', () => {
    expect(addWorkingMillis(jst('2025-06-06T16:15'), H)).toEqual(jst('2025-06-06T17:15'));
    expect(addWorkingMillis(jst('2025-06-06T16:15'), H + 1)).toEqual(new Date(jst('2025-06-09T08:30').getTime() + 1));
  });

  it('starts counting at the next opening when started outside hours', () => {
    expect(addWorkingMillis(jst('2025-06-02T07:00'), H)).toEqual(jst('2025-06-02T09:30'));
    expect(addWorkingMillis(jst('2025-06-07T12:00'), 30 * M)).toEqual(jst('2025-06-09T09:00')); // Saturday
    expect(addWorkingMillis(jst('2025-06-07T12:00'), 0)).toEqual(jst('2025-06-07T12:00'));
  });

  it('skips a holiday Monday and a substitute holiday', () => {
    // 2024-01-08 成人の日 (Monday).
    expect(addWorkingMillis(jst('2024-01-05T17:00'), 30 * M)).toEqual(jst('2024-01-09T08:45'));
    // 2020-02-24 天皇誕生日 振替休日 (Monday): a full working day from Friday's close ends on Tuesday's close.
    expect(addWorkingMillis(jst('2020-02-21T17:15'), DAY_MS)).toEqual(jst('2020-02-25T17:15'));
    expect(isWorkingDay(calendarDate(2020, 2, 24))).toBe(false);
  });

  it('skips Golden Week', () => {
    expect(addWorkingMillis(jst('2025-04-28T17:00'), H)).toEqual(jst('2025-04-30T09:15')); // 4/29 昭和の日
    expect(addWorkingMillis(jst('2025-05-02T17:00'), H)).toEqual(jst('2025-05-07T09:15')); // 5/3–5/6
    // 2019: ten days off, 4/27–5/6.
    expect(nextWorkingInstant(jst('2019-04-26T17:15'))).toEqual(jst('2019-05-07T08:30'));
    expect(workingMillisBetween(jst('2019-04-26T12:00'), jst('2019-05-07T12:00'))).toBe(5 * H + 15 * M + 3.5 * H);
  });

  it('skips the year-end closure (12/29–1/3) even on weekdays', () => {
    // Fri 2024-12-27 → Mon 2025-01-06 (12/30, 12/31, 1/2, 1/3 are weekdays but closed).
    expect(addWorkingMillis(jst('2024-12-27T17:00'), H)).toEqual(jst('2025-01-06T09:15'));
    expect(nextWorkingInstant(jst('2024-12-30T10:00'))).toEqual(jst('2025-01-06T08:30'));
    expect(isWorkingDay(calendarDate(2024, 12, 30))).toBe(false);
    const noClosure = defineWorkingSchedule({ closures: [] });
    expect(isWorkingDay(calendarDate(2024, 12, 30), noClosure)).toBe(true);
    expect(nextWorkingInstant(jst('2024-12-30T10:00'), noClosure)).toEqual(jst('2024-12-30T10:00'));
  });

  it('finds the next working instant', () => {
    expect(nextWorkingInstant(jst('2025-06-02T08:30'))).toEqual(jst('2025-06-02T08:30'));
    expect(nextWorkingInstant(jst('2025-06-02T17:14:59.999'))).toEqual(jst('2025-06-02T17:14:59.999'));
    expect(nextWorkingInstant(jst('2025-06-02T17:15'))).toEqual(jst('2025-06-03T08:30'));
    expect(nextWorkingInstant(jst('2025-06-06T23:59'))).toEqual(jst('2025-06-09T08:30'));
    expect(isWorkingInstant(jst('2025-06-02T12:00'))).toBe(true);
    expect(isWorkingInstant(jst('2025-06-02T08:29:59'))).toBe(false);
  });

  it('is antisymmetric', () => {
    expect(workingMillisBetween(jst('2025-06-09T09:30'), jst('2025-06-06T16:15'))).toBe(-2 * H);
  });

  it('ignores the host zone and its DST', () => {
    // US DST began 2025-03-09 02:00 EST; Japan is unaffected.
    expect(workingMillisBetween(jst('2025-03-07T08:30'), jst('2025-03-10T17:15'))).toBe(2 * DAY_MS);
    expect(calendarDateOf(jst('2025-03-10T00:00'))).toBe('2025-03-10');
  });

  it('matches a day count over a whole year', () => {
    let workingDays = 0;
    for (let d = calendarDate(2025, 1, 1); d <= '2025-12-31'; d = addDays(d, 1)) {
      const md = d.slice(5);
      const wd = dayOfWeek(d);
      if (wd !== 0 && wd !== 6 && !isHoliday(d) && !(md >= '12-29' || md <= '01-03')) workingDays++;
    }
    expect(workingDays).toBeGreaterThan(235);
    expect(workingMillisBetween(jst('2025-01-01T00:00'), jst('2026-01-01T00:00'))).toBe(workingDays * DAY_MS);
  });

  it('stays fast over long spans', () => {
    const t0 = performance.now();
    const total = workingMillisBetween(jst('1990-01-01T00:00'), jst('2049-12-31T00:00'));
    const end = addWorkingMillis(jst('1990-01-01T00:00'), total);
    expect(workingMillisBetween(jst('1990-01-01T00:00'), end)).toBe(total);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('custom schedules', () => {
  it('supports a lunch break', () => {
    const s = defineWorkingSchedule({
      hours: [
        { from: '08:30', to: '12:00' },
        { from: '13:00', to: '17:15' },
      ],
    });
    expect(addWorkingMillis(jst('2025-06-02T11:30'), H, s)).toEqual(jst('2025-06-02T13:30'));
    expect(addWorkingMillis(jst('2025-06-02T11:30'), 30 * M, s)).toEqual(jst('2025-06-02T12:00'));
    expect(workingMillisBetween(jst('2025-06-02T00:00'), jst('2025-06-03T00:00'), s)).toBe(7 * H + 45 * M);
    expect(nextWorkingInstant(jst('2025-06-02T12:30'), s)).toEqual(jst('2025-06-02T13:00'));
  });

  it('supports a round-the-clock desk', () => {
    const s = defineWorkingSchedule({
      hours: [{ from: '00:00', to: '24:00' }],
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      excludeHolidays: false,
      closures: [],
    });
    const a = jst('2024-12-28T22:00');
    const b = jst('2025-01-04T03:00');
    expect(workingMillisBetween(a, b, s)).toBe(b.getTime() - a.getTime());
    expect(addWorkingMillis(a, 5 * H, s)).toEqual(jst('2024-12-29T03:00'));
  });

  it('rejects invalid schedules', () => {
    expect(() => defineWorkingSchedule({ hours: [{ from: '25:00', to: '26:00' }] })).toThrow(RangeError);
    expect(() => defineWorkingSchedule({ hours: [{ from: '8:30', to: '17:15' }] })).toThrow(RangeError);
    expect(() => defineWorkingSchedule({ hours: [{ from: '17:15', to: '08:30' }] })).toThrow(RangeError);
    expect(() =>
      defineWorkingSchedule({
        hours: [
          { from: '08:30', to: '13:00' },
          { from: '12:00', to: '17:15' },
        ],
      }),
    ).toThrow(RangeError);
    expect(() => defineWorkingSchedule({ hours: [] })).toThrow(RangeError);
    expect(() => defineWorkingSchedule({ weekdays: [] })).toThrow(RangeError);
    expect(() => defineWorkingSchedule({ weekdays: [7] })).toThrow(RangeError);
    expect(() => addWorkingMillis(jst('2025-06-02T09:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingMillis(jst('2025-06-02T09:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('fails instead of looping when closures leave no working day', () => {
    const s = defineWorkingSchedule({
      closures: [{ kind: 'annual', name: '全日', from: { month: 1, day: 1 }, to: { month: 12, day: 31 } }],
    });
    expect(() => addWorkingMillis(jst('2025-06-02T09:00'), H, s)).toThrow(/no working day/);
    expect(() => nextWorkingInstant(jst('2025-06-02T09:00'), s)).toThrow(/no working day/);
    expect(workingMillisBetween(jst('2025-06-02T09:00'), jst('2025-07-02T09:00'), s)).toBe(0);
  });
});

describe('addWorkingDays', () => {
  it('counts working days (開庁日)', () => {
    expect(addWorkingDays(calendarDate(2025, 5, 2), 1)).toBe('2025-05-07');
    expect(addWorkingDays(calendarDate(2025, 5, 7), -1)).toBe('2025-05-02');
    expect(addWorkingDays(calendarDate(2025, 5, 3), 0)).toBe('2025-05-03');
    expect(addWorkingDays(calendarDate(2024, 12, 26), 3)).toBe('2025-01-07');
    expect(() => addWorkingDays(calendarDate(2025, 5, 2), 1.5)).toThrow(RangeError);
  });
});

const instant = fc
  .integer({ min: jst('2000-01-01T00:00').getTime(), max: jst('2049-12-31T00:00').getTime() })
  .map((t) => new Date(t));
const nearInstant = fc
  .integer({ min: jst('2024-01-01T00:00').getTime(), max: jst('2026-12-31T00:00').getTime() })
  .map((t) => new Date(t));
const duration = fc.integer({ min: 0, max: 200 * DAY_MS });

describe('properties', () => {
  test.prop([instant, duration])('workingMillisBetween(a, addWorkingMillis(a, ms)) === ms', (a, ms) => {
    const b = addWorkingMillis(a, ms, DEFAULT_WORKING_SCHEDULE);
    expect(workingMillisBetween(a, b)).toBe(ms);
    expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
    if (ms > 0) {
      // Earliest such instant: one ms less of working time ends strictly earlier.
      expect(addWorkingMillis(a, ms - 1).getTime()).toBeLessThan(b.getTime());
      expect(isWorkingInstant(new Date(b.getTime() - 1))).toBe(true);
    }
  });

  test.prop([nearInstant, nearInstant, nearInstant])('working time is additive', (a, b, c) => {
    expect(workingMillisBetween(a, b) + workingMillisBetween(b, c)).toBe(workingMillisBetween(a, c));
  });

  test.prop([instant])('nextWorkingInstant is a working instant with no working time before it', (a) => {
    const n = nextWorkingInstant(a);
    expect(isWorkingInstant(n)).toBe(true);
    expect(workingMillisBetween(a, n)).toBe(0);
  });
});
