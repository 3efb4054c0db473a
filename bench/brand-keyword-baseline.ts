// Naive baseline for bench/brand.bench.ts: the first brand (longest word first) one of whose words or official
// registered labels is a substring of the lower-cased URL, with no notion of official domains, tokens, confusables
// or typos. Uses the same curated list (brands.json) as the scorer, so the comparison is about matching, not data.
import { parse as parseDomain } from 'tldts';
import { BRANDS } from '../packages/core/src/brand/brands.ts';

const WORDS: ReadonlyArray<readonly [string, string]> = BRANDS.flatMap((b) => [
  ...b.words.map((w) => [w, b.label] as const),
  ...b.domains.flatMap((d) => {
    const label = parseDomain(d).domainWithoutSuffix;
    return label ? [[label, b.label] as const] : [];
  }),
])
  .filter(([w]) => w.length >= 3)
  .sort((a, b) => b[0].length - a[0].length);

export function keywordBaseline(url: string): string | null {
  const u = url.toLowerCase();
  for (const [w, label] of WORDS) if (u.includes(w)) return label;
  return null;
}
