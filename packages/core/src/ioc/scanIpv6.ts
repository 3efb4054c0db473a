import ipaddr from 'ipaddr.js';
import { isAsciiAlnum, isHex } from './chars.ts';
import { type Hit, hit } from './hit.ts';

/** Validates an IPv6 literal (zone index dropped) and returns its RFC 5952 form. */
export function parseIpv6(s: string): string | undefined {
  const pct = s.indexOf('%');
  const addr = pct >= 0 ? s.slice(0, pct) : s;
  if (addr.length < 2 || addr.length > 45 || !addr.includes(':')) return undefined;
  if (!ipaddr.IPv6.isValid(addr)) return undefined;
  try {
    return ipaddr.IPv6.parse(addr).toRFC5952String();
  } catch {
    return undefined;
  }
}

function isV6Unit(c: number): boolean {
  return isHex(c) || c === 58 || c === 46;
}

/**
 * IPv6 literals: maximal runs of hex digits, ':' and '.' with at least two colons, not glued to other letters or
 * digits, validated by ipaddr.js. A zone index (`%11`) is skipped. Each character is looked at once or twice.
 */
export function scanIpv6(t: string): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (!isV6Unit(c)) {
      i++;
      continue;
    }
    const start = i;
    let colons = 0;
    while (i < t.length && isV6Unit(t.charCodeAt(i))) {
      if (t.charCodeAt(i) === 58) colons++;
      i++;
    }
    if (colons < 2 || (start > 0 && isAsciiAlnum(t.charCodeAt(start - 1)))) continue;
    if (i < t.length && isAsciiAlnum(t.charCodeAt(i))) continue;
    let end = i;
    // A sentence may end the address with '.' or ':'.
    while (
      end > start &&
      (t.charCodeAt(end - 1) === 46 || (t.charCodeAt(end - 1) === 58 && t.charCodeAt(end - 2) !== 58))
    )
      end--;
    const v = parseIpv6(t.slice(start, end));
    if (v && v !== '::') hits.push(hit('ipv6', v, start, end, false));
  }
  return hits;
}
