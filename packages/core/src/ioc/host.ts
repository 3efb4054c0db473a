import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';

/**
 * Public suffixes that are also common file extensions. A bare `name.ext` with one of these is taken for a file
 * name, not a domain, unless it was defanged, is in a URL or an e-mail address, or has more labels.
 */
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'py', 'sh', 'pl', 'rs', 'md', 'ps', 'pm', 'so', 'sc', 'cs', 'ts', 'js']);

export interface HostCheck {
  /** Lower-case A-label form. */
  ascii: string;
  /** Unicode (U-label) form for display. */
  unicode: string;
}

export interface HostOptions {
  /** Accept an unknown TLD (the value was defanged on purpose, so it is meant as an indicator). */
  lenient?: boolean;
  /** Standalone in prose (not a URL host or e-mail domain): file-name suppression applies. */
  standalone?: boolean;
}

function isLdhLabel(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  if (label.startsWith('-') || label.endsWith('-')) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45;
    if (!ok) return false;
  }
  // "ab--" in positions 3-4 is reserved for A-labels; only xn-- is in use.
  if (label.length >= 4 && label[2] === '-' && label[3] === '-' && !label.startsWith('xn--')) return false;
  return true;
}

/**
 * Validates a host name and returns its canonical (lower-case A-label, UTS-46 mapped) and display forms, or
 * undefined when it is not a domain with a known public suffix and a registrable part.
 */
export function checkDomain(host: string, opts: HostOptions = {}): HostCheck | undefined {
  let h = host.endsWith('.') ? host.slice(0, -1) : host;
  if (h.length === 0 || h.length > 253) return undefined;
  h = h.toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII test
  const ascii = /^[\x00-\x7f]*$/.test(h) ? h : domainToASCII(h);
  if (!ascii) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every(isLdhLabel)) return undefined;
  const tld = labels[labels.length - 1]!;
  if (/^[0-9]+$/.test(tld)) return undefined;
  const unicode = ascii.includes('xn--') ? domainToUnicode(ascii) : ascii;
  if (ascii.includes('xn--') && !unicode) return undefined;
  const info = parseDomain(ascii, { allowPrivateDomains: true });
  const known = info.isIcann === true || info.isPrivate === true;
  if (known) {
    if (!info.domain) {
      // Only a public suffix (co.jp, github.io); accept a private suffix only when lenient.
      return undefined;
    }
  } else if (!opts.lenient || !/^[a-z]{2,24}$/.test(tld)) {
    return undefined;
  }
  if (opts.standalone && !opts.lenient && labels.length === 2 && FILE_LIKE_TLDS.has(tld)) return undefined;
  return { ascii, unicode };
}

/** Dotted-quad IPv4 with decimal parts 0–255 (no shorthand forms). Canonical: parts without leading zeros. */
export function checkIpv4(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out.join('.');
}

export function isAllDigitsAndDots(s: string): boolean {
  return /^[0-9.]+$/.test(s);
}
