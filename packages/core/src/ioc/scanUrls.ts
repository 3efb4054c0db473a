import { isAsciiAlnum, isAsciiLetter, isHostUnit, isIdnUnit, isUrlPathUnit } from './chars.ts';
import { type Hit, hit } from './hit.ts';
import { checkDomain, checkIpv4 } from './host.ts';
import { parseIpv6 } from './scanIpv6.ts';
import { hasMark } from './refang.ts';
import { parse as parseDomain } from 'tldts';

const SCHEMES = ['https', 'http', 'ftps', 'ftp', 'sftp', 'tcp', 'udp', 'wss', 'ws', 'smb', 'rtsp', 'ssh', 'telnet'];
const TRAILING = new Set(Array.from('.,;:!?*\'")]}>', (c) => c.charCodeAt(0)));
/** How many URLs may share one path run (nested redirect targets); bounds the work per character. */
const MAX_NESTED = 8;

export interface UrlScan {
  hits: Hit[];
  /** Outer URL spans [start, end), ascending and disjoint: other scanners skip them. */
  spans: Array<[number, number]>;
}

function isSchemeUnit(c: number): boolean {
  return isAsciiAlnum(c) || c === 43 || c === 45 || c === 46;
}

/**
 * Cuts a host glued to following Japanese text: in the last label, ASCII followed by non-ASCII ends at the first
 * non-ASCII unit (`example.comからログイン`); an all-Unicode last label is cut to its longest prefix that is a
 * known TLD (`はじめよう.みんなです`). Returns the host's length.
 */
export function trimGluedHost(host: string): number {
  const dot = host.lastIndexOf('.');
  const last = host.slice(dot + 1);
  if (last.length === 0) return host.length;
  let firstNonAscii = -1;
  for (let i = 0; i < last.length; i++) {
    if (last.charCodeAt(i) >= 128) {
      firstNonAscii = i;
      break;
    }
  }
  if (firstNonAscii < 0) return host.length;
  if (firstNonAscii > 0) return dot + 1 + firstNonAscii;
  for (let n = Math.min(last.length, 24); n >= 1; n--) {
    const info = parseDomain(`a.${last.slice(0, n)}`);
    if (info.isIcann) return dot + 1 + n;
  }
  // Not a TLD: the Unicode text after the last dot is prose (192.0.2.1.ではなく…).
  return dot < 0 ? host.length : dot;
}

/** Trims trailing punctuation from a URL, keeping balanced closing brackets. */
function trimUrlEnd(t: string, start: number, minEnd: number, end: number): number {
  let open = 0;
  let close = 0;
  let sqOpen = 0;
  let sqClose = 0;
  for (let k = start; k < end; k++) {
    const c = t.charCodeAt(k);
    if (c === 40) open++;
    else if (c === 41) close++;
    else if (c === 91) sqOpen++;
    else if (c === 93) sqClose++;
  }
  while (end > minEnd) {
    const c = t.charCodeAt(end - 1);
    if (!TRAILING.has(c)) break;
    if (c === 41) {
      if (close <= open) break;
      close--;
    } else if (c === 93) {
      if (sqClose <= sqOpen) break;
      sqClose--;
    }
    end--;
  }
  return end;
}

interface Authority {
  hostStart: number;
  hostEnd: number;
  end: number;
  host: string;
  ipv6?: string;
}

function scanAuthority(t: string, a: number): Authority | undefined {
  if (t[a] === '[') {
    const close = t.indexOf(']', a);
    if (close < 0 || close - a > 60) return undefined;
    const v6 = parseIpv6(t.slice(a + 1, close));
    if (!v6) return undefined;
    let end = close + 1;
    if (t[end] === ':') {
      let k = end + 1;
      while (k < t.length && k - end <= 6 && t.charCodeAt(k) >= 48 && t.charCodeAt(k) <= 57) k++;
      if (k > end + 1) end = k;
    }
    return { hostStart: a + 1, hostEnd: close, end, host: v6, ipv6: v6 };
  }
  // userinfo@ : look for '@' before the first '/', '?', '#' within a bounded window.
  let k = a;
  let at = -1;
  const limit = Math.min(t.length, a + 256);
  while (k < limit) {
    const c = t.charCodeAt(k);
    if (c === 47 || c === 63 || c === 35 || !(isUrlPathUnit(c) || isIdnUnit(c))) break;
    if (c === 64) at = k;
    k++;
  }
  const hostStart = at >= 0 ? at + 1 : a;
  let h = hostStart;
  while (h < t.length && h - hostStart < 256 && (isHostUnit(t.charCodeAt(h)) || t.charCodeAt(h) === 46)) h++;
  let host = t.slice(hostStart, h);
  const cut = trimGluedHost(host);
  let glued = false;
  if (cut < host.length) {
    host = host.slice(0, cut);
    h = hostStart + cut;
    glued = true;
  }
  while (host.endsWith('.')) {
    host = host.slice(0, -1);
  }
  if (host.length === 0) return undefined;
  h = hostStart + host.length;
  let end = h;
  if (!glued && t[end] === ':') {
    let p = end + 1;
    while (p < t.length && p - end <= 6 && t.charCodeAt(p) >= 48 && t.charCodeAt(p) <= 57) p++;
    if (p > end + 1) end = p;
  }
  if (glued) end = hostStart + host.length;
  return { hostStart, hostEnd: hostStart + host.length, end, host };
}

/**
 * URLs with a scheme (`scheme://`): scheme, optional userinfo, host (IDN, IPv4 or [IPv6]), port, then path, query
 * and fragment in ASCII; raw non-ASCII, spaces, quotes and <> end a URL. Each `://` is visited once and a path run is
 * scanned once for all URLs nested in it, so the scan is linear.
 */
export function scanUrls(t: string, marks: readonly number[]): UrlScan {
  const hits: Hit[] = [];
  const spans: Array<[number, number]> = [];
  let runStart = -1;
  let runEnd = -1;
  let runCount = 0;
  let from = 0;
  for (;;) {
    const idx = t.indexOf('://', from);
    if (idx < 0) break;
    from = idx + 3;
    let s = idx;
    while (s > 0 && idx - s < 10 && isSchemeUnit(t.charCodeAt(s - 1))) s--;
    const word = t.slice(s, idx).toLowerCase();
    const scheme = SCHEMES.find((k) => word.endsWith(k));
    if (!scheme) continue;
    const schemeStart = idx - scheme.length;
    if (schemeStart > 0 && isAsciiLetter(t.charCodeAt(schemeStart - 1)) && word.length > scheme.length) {
      // "xhttp://": accept only when what precedes is not a letter glued to it.
      continue;
    }
    const auth = scanAuthority(t, idx + 3);
    if (!auth) continue;
    let end = auth.end;
    const next = t.charCodeAt(end);
    if (next === 47 || next === 63 || next === 35) {
      if (end > runStart && end < runEnd) {
        if (++runCount > MAX_NESTED) continue;
        end = runEnd;
      } else {
        let k = end;
        while (k < t.length && isUrlPathUnit(t.charCodeAt(k))) k++;
        runStart = end;
        runEnd = k;
        runCount = 1;
        end = k;
      }
    }
    end = trimUrlEnd(t, schemeStart, auth.end, end);
    const defanged = hasMark(marks, schemeStart, end);
    let hostValue: string;
    let hostDisplay: string;
    if (auth.ipv6) {
      hostValue = `[${auth.ipv6}]`;
      hostDisplay = hostValue;
      hits.push(hit('ipv6', auth.ipv6, auth.hostStart, auth.hostEnd, defanged));
    } else {
      const v4 = checkIpv4(auth.host);
      if (v4) {
        hostValue = v4;
        hostDisplay = v4;
        hits.push(hit('ipv4', v4, auth.hostStart, auth.hostEnd, defanged));
      } else {
        const d = checkDomain(auth.host, { lenient: defanged });
        if (!d) continue;
        hostValue = d.ascii;
        hostDisplay = d.unicode;
        hits.push(hit('domain', d.ascii, auth.hostStart, auth.hostEnd, defanged, d.unicode));
      }
    }
    const userinfo = t.slice(idx + 3, auth.ipv6 ? auth.hostStart - 1 : auth.hostStart);
    const hostRawEnd = auth.ipv6 ? auth.hostEnd + 1 : auth.hostEnd;
    const rest = t.slice(hostRawEnd, end);
    const value = `${scheme}://${userinfo}${hostValue}${rest}`;
    hits.push(hit('url', value, schemeStart, end, defanged, `${scheme}://${userinfo}${hostDisplay}${rest}`));
    const last = spans[spans.length - 1];
    if (last && schemeStart < last[1]) {
      if (end > last[1]) last[1] = end;
    } else spans.push([schemeStart, end]);
  }
  scanEncodedUrls(t, hits);
  return { hits, spans };
}

/** `http%3A%2F%2Fexample%2Ecom%2F…` (a URL percent-encoded inside another string): decoded and scanned. */
function scanEncodedUrls(t: string, hits: Hit[]): void {
  const ENCODED = /(https?)%3a%2f%2f/gi;
  for (let m = ENCODED.exec(t); m; m = ENCODED.exec(t)) {
    const start = m.index;
    let k = start;
    while (k < t.length && k - start < 4096 && isUrlPathUnit(t.charCodeAt(k))) k++;
    ENCODED.lastIndex = k;
    let decoded: string;
    try {
      decoded = decodeURIComponent(t.slice(start, k));
    } catch {
      continue;
    }
    for (const h of scanUrls(decoded, []).hits) {
      hits.push({ ...h, start, end: k });
    }
  }
}
