// 和暦 (Japanese era) dates: 令和4年5月26日, R4.5.26, 令和元年.
//
// The era table is ours rather than Intl's so output does not depend on the ICU build (older ICUs lack 令和 and
// differ on 明治); wareki.test.ts checks it against Intl `ja-JP-u-ca-japanese` with timeZone Asia/Tokyo.
// Supported from 明治6年1月1日 (1873-01-01, Japan's adoption of the Gregorian calendar) onwards.

import {
  type CalendarDate,
  calendarDate,
  calendarDateParts,
  compareCalendarDates,
  daysInMonth,
  toCalendarDate,
} from './calendarDate.ts';

export type EraName = '明治' | '大正' | '昭和' | '平成' | '令和';
export type EraLetter = 'M' | 'T' | 'S' | 'H' | 'R';

export interface Era {
  readonly name: EraName;
  readonly letter: EraLetter;
  /** First day of the era (for 明治, the first supported day). */
  readonly start: CalendarDate;
  /** Gregorian year of 元年 (the era's first year). */
  readonly firstYear: number;
}

/** Eras in chronological order. */
export const ERAS: readonly Era[] = [
  { name: '明治', letter: 'M', start: calendarDate(1873, 1, 1), firstYear: 1868 },
  { name: '大正', letter: 'T', start: calendarDate(1912, 7, 30), firstYear: 1912 },
  { name: '昭和', letter: 'S', start: calendarDate(1926, 12, 25), firstYear: 1926 },
  { name: '平成', letter: 'H', start: calendarDate(1989, 1, 8), firstYear: 1989 },
  { name: '令和', letter: 'R', start: calendarDate(2019, 5, 1), firstYear: 2019 },
];

export interface WarekiDate {
  readonly era: Era;
  /** 1 for 元年. */
  readonly eraYear: number;
  readonly month: number;
  readonly day: number;
}

function eraAt(date: CalendarDate): Era {
  for (let i = ERAS.length - 1; i >= 0; i--) {
    const era = ERAS[i]!;
    if (compareCalendarDates(date, era.start) >= 0) return era;
  }
  throw new RangeError(`和暦 is supported from 明治6年1月1日 (1873-01-01): ${date}`);
}

function eraByName(name: string): Era | undefined {
  return ERAS.find((e) => e.name === name || e.letter === name.toUpperCase());
}

/** Last day of the era, or null for the current one. */
function eraEnd(era: Era): CalendarDate | null {
  const next = ERAS[ERAS.indexOf(era) + 1];
  if (!next) return null;
  const { year, month, day } = calendarDateParts(next.start);
  return day > 1
    ? calendarDate(year, month, day - 1)
    : month > 1
      ? calendarDate(year, month - 1, daysInMonth(year, month - 1))
      : calendarDate(year - 1, 12, 31);
}

/** Splits a date (or an instant, taken in Asia/Tokyo) into era, era year, month and day. */
export function toWareki(value: CalendarDate | Date): WarekiDate {
  const date = toCalendarDate(value);
  const era = eraAt(date);
  const { year, month, day } = calendarDateParts(date);
  return { era, eraYear: year - era.firstYear + 1, month, day };
}

function eraYearText(eraYear: number): string {
  return eraYear === 1 ? '元' : String(eraYear);
}

/** '令和4年5月26日' (no zero padding; '令和元年5月1日' for year 1). */
export function formatWareki(value: CalendarDate | Date): string {
  const w = toWareki(value);
  return `${w.era.name}${eraYearText(w.eraYear)}年${w.month}月${w.day}日`;
}

/** 'R4.5.26' ('R1.5.1' for year 1). */
export function formatWarekiShort(value: CalendarDate | Date): string {
  const w = toWareki(value);
  return `${w.era.letter}${w.eraYear}.${w.month}.${w.day}`;
}

/**
 * Era and era year used to name a Gregorian year: the era in force on 31 December of that year
 * (2019 → 令和元年, 1989 → 平成元年). The same rule names fiscal years: FY2019 → 令和元年度, FY1988 → 昭和63年度.
 */
export function warekiYear(gregorianYear: number): { readonly era: Era; readonly eraYear: number } {
  const era = eraAt(calendarDate(gregorianYear, 12, 31));
  return { era, eraYear: gregorianYear - era.firstYear + 1 };
}

/** '令和元年' for 2019. */
export function formatWarekiYear(gregorianYear: number): string {
  const w = warekiYear(gregorianYear);
  return `${w.era.name}${eraYearText(w.eraYear)}年`;
}

/** '令和4年度' for fiscal year 2022 (2022-04-01 – 2023-03-31). */
export function formatWarekiFiscalYear(fiscalYear: number): string {
  return `${formatWarekiYear(fiscalYear)}度`;
}

/** Gregorian year of an era year; throws if that year lies wholly outside the era (平成32年, 令和0年). */
export function gregorianYearOf(era: EraName | EraLetter, eraYear: number): number {
  const e = eraByName(era);
  if (!e) throw new RangeError(`Unknown era: ${era}`);
  if (!Number.isInteger(eraYear) || eraYear < 1) throw new RangeError(`Invalid era year: ${era}${eraYear}`);
  const year = e.firstYear + eraYear - 1;
  const end = eraEnd(e);
  if (year < calendarDateParts(e.start).year || (end !== null && year > calendarDateParts(end).year) || year > 9999) {
    throw new RangeError(`${e.name}${eraYear}年 does not exist`);
  }
  return year;
}

export type ParsedWareki =
  | {
      readonly kind: 'date';
      readonly era: EraName;
      readonly eraYear: number;
      readonly date: CalendarDate;
    }
  | {
      readonly kind: 'year';
      readonly era: EraName;
      readonly eraYear: number;
      /** true for '令和4年度' (a fiscal year). */
      readonly fiscal: boolean;
      readonly gregorianYear: number;
      /** First and last day of the era year (令和元年: 2019-05-01 – 2019-12-31), or of the fiscal year. */
      readonly start: CalendarDate;
      readonly end: CalendarDate;
    };

const ERA_ALT = '明治|大正|昭和|平成|令和';
const LONG_RE = new RegExp(`^(${ERA_ALT})\\s*(元|\\d{1,4})\\s*年(?:\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日)?$`);
const LONG_FY_RE = new RegExp(`^(${ERA_ALT})\\s*(元|\\d{1,4})\\s*年度$`);
const SHORT_RE = /^([MTSHR])\s*(元|\d{1,4})(?:[./](\d{1,2})[./](\d{1,2}))?$/i;

/**
 * Parses '令和4年5月26日', '令和元年5月1日', 'R4.5.26', 'R4/5/26', 'R元.5.1' (full-width digits and letters allowed)
 * into a date, and '令和元年', '令和4年度', 'R4' into a year. Throws RangeError on anything else, including dates
 * outside their era ('平成31年5月1日' — that day is 令和元年5月1日).
 */
export function parseWareki(text: string): ParsedWareki {
  const input = text.normalize('NFKC').trim();
  const fy = LONG_FY_RE.exec(input);
  const m = fy ?? LONG_RE.exec(input) ?? SHORT_RE.exec(input);
  if (!m) throw new RangeError(`Not a 和暦 date: ${JSON.stringify(text)}`);
  const era = eraByName(m[1]!)!;
  const eraYear = m[2] === '元' ? 1 : Number(m[2]);
  const year = gregorianYearOf(era.name, eraYear);
  if (fy) {
    return {
      kind: 'year',
      era: era.name,
      eraYear,
      fiscal: true,
      gregorianYear: year,
      start: calendarDate(year, 4, 1),
      end: calendarDate(year + 1, 3, 31),
    };
  }
  if (m[3] === undefined) {
    const end = eraEnd(era);
    const start = compareCalendarDates(era.start, calendarDate(year, 1, 1)) > 0 ? era.start : calendarDate(year, 1, 1);
    const yearEnd = calendarDate(year, 12, 31);
    return {
      kind: 'year',
      era: era.name,
      eraYear,
      fiscal: false,
      gregorianYear: year,
      start,
      end: end !== null && compareCalendarDates(end, yearEnd) < 0 ? end : yearEnd,
    };
  }
  const month = Number(m[3]);
  const day = Number(m[4]);
  let date: CalendarDate;
  try {
    date = calendarDate(year, month, day);
  } catch {
    throw new RangeError(`No such date: ${JSON.stringify(text)}`);
  }
  if (eraAt(date) !== era) throw new RangeError(`${JSON.stringify(text)} is outside the ${era.name} era`);
  return { kind: 'date', era: era.name, eraYear, date };
}

/** Like parseWareki but requires a full date. */
export function parseWarekiDate(text: string): CalendarDate {
  const parsed = parseWareki(text);
  if (parsed.kind !== 'date') throw new RangeError(`Not a full 和暦 date: ${JSON.stringify(text)}`);
  return parsed.date;
}
