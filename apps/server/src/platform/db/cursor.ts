import { AppError } from '../errors.ts';

/** Keyset cursors: the sort key of the last row seen, opaque to clients. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<T extends (string | number)[]>(cursor: string | undefined, arity: number): T | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === arity &&
      parsed.every((v) => ['string', 'number'].includes(typeof v))
    ) {
      return parsed as T;
    }
  } catch {
    // fall through
  }
  throw new AppError('INVALID_CURSOR');
}

export function pageLimit(raw: string | undefined, fallback = 50, max = 200): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new AppError('VALIDATION_FAILED', 'limit must be a positive integer');
  return Math.min(n, max);
}

/** Escapes LIKE wildcards so that user text is matched literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
