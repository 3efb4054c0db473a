// Working-time clock for SLA timers: how much working time lies between two instants, when a working-time budget
// runs out, and when work next resumes. All wall-clock times are JST (fixed UTC+9).
//
// A schedule is plain data (JSON-serialisable, suitable for configuration); it is validated and compiled once per
// object and cached, so treat schedules as immutable. The algorithms walk day by day (O(days), never minute by minute).

import { type CalendarDate, JST_OFFSET_MS, MS_PER_DAY, fromEpochDay, toEpochDay } from './calendarDate.ts';
import { type ClosureRule, YEAR_END_CLOSURE, closureName, isHoliday, validateClosureRule } from './holidays.ts';

export interface WorkingHours {
  /** 'HH:MM' JST, inclusive. */
  readonly from: string;
  /** 'HH:MM' JST, exclusive; '24:00' allowed. */
  readonly to: string;
}

export interface WorkingSchedule {
  /** Working periods of a working day, in order and not overlapping (e.g. a lunch break splits the day in two). */
  readonly hours: readonly WorkingHours[];
  /** Working days of the week, 0 = Sunday … 6 = Saturday. */
  readonly weekdays: readonly number[];
  /** Whether national holidays (incl. 振替休日) are days off. */
  readonly excludeHolidays: boolean;
  /** Further closures (default: 年末年始 12/29–1/3). */
  readonly closures: readonly ClosureRule[];
}

/** 8:30–17:15 JST, Monday–Friday, no work on holidays or 12/29–1/3. */
export const DEFAULT_WORKING_SCHEDULE: WorkingSchedule = {
  hours: [{ from: '08:30', to: '17:15' }],
  weekdays: [1, 2, 3, 4, 5],
  excludeHolidays: true,
  closures: [YEAR_END_CLOSURE],
};

/** Builds a schedule from the defaults and validates it (throws RangeError). */
export function defineWorkingSchedule(overrides: Partial<WorkingSchedule> = {}): WorkingSchedule {
  const schedule: WorkingSchedule = { ...DEFAULT_WORKING_SCHEDULE, ...overrides };
  compile(schedule);
  return schedule;
}

interface Compiled {
  readonly schedule: WorkingSchedule;
  /** [start, end) in ms after JST midnight. */
  readonly periods: readonly (readonly [number, number])[];
  readonly weekdays: ReadonlySet<number>;
  /** Memo of working-day answers by epoch day (holiday and closure lookups are the costly part). */
  readonly days: Map<number, boolean>;
}

const cache = new WeakMap<WorkingSchedule, Compiled>();
const TIME_RE = /^(\d{2}):(\d{2})$/;

function parseTime(text: string): number {
  const m = TIME_RE.exec(text);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) throw new RangeError(`Invalid time (HH:MM): ${text}`);
  return (h * 60 + min) * 60_000;
}

function compile(schedule: WorkingSchedule): Compiled {
  const hit = cache.get(schedule);
  if (hit) return hit;
  const periods = schedule.hours.map((h) => [parseTime(h.from), parseTime(h.to)] as const);
  periods.forEach(([s, e], i) => {
    if (e <= s)
      throw new RangeError(`Working period ends before it starts: ${schedule.hours[i]!.from}–${schedule.hours[i]!.to}`);
    const prev = periods[i - 1];
    if (prev && s < prev[1]) throw new RangeError('Working periods must be in order and must not overlap');
  });
  if (periods.length === 0) throw new RangeError('A working schedule needs at least one working period');
  for (const d of schedule.weekdays) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`Invalid weekday: ${d}`);
  }
  if (schedule.weekdays.length === 0) throw new RangeError('A working schedule needs at least one working weekday');
  for (const rule of schedule.closures) validateClosureRule(rule);
  const compiled: Compiled = { schedule, periods, weekdays: new Set(schedule.weekdays), days: new Map() };
  cache.set(schedule, compiled);
  return compiled;
}

const MAX_MEMO_DAYS = 100_000;

function isWorkingEpochDay(epochDay: number, c: Compiled): boolean {
  if (!c.weekdays.has((((epochDay + 4) % 7) + 7) % 7)) return false;
  if (!c.schedule.excludeHolidays && c.schedule.closures.length === 0) return true;
  const memo = c.days.get(epochDay);
  if (memo !== undefined) return memo;
  const date = fromEpochDay(epochDay);
  const working = !(c.schedule.excludeHolidays && isHoliday(date)) && closureName(date, c.schedule.closures) === null;
  if (c.days.size >= MAX_MEMO_DAYS) c.days.clear();
  c.days.set(epochDay, working);
  return working;
}

/** Whether the date is a working day under the schedule (weekday, not a holiday, not closed). */
export function isWorkingDay(date: CalendarDate, schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE): boolean {
  return isWorkingEpochDay(toEpochDay(date), compile(schedule));
}

function ms(instant: Date): number {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Invalid instant');
  return t;
}

function epochDayOf(t: number): number {
  return Math.floor((t + JST_OFFSET_MS) / MS_PER_DAY);
}

function midnight(epochDay: number): number {
  return epochDay * MS_PER_DAY - JST_OFFSET_MS;
}

/** Guard against schedules whose closures leave no working day at all. */
const MAX_IDLE_DAYS = 3 * 366;

/**
 * Working time in ms from `start` to `end`. Negative if `end` is before `start`, so that
 * workingMillisBetween(a, b) + workingMillisBetween(b, c) === workingMillisBetween(a, c).
 */
export function workingMillisBetween(
  start: Date,
  end: Date,
  schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE,
): number {
  const c = compile(schedule);
  const s = ms(start);
  const e = ms(end);
  if (e < s) return 0 - workingMillisBetween(end, start, schedule); // 0 - x, not -x: never -0
  const lastDay = epochDayOf(e);
  let total = 0;
  for (let day = epochDayOf(s); day <= lastDay; day++) {
    if (!isWorkingEpochDay(day, c)) continue;
    const m = midnight(day);
    for (const [ps, pe] of c.periods) {
      const from = Math.max(s, m + ps);
      const to = Math.min(e, m + pe);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/**
 * The earliest instant by which `durationMs` of working time has elapsed since `start` ("due in 2 working hours").
 * An exact fit ends at the close of a period (Fri 16:15 + 1h → Fri 17:15), not at the next opening.
 * A zero duration returns `start` unchanged.
 */
export function addWorkingMillis(
  start: Date,
  durationMs: number,
  schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE,
): Date {
  const c = compile(schedule);
  const s = ms(start);
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`Working duration must be a finite number ≥ 0: ${durationMs}`);
  }
  if (durationMs === 0) return new Date(s);
  let remaining = durationMs;
  let idle = 0;
  for (let day = epochDayOf(s); ; day++) {
    if (!isWorkingEpochDay(day, c)) {
      if (++idle > MAX_IDLE_DAYS) throw new RangeError('The working schedule has no working day');
      continue;
    }
    idle = 0;
    const m = midnight(day);
    for (const [ps, pe] of c.periods) {
      const from = Math.max(s, m + ps);
      const to = m + pe;
      if (to <= from) continue;
      if (remaining <= to - from) return new Date(from + remaining);
      remaining -= to - from;
    }
  }
}

/** `at` itself if it lies within working time, otherwise the start of the next working period. */
export function nextWorkingInstant(at: Date, schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE): Date {
  const c = compile(schedule);
  const t = ms(at);
  let idle = 0;
  for (let day = epochDayOf(t); ; day++) {
    if (!isWorkingEpochDay(day, c)) {
      if (++idle > MAX_IDLE_DAYS) throw new RangeError('The working schedule has no working day');
      continue;
    }
    idle = 0;
    const m = midnight(day);
    for (const [ps, pe] of c.periods) {
      if (m + pe > t) return new Date(Math.max(t, m + ps));
    }
  }
}

/** Whether `at` lies within working time ([from, to) of a period on a working day). */
export function isWorkingInstant(at: Date, schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE): boolean {
  return nextWorkingInstant(at, schedule).getTime() === ms(at);
}

/**
 * The date `days` working days after (or, if negative, before) `date`; `date` itself for 0.
 * E.g. "within 3 開庁日".
 */
export function addWorkingDays(
  date: CalendarDate,
  days: number,
  schedule: WorkingSchedule = DEFAULT_WORKING_SCHEDULE,
): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer: ${days}`);
  const c = compile(schedule);
  const step = days < 0 ? -1 : 1;
  let left = Math.abs(days);
  let day = toEpochDay(date);
  let idle = 0;
  while (left > 0) {
    day += step;
    if (isWorkingEpochDay(day, c)) {
      left--;
      idle = 0;
    } else if (++idle > MAX_IDLE_DAYS) {
      throw new RangeError('The working schedule has no working day');
    }
  }
  return fromEpochDay(day);
}
