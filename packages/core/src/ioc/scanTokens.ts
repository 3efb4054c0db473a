import { isAsciiAlnum, isHex } from './chars.ts';
import { bech32Btc, isBtcBase58, isXmr } from './crypto.ts';
import { type Hit, hit } from './hit.ts';
import type { IocType } from './types.ts';

const HASH_BY_LENGTH: Record<number, IocType> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/**
 * Hashes and cryptocurrency addresses: each maximal run of ASCII letters and digits is classified once by its
 * length and alphabet (so an md5 is never found inside a sha1). Linear.
 */
export function scanAlnumRuns(t: string): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < t.length) {
    if (!isAsciiAlnum(t.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let hex = true;
    while (i < t.length && isAsciiAlnum(t.charCodeAt(i))) {
      if (!isHex(t.charCodeAt(i))) hex = false;
      i++;
    }
    const len = i - start;
    if (len < 26) continue;
    const run = t.slice(start, i);
    const hashType = hex ? HASH_BY_LENGTH[len] : undefined;
    if (hashType) {
      hits.push(hit(hashType, run.toLowerCase(), start, i, false));
    } else if (len === 42 && (run.startsWith('0x') || run.startsWith('0X')) && /^0[xX][0-9a-fA-F]{40}$/.test(run)) {
      hits.push(hit('eth', `0x${run.slice(2)}`, start, i, false));
    } else if (isBtcBase58(run)) {
      hits.push(hit('btc', run, start, i, false));
    } else if (isXmr(run)) {
      hits.push(hit('xmr', run, start, i, false));
    } else {
      const b = bech32Btc(run);
      if (b) hits.push(hit('btc', b, start, i, false));
    }
  }
  return hits;
}

const CVE = /(?<![A-Za-z0-9])CVE-(\d{4})-(\d{4,7})(?![0-9])/gi;
const ASN = /(?<![A-Za-z0-9])(?:ASN ?|AS)(\d{1,10})(?![0-9A-Za-z])/g;
const TLP = /(?<![A-Za-z0-9])TLP ?:? ?(CLEAR|WHITE|GREEN|AMBER\+STRICT|AMBER|RED)(?![A-Za-z])/gi;
const SSDEEP = /(?<![A-Za-z0-9/+])(\d{1,10}):([A-Za-z0-9/+]{3,64}):([A-Za-z0-9/+]{3,64})(?![A-Za-z0-9/+])/g;

/** CVE ids, AS numbers, TLP labels and ssdeep hashes: simple anchored patterns over bounded tokens. */
export function scanPatterns(t: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of t.matchAll(CVE)) {
    hits.push(hit('cve', `CVE-${m[1]}-${m[2]}`, m.index, m.index + m[0].length, false));
  }
  for (const m of t.matchAll(ASN)) {
    const n = Number(m[1]);
    if (n < 1 || n > 4294967295) continue;
    hits.push(hit('asn', `AS${n}`, m.index, m.index + m[0].length, false));
  }
  for (const m of t.matchAll(TLP)) {
    hits.push(hit('tlp', `TLP:${m[1]!.toUpperCase()}`, m.index, m.index + m[0].length, false));
  }
  for (const m of t.matchAll(SSDEEP)) {
    const block = Number(m[1]);
    // Block sizes are 3 × 2^k.
    if (block < 3 || block % 3 !== 0 || ((block / 3) & (block / 3 - 1)) !== 0) continue;
    if (!/[A-Za-z]/.test(m[2]! + m[3]!)) continue;
    hits.push(hit('ssdeep', m[0], m.index, m.index + m[0].length, false));
  }
  return hits;
}
