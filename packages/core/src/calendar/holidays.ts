// Japanese national holidays (国民の祝日, 振替休日, 国民の休日) from @holiday-jp/holiday_jp, and office closures such as
// 年末年始 (12/29–1/3).
//
// We read the package's date-keyed table directly: its own isHoliday() formats Date objects in the host time
// zone and scans every key. The table covers 1970–2050 (HOLIDAY_DATA_YEARS); outside it no date is a holiday.

import holidayJp from '@holiday-jp/holiday_jp';
import { type CalendarDate, calendarDateParts, compareCalendarDates, toCalendarDate } from './calendarDate.ts';

interface HolidayRecord {
  readonly date: string;
  readonly name: string;
  readonly name_en: string;
}

const TABLE: Readonly<Record<string, HolidayRecord | undefined>> = holidayJp.holidays;
const KEYS = Object.keys(TABLE).sort();

/** First and last year the holiday data covers. */
export const HOLIDAY_DATA_YEARS: { readonly first: number; readonly last: number } = {
  first: Number(KEYS[0]!.slice(0, 4)),
  last: Number(KEYS[KEYS.length - 1]!.slice(0, 4)),
};

export interface Holiday {
  readonly date: CalendarDate;
  /** e.g. '憲法記念日', 'こどもの日 振替休日', '国民の休日'. */
  readonly name: string;
  readonly nameEn: string;
}

/** Whether the date (or instant, in Asia/Tokyo) is a national holiday, substitute holiday or 国民の休日. */
export function isHoliday(value: CalendarDate | Date): boolean {
  return TABLE[toCalendarDate(value)] !== undefined;
}

/** Japanese name of the holiday, or null. */
export function holidayName(value: CalendarDate | Date): string | null {
  return TABLE[toCalendarDate(value)]?.name ?? null;
}

/** Holidays from `from` to `to`, both inclusive, in date order. */
export function holidaysBetween(from: CalendarDate, to: CalendarDate): Holiday[] {
  const result: Holiday[] = [];
  for (const key of KEYS) {
    if (key < from) continue;
    if (key > to) break;
    const h = TABLE[key]!;
    result.push({ date: key as CalendarDate, name: h.name, nameEn: h.name_en });
  }
  return result;
}

export interface MonthDay {
  readonly month: number;
  readonly day: number;
}

/**
 * A day on which the office is closed besides weekends and holidays.
 * - `annual`: every year from `from` to `to` inclusive; may wrap the new year (12/29 → 1/3).
 * - `dates`: specific dates (e.g. a prefectural holiday or a one-off closure).
 */
export type ClosureRule =
  | { readonly kind: 'annual'; readonly name: string; readonly from: MonthDay; readonly to: MonthDay }
  | { readonly kind: 'dates'; readonly name: string; readonly dates: readonly CalendarDate[] };

/** 年末年始 closure, 12月29日 – 1月3日 (行政機関の休日に関する法律 第1条). */
export const YEAR_END_CLOSURE: ClosureRule = {
  kind: 'annual',
  name: '年末年始',
  from: { month: 12, day: 29 },
  to: { month: 1, day: 3 },
};

function monthDayKey(md: MonthDay): number {
  return md.month * 100 + md.day;
}

function validateMonthDay(md: MonthDay): void {
  const max = md.month === 2 ? 29 : [4, 6, 9, 11].includes(md.month) ? 30 : 31;
  if (!Number.isInteger(md.month) || !Number.isInteger(md.day) || md.month < 1 || md.month > 12) {
    throw new RangeError(`Invalid month/day: ${md.month}/${md.day}`);
  }
  if (md.day < 1 || md.day > max) throw new RangeError(`Invalid month/day: ${md.month}/${md.day}`);
}

/** Throws RangeError if a rule is malformed. */
export function validateClosureRule(rule: ClosureRule): void {
  if (rule.kind === 'annual') {
    validateMonthDay(rule.from);
    validateMonthDay(rule.to);
  } else {
    for (const d of rule.dates) toCalendarDate(d);
  }
}

function ruleMatches(rule: ClosureRule, date: CalendarDate): boolean {
  if (rule.kind === 'dates') return rule.dates.some((d) => compareCalendarDates(d, date) === 0);
  const { month, day } = calendarDateParts(date);
  const k = month * 100 + day;
  const from = monthDayKey(rule.from);
  const to = monthDayKey(rule.to);
  return from <= to ? k >= from && k <= to : k >= from || k <= to;
}

/** Name of the first closure rule covering the date, or null. */
export function closureName(
  value: CalendarDate | Date,
  rules: readonly ClosureRule[] = [YEAR_END_CLOSURE],
): string | null {
  const date = toCalendarDate(value);
  return rules.find((r) => ruleMatches(r, date))?.name ?? null;
}

/** Whether a closure rule (default: 年末年始) covers the date. Weekends and holidays are not considered here. */
export function isOfficeClosure(
  value: CalendarDate | Date,
  rules: readonly ClosureRule[] = [YEAR_END_CLOSURE],
): boolean {
  return closureName(value, rules) !== null;
}
