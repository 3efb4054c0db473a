// Our observable types (ioc/types.ts, canonical forms of INTERFACES.md) ↔ STIX 2.1 patterns.
// See README.md beside this file for the mapping table and the choices made where STIX has no object type.
import ipaddr from 'ipaddr.js';
import type { IocType } from '../ioc/types.ts';
import {
  type ComparisonTest,
  collectComparisons,
  type ObservationExpression,
  observationsOf,
  pathToString,
  quoteStixString,
} from './patternAst.ts';
import { parsePattern } from './patternParse.ts';

/** The observable types that have a STIX pattern (cve is a vulnerability SDO, tlp a marking, not observables). */
export type PatternableType = Exclude<IocType, 'cve' | 'tlp'>;

/** STIX hash algorithm names (hash-algorithm-ov) for our hash types, spelled as the spec spells them. */
export const STIX_HASH_NAMES = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
  ssdeep: 'SSDEEP',
} as const satisfies Partial<Record<IocType, string>>;

type HashType = keyof typeof STIX_HASH_NAMES;

/** Custom object types used where STIX 2.1 has none (x- prefix, property `value` as in the standard SCOs). */
export const CUSTOM_STIX_TYPES = {
  phone: 'x-phone-number',
  bank_account: 'x-bank-account',
  wallet: 'x-cryptocurrency-wallet',
} as const;

/** The STIX object path (`type:property…`) each of our types is matched on. */
export function stixPathFor(type: PatternableType): string {
  switch (type) {
    case 'url':
      return 'url:value';
    case 'domain':
      return 'domain-name:value';
    case 'ipv4':
      return 'ipv4-addr:value';
    case 'ipv6':
      return 'ipv6-addr:value';
    case 'email':
      return 'email-addr:value';
    case 'asn':
      return 'autonomous-system:number';
    case 'phone':
      return `${CUSTOM_STIX_TYPES.phone}:value`;
    case 'bank_account':
      return `${CUSTOM_STIX_TYPES.bank_account}:value`;
    case 'btc':
    case 'eth':
    case 'xmr':
      return `${CUSTOM_STIX_TYPES.wallet}:value`;
    default:
      return `file:hashes.${quoteKey(STIX_HASH_NAMES[type])}`;
  }
}

function quoteKey(name: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? name : quoteStixString(name);
}

/**
 * A STIX 2.1 pattern matching one of our observables, e.g. `[url:value = 'http://example.com/it\'s']`.
 * A CIDR (`198.51.100.0/24`) gives `ISSUBSET` so it matches every address in the range; an ASN gives an integer;
 * crypto wallets add the currency (`AND x-cryptocurrency-wallet:currency = 'BTC'`). Null for cve and tlp.
 */
export function stixPatternFor(type: IocType, value: string): string | null {
  if (type === 'cve' || type === 'tlp') return null;
  const path = stixPathFor(type);
  if (type === 'asn') {
    const number = Number(value.replace(/^AS/i, ''));
    if (!Number.isSafeInteger(number) || number < 0) throw new RangeError(`not an AS number: ${value}`);
    return `[${path} = ${number}]`;
  }
  if ((type === 'ipv4' || type === 'ipv6') && value.includes('/')) {
    return `[${path} ISSUBSET ${quoteStixString(value)}]`;
  }
  if (type === 'btc' || type === 'eth' || type === 'xmr') {
    return `[${path} = ${quoteStixString(value)} AND ${CUSTOM_STIX_TYPES.wallet}:currency = '${type.toUpperCase()}']`;
  }
  return `[${path} = ${quoteStixString(value)}]`;
}

/** One observable found in a pattern. `negated` comparisons (`!=`, `NOT =`) are never returned. */
export interface PatternObservable {
  type: PatternableType;
  value: string;
  /** The path it came from, e.g. `file:hashes.'SHA-256'`, for display and audit. */
  path: string;
}

/** A comparison `path op value` in a pattern, as plain data (for display, search, or types we do not map). */
export interface PatternComparison {
  path: string;
  objectType: string;
  operator: string;
  negated: boolean;
  value: string | number | boolean | Array<string | number | boolean> | null;
}

/** Every comparison of a valid pattern, flattened, in order. Throws a SyntaxError for an invalid pattern. */
export function comparisonsInPattern(pattern: string): PatternComparison[] {
  return testsOf(parseOrThrow(pattern)).map((test) => ({
    path: pathToString(test.path),
    objectType: test.path.objectType,
    operator: test.kind === 'exists' ? 'EXISTS' : test.operator,
    negated: test.negated,
    value:
      test.kind === 'exists' ? null : Array.isArray(test.value) ? test.value.map((v) => v.value) : test.value.value,
  }));
}

/**
 * Our observables named in a pattern: positive `=` comparisons (and `IN` lists, `ISSUBSET` CIDRs) on the paths
 * of stixPathFor, also the common variants (`file:hashes.sha256`, `'SHA256'`, `file:hashes.MD5`), values put in
 * our canonical forms (hashes lower-case except ssdeep, domains lower-case, IPv6 RFC 5952, `AS` before ASNs).
 * Comparisons we cannot map (file:name, MATCHES, x509 serials…) are skipped; use comparisonsInPattern for those.
 */
export function observablesFromPattern(pattern: string): PatternObservable[] {
  const ast = parseOrThrow(pattern);
  const out: PatternObservable[] = [];
  const seen = new Set<string>();
  for (const observation of observationsOf(ast)) {
    const tests: ComparisonTest[] = [];
    collectComparisons(observation.comparison, tests);
    const currency = walletCurrency(tests);
    for (const test of tests) {
      if (test.kind !== 'comparison' || test.negated) continue;
      const usable =
        test.operator === '=' ||
        test.operator === 'IN' ||
        (test.operator === 'ISSUBSET' && test.path.objectType.endsWith('-addr'));
      if (!usable) continue;
      const type = typeForPath(test, currency);
      if (!type) continue;
      const literals = Array.isArray(test.value) ? test.value : [test.value];
      for (const literal of literals) {
        const value = canonicalPatternValue(type, literal.value);
        if (value === null) continue;
        const key = `${type}\u0000${value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ type, value, path: pathToString(test.path) });
      }
    }
  }
  return out;
}

function parseOrThrow(pattern: string): ObservationExpression {
  const result = parsePattern(pattern);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new SyntaxError(`invalid STIX pattern at ${first.line}:${first.column}: ${first.message}`);
  }
  return result.ast;
}

function testsOf(ast: ObservationExpression): ComparisonTest[] {
  const out: ComparisonTest[] = [];
  for (const observation of observationsOf(ast)) collectComparisons(observation.comparison, out);
  return out;
}

const HASH_ALIASES: Record<string, HashType> = {
  MD5: 'md5',
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
  SSDEEP: 'ssdeep',
};

function typeForPath(
  test: Extract<ComparisonTest, { kind: 'comparison' }>,
  currency: string | null,
): PatternableType | null {
  const { objectType, property, steps } = test.path;
  if (objectType === 'file' && property === 'hashes' && steps.length === 1) {
    const step = steps[0]!;
    if (!('key' in step)) return null;
    return HASH_ALIASES[step.key.toUpperCase().replace(/-/g, '')] ?? null;
  }
  if (steps.length > 0) return null;
  if (objectType === 'autonomous-system') return property === 'number' ? 'asn' : null;
  if (property !== 'value') return null;
  switch (objectType) {
    case 'url':
      return 'url';
    case 'domain-name':
      return 'domain';
    case 'ipv4-addr':
      return 'ipv4';
    case 'ipv6-addr':
      return 'ipv6';
    case 'email-addr':
      return 'email';
    case CUSTOM_STIX_TYPES.phone:
      return 'phone';
    case CUSTOM_STIX_TYPES.bank_account:
      return 'bank_account';
    case CUSTOM_STIX_TYPES.wallet:
      return currency === 'BTC' ? 'btc' : currency === 'ETH' ? 'eth' : currency === 'XMR' ? 'xmr' : null;
    default:
      return null;
  }
}

function walletCurrency(tests: ComparisonTest[]): string | null {
  for (const test of tests) {
    if (test.kind !== 'comparison' || test.negated || test.operator !== '=') continue;
    if (test.path.objectType !== CUSTOM_STIX_TYPES.wallet || test.path.property !== 'currency') continue;
    if (!Array.isArray(test.value) && test.value.type === 'string') return test.value.value.toUpperCase();
  }
  return null;
}

/** Puts a pattern value in our canonical form; null when it cannot be one of ours (wrong literal type, bad IP). */
export function canonicalPatternValue(type: PatternableType, raw: string | number | boolean): string | null {
  if (type === 'asn') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).replace(/^AS/i, ''));
    return Number.isSafeInteger(n) && n >= 0 ? `AS${n}` : null;
  }
  if (typeof raw !== 'string') return null;
  const value = raw.trim();
  if (value === '') return null;
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'domain':
      return value.toLowerCase();
    case 'email': {
      const at = value.lastIndexOf('@');
      return at < 0 ? null : value.slice(0, at) + value.slice(at).toLowerCase();
    }
    case 'ipv4':
    case 'ipv6':
      return canonicalIp(type, value);
    default:
      return value;
  }
}

function canonicalIp(type: 'ipv4' | 'ipv6', value: string): string | null {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return null;
  let text: string;
  if (type === 'ipv4') {
    if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return null;
    text = ipaddr.IPv4.parse(address).toString();
  } else {
    if (!ipaddr.IPv6.isValid(address)) return null;
    text = ipaddr.IPv6.parse(address).toRFC5952String();
  }
  if (prefix === undefined) return text;
  const bits = Number(prefix);
  const max = type === 'ipv4' ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || bits > max) return null;
  return `${text}/${bits}`;
}
