import { parseIpv6 } from '@renkei/core/ioc/index';
import { parse as parseDomain } from 'tldts';

/**
 * The hunting matcher (issue 8 §2): indicators in hash sets, log lines scanned as bytes. Every line is cut into
 * tokens at the delimiters of the usual log formats (spaces and tabs of squid, combined, BIND and Zeek logs, quotes
 * of combined and JSON lines, commas of CSV, the parentheses of BIND's query log); only tokens that can be a host or
 * a URL (they hold a dot, or colons for IPv6) become strings, and each is one hash look-up (a few for a domain's
 * parents). No regular expression runs per line. Pure: no I/O.
 */

export type HuntType = 'url' | 'domain' | 'ipv4' | 'ipv6';

export interface HuntMatch {
  type: HuntType;
  /** The canonical value of the indicator matched. */
  indicator: string;
  /** The text in the log that matched. */
  observed: string;
}

/** Tag on a domain observable: its subdomains match too (only below a registered domain, never a public suffix). */
export const SUBDOMAIN_TAG = 'match:subdomains';

const DELIM = new Uint8Array(256);
for (const c of ' \t\r\n"\'(),;|<>{}`') DELIM[c.charCodeAt(0)] = 1;
const DOT = 0x2e;
const COLON = 0x3a;
/** Bytes that make up host names and IPv4 addresses (letters, digits, "-", "_", "."). */
const HOSTCH = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9._-]/.test(ch)) HOSTCH[c] = 1;
}
const MAX_HOST = 253;
const HEX = new Uint8Array(256);
for (const ch of '0123456789abcdefABCDEF') HEX[ch.charCodeAt(0)] = 1;

/**
 * A Bloom filter over host names read right to left (so that, while hashing, each "." marks the hash of a parent
 * domain). It lets the matcher skip a line with no allocation at all when none of its host-like runs can be an
 * indicator; a line that passes is matched exactly. About 20 bits per value and 3 probes: ~0.3 % false passes.
 */
class HostBloom {
  readonly #bits: Uint32Array;
  readonly #mask: number;
  constructor(n: number) {
    let m = 1024;
    while (m < n * 20) m *= 2;
    this.#bits = new Uint32Array(m / 32);
    this.#mask = m - 1;
  }
  static hashes(s: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    for (let k = s.length - 1; k >= 0; k--) {
      let c = s.charCodeAt(k);
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    return [h1, h2];
  }
  add(s: string): void {
    const [h1, h2] = HostBloom.hashes(s);
    for (let i = 0; i < 3; i++) {
      const b = (h1 + Math.imul(i, h2 | 1)) & this.#mask;
      this.#bits[b >>> 5]! |= 1 << (b & 31);
    }
  }
  has(h1: number, h2: number): boolean {
    for (let i = 0; i < 3; i++) {
      const b = (h1 + Math.imul(i, h2 | 1)) & this.#mask;
      if ((this.#bits[b >>> 5]! & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * The key a URL is compared by, for indicators and log text alike: scheme and host lower-case, the default port,
 * a lone "/" path and the fragment dropped (the canonical form keeps the path as written).
 */
export function urlKey(url: string): string | undefined {
  const i = url.indexOf('://');
  if (i <= 0) return undefined;
  let s = i;
  while (s > 0) {
    const c = url.charCodeAt(s - 1) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    s--;
  }
  if (s === i) return undefined;
  const scheme = url.slice(s, i).toLowerCase();
  const rest = url.slice(i + 3);
  let end = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const c = rest.charCodeAt(k);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = k;
      break;
    }
  }
  let host = rest.slice(0, end).toLowerCase();
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443')))
    host = host.slice(0, host.lastIndexOf(':'));
  let path = rest.slice(end);
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path === '/') path = '';
  return `${scheme}://${host}${path}`;
}

/** The host part of a URL without port, brackets or user information. */
function urlHostOf(url: string): string {
  const i = url.indexOf('://');
  let rest = url.slice(i + 3);
  let end = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const c = rest.charCodeAt(k);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = k;
      break;
    }
  }
  rest = rest.slice(0, end);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  if (rest.startsWith('[')) return rest.slice(1, rest.indexOf(']') < 0 ? undefined : rest.indexOf(']'));
  const colon = rest.indexOf(':');
  return colon >= 0 ? rest.slice(0, colon) : rest;
}

function isDottedQuad(s: string): boolean {
  let dots = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === DOT) dots++;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return dots === 3;
}

export class IndicatorIndex {
  readonly urls = new Map<string, string>();
  readonly domains = new Set<string>();
  readonly subdomains = new Set<string>();
  readonly ipv4 = new Set<string>();
  readonly ipv6 = new Set<string>();

  get size(): number {
    return this.urls.size + this.domains.size + this.ipv4.size + this.ipv6.size;
  }

  /** Adds one canonical indicator; `subdomains` for a domain whose subdomains are to match as well. */
  add(type: string, value: string, subdomains = false): void {
    switch (type) {
      case 'url': {
        const k = urlKey(value);
        if (k) this.urls.set(k, value);
        break;
      }
      case 'domain':
        this.domains.add(value);
        // A public suffix (co.jp, github.io) never stands for its subdomains: that would match half the web.
        if (subdomains && parseDomain(value, { allowPrivateDomains: true }).domain) this.subdomains.add(value);
        break;
      case 'ipv4':
        this.ipv4.add(value);
        break;
      case 'ipv6':
        this.ipv6.add(value);
        break;
      default:
        break;
    }
  }
}

/** Matches one log line (bytes `start..end` of `buf`), calling `emit` once per distinct indicator found in it. */
export class LineMatcher {
  readonly #ix: IndicatorIndex;
  readonly #seen: string[] = [];
  readonly #wantV6: boolean;
  readonly #wantSub: boolean;
  #emit: (m: HuntMatch) => void = () => {};

  readonly #exact: HostBloom;
  readonly #sub: HostBloom;

  constructor(index: IndicatorIndex) {
    this.#ix = index;
    this.#wantV6 = index.ipv6.size > 0;
    this.#wantSub = index.subdomains.size > 0;
    this.#exact = new HostBloom(index.domains.size + index.ipv4.size + index.urls.size);
    for (const d of index.domains) this.#exact.add(d);
    for (const ip of index.ipv4) this.#exact.add(ip);
    for (const u of index.urls.values()) this.#exact.add(urlHostOf(u));
    this.#sub = new HostBloom(index.subdomains.size);
    for (const d of index.subdomains) this.#sub.add(d);
  }

  /** Could the host-like run `s..e` of `buf` (or, for subdomain indicators, one of its parents) be an indicator? */
  #probe(buf: Buffer, s: number, e: number): boolean {
    while (e > s && buf[e - 1] === DOT) e--;
    while (s < e && buf[s] === DOT) s++;
    if (e - s > MAX_HOST || e - s < 3) return false;
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    for (let k = e - 1; k >= s; k--) {
      let c = buf[k]!;
      if (c === DOT && this.#wantSub && this.#sub.has(h1, h2)) return true;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    return this.#exact.has(h1, h2);
  }

  /** The cheap pass: true when some host-like run of the line passes the Bloom filters (or IPv6 may be there). */
  #maybe(buf: Buffer, start: number, end: number): boolean {
    let rs = -1;
    let dot = false;
    // IPv6: a run of hex digits and colons with "::" or seven colons (not a time such as 13:55:36).
    let colons = 0;
    let double = false;
    for (let i = start; i <= end; i++) {
      const c = i < end ? buf[i]! : 0x20;
      if (this.#wantV6) {
        if (c === COLON) {
          colons++;
          if (buf[i - 1] === COLON) double = true;
        } else if (HEX[c] !== 1) {
          if (colons >= 2 && (double || colons >= 7)) return true;
          colons = 0;
          double = false;
        }
      }
      if (HOSTCH[c] === 1) {
        if (rs < 0) {
          rs = i;
          dot = false;
        }
        if (c === DOT) dot = true;
        continue;
      }
      if (rs >= 0) {
        if (dot && this.#probe(buf, rs, i)) return true;
        rs = -1;
      }
    }
    return false;
  }

  #hit(type: HuntType, indicator: string, observed: string): void {
    const k = `${type}:${indicator}`;
    if (this.#seen.includes(k)) return;
    this.#seen.push(k);
    this.#emit({ type, indicator, observed });
  }

  #host(h: string, observed: string): void {
    if (h.length === 0) return;
    if (isDottedQuad(h)) {
      if (this.#ix.ipv4.has(h)) this.#hit('ipv4', h, observed);
      return;
    }
    if (h.includes(':')) {
      if (!this.#wantV6) return;
      const v6 = parseIpv6(h.toLowerCase());
      if (v6 && this.#ix.ipv6.has(v6)) this.#hit('ipv6', v6, observed);
      return;
    }
    let d = h.endsWith('.') ? h.slice(0, -1) : h;
    if (/[A-Z]/.test(d)) d = d.toLowerCase();
    if (this.#ix.domains.has(d)) this.#hit('domain', d, observed);
    if (this.#wantSub) {
      for (let j = d.indexOf('.'); j >= 0; j = d.indexOf('.', j + 1)) {
        const parent = d.slice(j + 1);
        if (this.#ix.subdomains.has(parent)) this.#hit('domain', parent, observed);
      }
    }
  }

  #token(t: string): void {
    if (t.includes('\\')) t = t.replaceAll('\\/', '/');
    if (t.includes('://')) {
      const key = urlKey(t);
      if (key) {
        const exact = this.#ix.urls.get(key);
        if (exact !== undefined) this.#hit('url', exact, t);
        else {
          const q = key.indexOf('?');
          const bare = q >= 0 ? this.#ix.urls.get(key.slice(0, q)) : undefined;
          if (bare !== undefined) this.#hit('url', bare, t);
        }
      }
      this.#host(urlHostOf(t), t);
      return;
    }
    let h = t;
    if (h.startsWith('[')) h = h.slice(1);
    if (h.endsWith(']')) h = h.slice(0, -1);
    const slash = h.indexOf('/');
    if (slash >= 0) {
      // squid's DIRECT/192.0.2.1 or TCP_MISS/200; otherwise host/path.
      const before = h.slice(0, slash);
      if (before.includes('.') || before.includes(':')) h = before;
      else {
        const next = h.indexOf('/', slash + 1);
        h = h.slice(slash + 1, next < 0 ? undefined : next);
      }
    }
    const at = h.lastIndexOf('@');
    if (at >= 0) h = h.slice(at + 1);
    const hash = h.indexOf('#');
    if (hash >= 0) h = h.slice(0, hash);
    const colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
    if (h.includes('.') || h.includes(':')) this.#host(h, t);
  }

  /** Scans bytes `start..end` of `buf` (one line, without its newline). */
  match(buf: Buffer, start: number, end: number, emit: (m: HuntMatch) => void): void {
    if (!this.#maybe(buf, start, end)) return;
    this.#seen.length = 0;
    this.#emit = emit;
    let ts = -1;
    let interesting = false;
    let high = false;
    for (let i = start; i <= end; i++) {
      const c = i < end ? buf[i]! : 0x20;
      if (DELIM[c] === 1) {
        if (ts >= 0) {
          if (interesting && i - ts >= 4) this.#token(buf.toString(high ? 'utf8' : 'latin1', ts, i));
          ts = -1;
        }
        continue;
      }
      if (ts < 0) {
        ts = i;
        interesting = false;
        high = false;
      }
      if (c === DOT || (c === COLON && this.#wantV6) || (c === COLON && buf[i + 1] === 0x2f)) interesting = true;
      else if (c >= 0x80) high = true;
    }
  }
}
