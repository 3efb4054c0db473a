import type { BrandIndex } from './brands.ts';
import { type BrandVerdict, defaultBrandIndex, scoreBrand } from './score.ts';

/** Observable types the brand scorer reads; others (IPs, hashes, e-mail addresses…) have no brand verdict. */
export const BRAND_OBSERVABLE_TYPES: ReadonlySet<string> = new Set(['url', 'domain']);

/**
 * The brand verdict for an observable, for callers such as the intel module (a column or badge on observables) and
 * the feed collectors: `undefined` for a type the scorer does not read, otherwise `scoreBrand` on the canonical value.
 * Pure and synchronous (about 2 ms a value); call it when an observable is recorded or displayed, not in SQL.
 */
export function brandOfObservable(
  type: string,
  value: string,
  index: BrandIndex = defaultBrandIndex(),
): BrandVerdict | undefined {
  if (!BRAND_OBSERVABLE_TYPES.has(type)) return undefined;
  return scoreBrand(value, index);
}
