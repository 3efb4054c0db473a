// A calendar date in Japan (JST, Asia/Tokyo) as a branded 'YYYY-MM-DD' string.
//
// The string form sorts correctly, serialises as-is to JSON and SQL DATE/TEXT columns, and is usable as a map key.
// Japan has used a fixed UTC+9 offset since 1952 (no DST), so conversions use that offset rather than Intl;
// calendarDate.test.ts checks the two agree.

declare const calendarDateBrand: unique symbol;

/** A valid Gregorian date 'YYYY-MM-DD' (years 0001–9999), meant as a day in Asia/Tokyo. */
export type CalendarDate = string & { readonly [calendarDateBrand]: true };

export interface CalendarDateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Offset of JST from UTC in milliseconds (UTC+9, no DST since 1952). */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
export const MS_PER_DAY = 24 * 60 * 60 * 1000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isValidParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Builds a date from its parts; throws RangeError on an impossible date (2023-02-29, month 13…). */
export function calendarDate(year: number, month: number, day: number): CalendarDate {
  if (!isValidParts(year, month, day)) {
    throw new RangeError(`Invalid calendar date: ${year}-${month}-${day}`);
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as CalendarDate;
}

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  return m !== null && isValidParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Parses strict 'YYYY-MM-DD'; throws RangeError otherwise. */
export function parseCalendarDate(text: string): CalendarDate {
  if (!isCalendarDate(text)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return text;
}

export function calendarDateParts(date: CalendarDate): CalendarDateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(date: CalendarDate): number {
  const { year, month, day } = calendarDateParts(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, does not remap years 0–99
  return Math.round(d.getTime() / MS_PER_DAY);
}

export function fromEpochDay(epochDay: number): CalendarDate {
  if (!Number.isInteger(epochDay)) throw new RangeError(`Epoch day must be an integer: ${epochDay}`);
  const d = new Date(epochDay * MS_PER_DAY);
  return calendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function instantMs(instant: Date | number): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid instant');
  return ms;
}

/** The JST calendar date of an instant, whatever the host time zone. */
export function calendarDateOf(instant: Date | number): CalendarDate {
  return fromEpochDay(Math.floor((instantMs(instant) + JST_OFFSET_MS) / MS_PER_DAY));
}

/** Today's date in Japan. */
export function todayJst(now: Date | number = Date.now()): CalendarDate {
  return calendarDateOf(now);
}

/** The instant of 00:00 JST on the date (plus an optional offset in ms from JST midnight). */
export function startOfDayJst(date: CalendarDate, msOfDay = 0): Date {
  return new Date(toEpochDay(date) * MS_PER_DAY - JST_OFFSET_MS + msOfDay);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer: ${days}`);
  return days === 0 ? date : fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function compareCalendarDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/** Accepts either a calendar date or an instant (taken in Asia/Tokyo). */
export function toCalendarDate(value: CalendarDate | Date): CalendarDate {
  return value instanceof Date ? calendarDateOf(value) : parseCalendarDate(value);
}
