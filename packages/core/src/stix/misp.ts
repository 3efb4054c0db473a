// MISP attribute types (PyMISP describeTypes.json) ↔ our observable types and canonical forms.
import type { IocRole, IocType } from '../ioc/types.ts';
import { extractIocs } from '../ioc/extract.ts';
import { canonicalPatternValue, type PatternableType } from './observables.ts';

/** What we write for one observable: a MISP attribute's type, category and IDS flag (all valid per describeTypes). */
export interface MispAttributeSpec {
  type: string;
  category: string;
  to_ids: boolean;
  value: string;
  /** Set only where the MISP type alone does not say what it is (eth addresses). */
  comment?: string;
}

/** MISP has no Ethereum type: an `other` attribute with this comment, read back as eth. */
export const MISP_ETH_COMMENT = 'eth-address';

/**
 * The MISP attribute for one of our observables. The role (from occurrences) picks the e-mail type: sender,
 * reply-to, recipient; IP addresses are `ip-dst` (where the victim connects). Null for `tlp` (a tag, not an
 * attribute). Values are written as we hold them; ASNs as `AS13335`.
 */
export function mispAttributeFor(type: IocType, value: string, role?: IocRole): MispAttributeSpec | null {
  const net = (t: string, toIds = true): MispAttributeSpec => ({
    type: t,
    category: 'Network activity',
    to_ids: toIds,
    value,
  });
  const payload = (t: string): MispAttributeSpec => ({ type: t, category: 'Payload delivery', to_ids: true, value });
  const fraud = (t: string, toIds = true): MispAttributeSpec => ({
    type: t,
    category: 'Financial fraud',
    to_ids: toIds,
    value,
  });
  switch (type) {
    case 'url':
    case 'domain':
      return net(type);
    case 'ipv4':
    case 'ipv6':
      return net('ip-dst');
    case 'email':
      if (role === 'sender' || role === 'return_path') return payload('email-src');
      if (role === 'reply_to') return { ...payload('email-reply-to'), to_ids: false };
      if (role === 'recipient') return net('email-dst');
      return payload('email');
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'ssdeep':
      return payload(type);
    case 'cve':
      return { type: 'vulnerability', category: 'External analysis', to_ids: false, value };
    case 'btc':
    case 'xmr':
      return fraud(type);
    case 'eth':
      return { ...fraud('other', false), comment: MISP_ETH_COMMENT };
    case 'phone':
      return fraud('phone-number', false);
    case 'bank_account':
      return fraud('bank-account-nr');
    case 'asn':
      return net('AS', false);
    case 'tlp':
      return null;
  }
}

/** One of our observables read from a MISP attribute, with the role its type implies. */
export interface MispObservable {
  type: Exclude<IocType, 'tlp'>;
  value: string;
  role?: IocRole;
}

/** MISP type → our type (and role), for the single-value types we read. */
const FROM_MISP: Record<string, { type: Exclude<IocType, 'tlp'>; role?: IocRole }> = {
  url: { type: 'url' },
  domain: { type: 'domain' },
  hostname: { type: 'domain' },
  'ip-src': { type: 'ipv4' },
  'ip-dst': { type: 'ipv4' },
  email: { type: 'email' },
  'email-src': { type: 'email', role: 'sender' },
  'email-dst': { type: 'email', role: 'recipient' },
  'email-reply-to': { type: 'email', role: 'reply_to' },
  'target-email': { type: 'email', role: 'victim' },
  'whois-registrant-email': { type: 'email', role: 'suspect' },
  md5: { type: 'md5' },
  sha1: { type: 'sha1' },
  sha256: { type: 'sha256' },
  sha512: { type: 'sha512' },
  ssdeep: { type: 'ssdeep' },
  vulnerability: { type: 'cve' },
  btc: { type: 'btc' },
  xmr: { type: 'xmr' },
  'phone-number': { type: 'phone' },
  'whois-registrant-phone': { type: 'phone', role: 'suspect' },
  'bank-account-nr': { type: 'bank_account' },
  AS: { type: 'asn' },
};

/** Composite `a|b` types: which parts we read (index into the `|`-split value) and as what MISP type. */
const COMPOSITE: Record<string, Array<[number, string]>> = {
  'domain|ip': [
    [0, 'domain'],
    [1, 'ip-dst'],
  ],
  'ip-src|port': [[0, 'ip-src']],
  'ip-dst|port': [[0, 'ip-dst']],
  'hostname|port': [[0, 'hostname']],
  'filename|md5': [[1, 'md5']],
  'filename|sha1': [[1, 'sha1']],
  'filename|sha256': [[1, 'sha256']],
  'filename|sha512': [[1, 'sha512']],
  'filename|ssdeep': [[1, 'ssdeep']],
};

/** The MISP attribute types observablesFromMispAttribute reads (single and composite). */
export const MISP_TYPES_READ: readonly string[] = [...Object.keys(FROM_MISP), ...Object.keys(COMPOSITE)];

/**
 * Our observables in a MISP attribute (`{ type, value, comment? }`), in our canonical forms: IPs pick ipv4/ipv6 by
 * form (CIDR kept), `hostname` is a domain, `target-email` a victim's address (personal data: the role says so),
 * `filename|sha256` gives the hash, `domain|ip` both, phones become E.164, `AS` values `AS…`. Empty for types we do
 * not map (`filename`, `comment`, `text`…) and for values that are not valid for their type.
 */
export function observablesFromMispAttribute(attribute: {
  type: string;
  value: string;
  comment?: string;
}): MispObservable[] {
  const parts: Array<[string, string]> = [];
  const composite = COMPOSITE[attribute.type];
  if (composite) {
    const pieces = attribute.value.split('|');
    for (const [i, t] of composite) if (pieces[i] !== undefined) parts.push([t, pieces[i]!]);
  } else if (attribute.type === 'other' && attribute.comment === MISP_ETH_COMMENT) {
    const eth = attribute.value.trim();
    return /^0x[0-9a-fA-F]{40}$/.test(eth) ? [{ type: 'eth', value: eth.toLowerCase() }] : [];
  } else parts.push([attribute.type, attribute.value]);
  const out: MispObservable[] = [];
  for (const [mispType, raw] of parts) {
    const mapped = FROM_MISP[mispType];
    if (!mapped) continue;
    let type = mapped.type;
    if (type === 'ipv4' && raw.includes(':')) type = 'ipv6';
    const value = canonicalMispValue(type, raw);
    if (value === null) continue;
    out.push(mapped.role ? { type, value, role: mapped.role } : { type, value });
  }
  return out;
}

function canonicalMispValue(type: Exclude<IocType, 'tlp'>, raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  if (type === 'cve') return /^CVE-\d{4}-\d{4,}$/i.test(value) ? value.toUpperCase() : null;
  if (type === 'phone') {
    if (/^\+\d{6,15}$/.test(value.replace(/[\s-]/g, ''))) return value.replace(/[\s-]/g, '');
    const found = extractIocs(value).find((f) => f.type === 'phone');
    return found ? found.value : null;
  }
  if (type === 'btc' || type === 'xmr' || type === 'bank_account') return value;
  return canonicalPatternValue(type as PatternableType, value);
}
