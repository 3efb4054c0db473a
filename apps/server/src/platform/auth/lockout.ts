/**
 * Progressive lockout: the first four failures cost nothing; from the fifth on, the account locks for
 * 1, 2, 4, 8 … minutes, at most an hour. A success (completed sign-in) resets the count.
 */
export const FREE_FAILURES = 4;
export const MAX_LOCK_MINUTES = 60;

export function lockUntilAfter(failures: number, now: Date): string | null {
  if (failures <= FREE_FAILURES) return null;
  const minutes = Math.min(MAX_LOCK_MINUTES, 2 ** (failures - FREE_FAILURES - 1));
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

export function lockedFor(lockedUntil: string | null, now: Date): number {
  if (!lockedUntil) return 0;
  const ms = new Date(lockedUntil).getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}
