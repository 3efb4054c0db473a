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

  constructor(index: IndicatorIndex) {
    this.#ix = index;
    this.#wantV6 = index.ipv6.size > 0;
    this.#wantSub = index.subdomains.size > 0;
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
