import { foldText } from './fold.ts';

// MinHash over character shingles of the folded text (NFKC, lower case, no spaces or zero-width characters,
// URLs / e-mail addresses / phone numbers as placeholders, digit runs as 0). Deterministic: the hash functions
// come from a fixed seed.

export interface MinHashOptions {
  /** Signature length (number of hash functions). */
  numHashes?: number;
  /** Shingle length in characters. */
  shingle?: number;
  /** Seed of the hash family; the same seed gives the same signatures on every machine. */
  seed?: number;
}

export const MINHASH_DEFAULTS = { numHashes: 64, shingle: 4, seed: 0x52454e4b } as const; // 'RENK'

/** murmur3 finaliser: a good 32-bit mix. */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** mulberry32: a small deterministic generator for the hash seeds. */
function seeds(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return out;
}

/** The text the shingles are taken from. */
export function shingleSource(text: string): string {
  return foldText(text, true);
}

/** FNV-1a hashes of the distinct k-character shingles (a text shorter than k is one shingle). */
export function shingleHashes(text: string, k: number = MINHASH_DEFAULTS.shingle): Uint32Array {
  const s = shingleSource(text);
  if (s.length === 0) return new Uint32Array(0);
  const n = Math.max(1, s.length - k + 1);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    const end = Math.min(s.length, i + k);
    for (let j = i; j < end; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    seen.add(h >>> 0);
  }
  return Uint32Array.from(seen);
}

export interface MinHasher {
  readonly numHashes: number;
  readonly shingle: number;
  /** The signature of a text; an empty Uint32Array when the text has no characters left after folding. */
  signature(text: string): Uint32Array;
}

export function createMinHasher(options: MinHashOptions = {}): MinHasher {
  const numHashes = options.numHashes ?? MINHASH_DEFAULTS.numHashes;
  const shingle = options.shingle ?? MINHASH_DEFAULTS.shingle;
  const salts = seeds(numHashes, options.seed ?? MINHASH_DEFAULTS.seed);
  return {
    numHashes,
    shingle,
    signature(text) {
      const hashes = shingleHashes(text, shingle);
      if (hashes.length === 0) return new Uint32Array(0);
      const sig = new Uint32Array(numHashes).fill(0xffffffff);
      for (let s = 0; s < hashes.length; s++) {
        const x = hashes[s]!;
        for (let i = 0; i < numHashes; i++) {
          const h = fmix32(x ^ salts[i]!);
          if (h < sig[i]!) sig[i] = h;
        }
      }
      return sig;
    },
  };
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the two shingle sets. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
