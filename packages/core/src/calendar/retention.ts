// Fiscal years (年度, 4/1–3/31) and document retention end dates (保存期間満了日), domain.md §7.4.
//
// Rule (derived from six Fukushima documents, all consistent): counting starts on 4/1 after the fiscal year of
// creation, so 満了日 = 3月31日 of (the calendar year in which the creation's fiscal year ends + N).

import {
  type CalendarDate,
  calendarDate,
  calendarDateParts,
  compareCalendarDates,
  toCalendarDate,
} from './calendarDate.ts';
import { formatWareki } from './wareki.ts';

/** Fiscal year of a date, named by the calendar year it starts in (2024-03-18 → 2023, i.e. 令和5年度). */
export function fiscalYearOf(value: CalendarDate | Date): number {
  const { year, month } = calendarDateParts(toCalendarDate(value));
  return month >= 4 ? year : year - 1;
}

/** First (4/1) and last (3/31) day of a fiscal year. */
export function fiscalYearRange(fiscalYear: number): { readonly start: CalendarDate; readonly end: CalendarDate } {
  return { start: calendarDate(fiscalYear, 4, 1), end: calendarDate(fiscalYear + 1, 3, 31) };
}

/** A retention period: N years, or 定めなし (no end). */
export type RetentionPeriod = { readonly kind: 'years'; readonly years: number } | { readonly kind: 'indefinite' };

export const INDEFINITE_RETENTION: RetentionPeriod = { kind: 'indefinite' };

export function retentionYears(years: number): RetentionPeriod {
  if (!Number.isInteger(years) || years < 1 || years > 1000) {
    throw new RangeError(`Retention period must be a whole number of years ≥ 1: ${years}`);
  }
  return { kind: 'years', years };
}

/**
 * 満了日 (last day of retention) for a document created on `created`; null when the period is 定めなし.
 * A bare number is read as years. R4.5.26 + 3年 → R8.3.31; R6.3.18 + 5年 → R11.3.31 (March belongs to R5年度).
 */
export function retentionEndDate(created: CalendarDate | Date, period: RetentionPeriod | number): CalendarDate | null {
  const p = typeof period === 'number' ? retentionYears(period) : period;
  if (p.kind === 'indefinite') return null;
  retentionYears(p.years);
  const fyEndYear = fiscalYearOf(created) + 1;
  return calendarDate(fyEndYear + p.years, 3, 31);
}

/** True once `today` is after the 満了日 (never for 定めなし). */
export function isRetentionExpired(
  created: CalendarDate | Date,
  period: RetentionPeriod | number,
  today: CalendarDate | Date,
): boolean {
  const end = retentionEndDate(created, period);
  return end !== null && compareCalendarDates(toCalendarDate(today), end) > 0;
}

/** Parses '3年', '30年', '３年' or '定めなし'. */
export function parseRetentionPeriod(text: string): RetentionPeriod {
  const t = text.normalize('NFKC').trim();
  if (t === '定めなし' || t === '定め無し') return INDEFINITE_RETENTION;
  const m = /^(\d{1,4})\s*年$/.exec(t);
  if (!m) throw new RangeError(`Not a retention period: ${JSON.stringify(text)}`);
  return retentionYears(Number(m[1]));
}

/** '3年(令和9年3月31日まで)' as in a 通達 header, or '定めなし'. */
export function formatRetention(created: CalendarDate | Date, period: RetentionPeriod | number): string {
  const p = typeof period === 'number' ? retentionYears(period) : period;
  const end = retentionEndDate(created, p);
  if (p.kind === 'indefinite' || end === null) return '定めなし';
  return `${p.years}年(${formatWareki(end)}まで)`;
}
