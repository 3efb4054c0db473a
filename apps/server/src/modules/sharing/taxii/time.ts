/**
 * TAXII timestamps (RFC 3339, UTC, `Z`). We keep microseconds since the epoch beside each stored timestamp so that
 * ordering and `added_after` / `match[version]` never depend on how many fraction digits a string has
 * (`…27Z` and `…27.000Z` are the same instant).
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Microseconds since the epoch of a TAXII/STIX timestamp, or null when it is not one. */
export function toMicros(ts: string): number | null {
  const m = RFC3339.exec(ts);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) return null;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(frac);
}

/** A timestamp with exactly six fraction digits (TAXII servers should give date_added microsecond precision). */
export function fromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = String(us - Math.floor(us / 1_000_000) * 1_000_000).padStart(6, '0');
  return `${base}.${frac}Z`;
}
