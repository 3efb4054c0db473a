import { parse as parseDomain } from 'tldts';
import data from './brands.json' with { type: 'json' };
import { skeleton } from './skeleton.ts';

/** One impersonated brand of the curated list (brands.json, whose `_comment` says where it comes from). */
export interface Brand {
  /** The label to report: JPCERT/CC's spelling where JPCERT/CC names the brand. */
  label: string;
  sector: string;
  /** Registered domains the brand operates; these and their subdomains are official. */
  domains: readonly string[];
  /** Lower-case ASCII words that name the brand ('-' allowed). */
  words: readonly string[];
  /** Japanese names. */
  ja: readonly string[];
}

export const BRANDS: readonly Brand[] = data.brands;

/** A name to look for: a brand word, or the registered label of one of its official domains. */
export interface BrandName {
  brand: Brand;
  /** As written (lower-case ASCII, may hold '-'). */
  name: string;
  /** Skeleton of the name without hyphens: what labels are compared with. */
  key: string;
  /** Letters in the name as written, without hyphens (not its skeleton). */
  length: number;
  /** Listed as a word (true) or only the label of an official domain (false); listed words win ties. */
  listed: boolean;
}

export interface BrandIndex {
  brands: readonly Brand[];
  /** Official domain → its brand. */
  official: ReadonlyMap<string, Brand>;
  /** Skeleton key → the names that have it. */
  byKey: ReadonlyMap<string, readonly BrandName[]>;
  /** Every name, for fuzzy and substring look-ups. */
  names: readonly BrandName[];
  /** Japanese names, longest first. */
  ja: ReadonlyArray<{ brand: Brand; text: string }>;
}

/** Official domains whose label is an everyday word: official, but the word alone names no brand (`live-support`). */
const PLAIN_WORDS = new Set(['digital', 'live', 'office', 'meta', 'line', 'windows', 'ana', 'jal', 'kabu', 'post']);

export const nameKey = (s: string): string => skeleton(s.replace(/[-_]/g, ''));

/** Builds the look-up tables for a list of brands (the shipped list unless another is given, e.g. in tests). */
export function buildBrandIndex(brands: readonly Brand[] = BRANDS): BrandIndex {
  const official = new Map<string, Brand>();
  const byKey = new Map<string, BrandName[]>();
  const names: BrandName[] = [];
  const add = (brand: Brand, name: string, listed: boolean): void => {
    const key = nameKey(name);
    if (key === '') return;
    const same = byKey.get(key) ?? [];
    if (same.some((n) => n.brand === brand)) return;
    const entry = { brand, name, key, length: name.replace(/[-_]/g, '').length, listed };
    same.push(entry);
    byKey.set(key, same);
    names.push(entry);
  };
  for (const brand of brands) {
    for (const w of brand.words) add(brand, w.toLowerCase(), true);
  }
  for (const brand of brands) {
    for (const d of brand.domains) {
      official.set(d.toLowerCase(), brand);
      const info = parseDomain(d, { allowPrivateDomains: false });
      // only a domain that is itself registered lends its label (cr.mufg.jp says nothing about "mufg" alone)
      const label = info.domainWithoutSuffix;
      if (info.domain === d && label && label.replace(/-/g, '').length >= 3 && !PLAIN_WORDS.has(label)) {
        add(brand, label, false);
      }
    }
  }
  const ja = brands
    .flatMap((brand) => brand.ja.map((text) => ({ brand, text: text.normalize('NFKC').toLowerCase() })))
    .filter((j) => j.text.length >= 2)
    .sort((a, b) => b.text.length - a.text.length);
  return { brands, official, byKey, names, ja };
}

/** The brand whose official domain `host` is or lies under, if any. */
export function officialBrandOf(index: BrandIndex, host: string): Brand | undefined {
  let h = host.toLowerCase().replace(/\.$/, '');
  for (;;) {
    const b = index.official.get(h);
    if (b) return b;
    const dot = h.indexOf('.');
    if (dot < 0) return undefined;
    h = h.slice(dot + 1);
  }
}
