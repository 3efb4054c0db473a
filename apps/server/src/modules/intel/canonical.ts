import { checkIpv4, extractIocs, type IocFinding, parseIpv6, refang } from '@renkei/core/ioc/index';
import { parse as parseDomain } from 'tldts';
import { type ObservableType, isObservableType } from './vocab.ts';

export interface Canonical {
  type: ObservableType;
  /** The key for de-duplication and correlation. */
  value: string;
  /** What people read (Unicode IDN, bank account with names…). */
  display: string;
}

/** Preference when one line holds a URL and the domain inside it, an e-mail and its domain, and so on. */
const PRECEDENCE: readonly string[] = [
  'url',
  'email',
  'bank_account',
  'phone',
  'sha512',
  'sha256',
  'sha1',
  'md5',
  'ssdeep',
  'btc',
  'eth',
  'xmr',
  'cve',
  'ipv6',
  'ipv4',
  'asn',
  'domain',
];

const BANK_CANONICAL = /^[0-9]{4}-[0-9]{3}-[124]-[0-9]{7}$/;

function pick(findings: IocFinding[], hint: ObservableType | undefined): IocFinding | undefined {
  const usable = findings.filter((f) => f.type !== 'tlp');
  if (hint) return usable.find((f) => f.type === hint);
  for (const t of PRECEDENCE) {
    const f = usable.find((x) => x.type === t);
    if (f) return f;
  }
  return undefined;
}

/** `1.2.3.4/24` → `1.2.3.0/24`; IPv6 likewise in RFC 5952 form. Addresses are checked by the core library. */
export function canonicalCidr(raw: string): string | undefined {
  const [addr, len, ...rest] = refang(raw.trim()).text.split('/');
  if (rest.length > 0 || addr === undefined || len === undefined || !/^[0-9]{1,3}$/.test(len)) return undefined;
  const bits = Number(len);
  const v4 = checkIpv4(addr);
  if (v4) {
    if (bits > 32) return undefined;
    const n = v4.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
    const net = bits === 0 ? 0 : Number((BigInt(n) >> BigInt(32 - bits)) << BigInt(32 - bits));
    return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
  }
  const v6 = parseIpv6(addr.toLowerCase());
  if (!v6 || bits > 128) return undefined;
  const hex = ipv6Hex(v6);
  if (!hex) return undefined;
  const masked = maskHex(hex, bits, 128);
  return `${compressIpv6(masked)}/${bits}`;
}

/** Full 32-digit hex of an IPv6 address in its canonical text form. */
export function ipv6Hex(addr: string): string | undefined {
  const parts = addr.split('::');
  if (parts.length > 2) return undefined;
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4)
  const last = tail.length > 0 ? tail[tail.length - 1] : head[head.length - 1];
  if (last?.includes('.')) {
    const v4 = checkIpv4(last);
    if (!v4) return undefined;
    const q = v4.split('.').map(Number);
    const words = [((q[0]! << 8) | q[1]!).toString(16), ((q[2]! << 8) | q[3]!).toString(16)];
    if (tail.length > 0) tail.splice(tail.length - 1, 1, ...words);
    else head.splice(head.length - 1, 1, ...words);
  }
  const fill = parts.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return undefined;
  const all = [...head, ...Array.from({ length: fill }, () => '0'), ...tail];
  if (all.length !== 8) return undefined;
  return all.map((w) => w.padStart(4, '0')).join('');
}

export function ipv4Hex(addr: string): string {
  return addr
    .split('.')
    .map((p) => Number(p).toString(16).padStart(2, '0'))
    .join('');
}

/** Keeps the first `bits` bits of a hex address of `width` bits. */
export function maskHex(hex: string, bits: number, width: number): string {
  const n = BigInt(`0x${hex}`);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return (n & mask).toString(16).padStart(width / 4, '0');
}

export function compressIpv6(hex: string): string {
  const words = Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  // RFC 5952: the longest run (≥2) of zero words becomes ::, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

/** The registrable domain (eTLD+1, private suffixes honoured), or undefined when the domain is one already. */
export function registeredDomain(domain: string): string | undefined {
  const info = parseDomain(domain, { allowPrivateDomains: true });
  return info.domain && info.domain !== domain ? info.domain : undefined;
}

/** The host of a canonical URL (the core library gives URLs with lower-case A-label hosts). */
export function urlHost(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.hostname.replace(/^\[|\]$/g, '') || undefined;
  } catch {
    return undefined;
  }
}

const HASH_BY_LENGTH: Record<number, ObservableType> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/** A bare hex hash or dotted-quad IPv4 address, without running the whole extractor over it. */
export function fastPath(text: string): Canonical | undefined {
  const hash = HASH_BY_LENGTH[text.length];
  if (hash && /^[0-9a-fA-F]+$/.test(text)) {
    const v = text.toLowerCase();
    return { type: hash, value: v, display: v };
  }
  if (text.length <= 15 && /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/.test(text)) {
    const v4 = checkIpv4(text);
    if (v4) return { type: 'ipv4', value: v4, display: v4 };
  }
  return undefined;
}

/**
 * Canonicalises one value as typed in a search box or a feed line (raw or defanged). Types the extraction library
 * knows go through it; the few it does not (prefixes, SNS accounts, file names, postal addresses, payment cards)
 * are normalised here and only when the caller names the type.
 */
export function canonicalise(raw: string, hint?: string): Canonical | undefined {
  return canonicaliseWith(raw, hint, true);
}

/** The same without the fast paths: every value through the extraction library (the reference for tests). */
export function canonicaliseByExtractor(raw: string, hint?: string): Canonical | undefined {
  return canonicaliseWith(raw, hint, false);
}

function canonicaliseWith(raw: string, hint: string | undefined, fastPaths: boolean): Canonical | undefined {
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0 || text.length > 4096) return undefined;
  if (hint !== undefined && !isObservableType(hint)) return undefined;
  const type = hint as ObservableType | undefined;
  switch (type) {
    case 'cidr': {
      const v = canonicalCidr(text);
      return v ? { type, value: v, display: v } : undefined;
    }
    case 'sns_account': {
      // platform:handle, e.g. x:@scammer → x:scammer (handles are case-insensitive on the big platforms).
      const m = /^([a-z0-9_.-]{1,32}):@?(\S{1,100})$/i.exec(text);
      if (!m) return undefined;
      const v = `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`;
      return { type, value: v, display: `${m[1]!.toLowerCase()}:@${m[2]}` };
    }
    case 'file_name':
      return text.length <= 255 && !/[/\\]/.test(text) && !text.includes('\u0000')
        ? { type, value: text, display: text }
        : undefined;
    case 'postal_address': {
      const v = text.replace(/\s+/g, ' ');
      return { type, value: v, display: v };
    }
    case 'payment_card': {
      // Only the BIN (first six) and the last four are ever kept, whatever was given.
      const digits = text.replace(/[\s-]/g, '');
      const m = /^([0-9]{6})[0-9*xX]{2,9}([0-9]{4})$/.exec(digits);
      if (!m) return undefined;
      const v = `${m[1]}******${m[2]}`;
      return { type, value: v, display: v };
    }
    case 'bank_account':
      if (BANK_CANONICAL.test(text)) return { type, value: text, display: text };
      break;
    case 'asn':
      if (/^(?:AS)?[0-9]{1,10}$/i.test(text)) {
        const v = `AS${text.replace(/^AS/i, '')}`;
        return { type, value: v, display: v };
      }
      break;
    default:
      break;
  }
  if (type === undefined && /^[^/\s]+\/[0-9]{1,3}$/.test(text)) {
    const v = canonicalCidr(text);
    if (v) return { type: 'cidr', value: v, display: v };
  }
  if (type === undefined && BANK_CANONICAL.test(text)) return { type: 'bank_account', value: text, display: text };
  // Fast paths for the commonest feed lines, identical to what the extractor gives (canonical.test.ts checks it).
  const fast = fastPaths ? fastPath(text) : undefined;
  if (fast && (type === undefined || type === fast.type)) return fast;
  const f = pick(extractIocs(text, { snippets: false }), type);
  if (!f || !isObservableType(f.type)) return undefined;
  return { type: f.type, value: f.value, display: f.display };
}
