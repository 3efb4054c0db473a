import { currentLanguage } from './i18n';

/** Date and time in Japan, in the UI language. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLanguage() === 'en' ? 'en-GB' : 'ja-JP', {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(date);
}

/** Today's date in Japan as YYYY-MM-DD. */
export function todayInTokyo(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
}

/** A YYYY-MM-DD day in Japan as the ISO instant of its first (or, for `end`, its last) millisecond. */
export function dayToIso(day: string, edge: 'start' | 'end'): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00+09:00`);
  if (edge === 'end') return new Date(start.getTime() + 86_400_000 - 1).toISOString();
  return start.toISOString();
}
