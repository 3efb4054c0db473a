// Comparison helpers for the vector tests (conventions of shared/data/ioc-vectors/vectors.json).
import { domainToASCII } from 'node:url';
import { parseIpv6 } from './scanIpv6.ts';
import type { ExtractJson, IocType } from './types.ts';

export const VECTOR_KEYS: Record<string, IocType> = {
  urls: 'url',
  domains: 'domain',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  emails: 'email',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
  ssdeep: 'ssdeep',
  cves: 'cve',
  btc: 'btc',
  eth: 'eth',
  xmr: 'xmr',
  asns: 'asn',
  phones_e164: 'phone',
  phones: 'phone',
  bank_accounts: 'bank_account',
  tlp: 'tlp',
};

function asciiHost(h: string): string {
  const l = h.toLowerCase();
  return /^[\x21-\x7e]*$/.test(l) ? l : domainToASCII(l) || l;
}

export function normalise(type: IocType, v: string): string {
  switch (type) {
    case 'domain':
      return asciiHost(v);
    case 'email': {
      const at = v.lastIndexOf('@');
      return `${v.slice(0, at)}@${asciiHost(v.slice(at + 1))}`;
    }
    case 'ipv6':
      return parseIpv6(v) ?? v;
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return v.toLowerCase();
    case 'cve':
    case 'tlp':
      return v.toUpperCase();
    case 'asn':
      return v.toUpperCase().replace(/^ASN?\s*/, 'AS');
    case 'url': {
      const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(v);
      if (!m) return v;
      const auth = m[2]!;
      const at = auth.lastIndexOf('@');
      const hostPort = auth.slice(at + 1);
      const hp = /^(\[[^\]]*\]|[^:]*)(.*)$/.exec(hostPort)!;
      let host = hp[1]!;
      if (host.startsWith('[')) host = `[${parseIpv6(host.slice(1, -1)) ?? host.slice(1, -1)}]`;
      else host = asciiHost(host);
      return `${m[1]!.toLowerCase()}${auth.slice(0, at + 1)}${host}${hp[2]}${m[3]}`;
    }
    default:
      return v;
  }
}

export interface VectorCase {
  id: string;
  input: string;
  expected: Record<string, string[]>;
  not_expected?: Record<string, string[]>;
  match?: 'contains' | 'exact';
}

/** Problems with one vector against an extraction result; empty when it passes. */
export function checkVector(v: VectorCase, got: ExtractJson): string[] {
  const problems: string[] = [];
  for (const [key, values] of Object.entries(v.expected)) {
    const type = VECTOR_KEYS[key];
    if (!type) {
      problems.push(`unknown key ${key}`);
      continue;
    }
    const have = new Set((got[type] ?? []).map((x) => normalise(type, x)));
    const want = new Set(values.map((x) => normalise(type, x)));
    for (const w of want) if (!have.has(w)) problems.push(`missing ${type} ${w}`);
    if (v.match === 'exact') for (const h of have) if (!want.has(h)) problems.push(`extra ${type} ${h}`);
  }
  for (const [key, values] of Object.entries(v.not_expected ?? {})) {
    const type = VECTOR_KEYS[key];
    if (!type) continue;
    const have = new Set((got[type] ?? []).map((x) => normalise(type, x)));
    for (const x of values) {
      if (x === '*' ? have.size > 0 : have.has(normalise(type, x))) problems.push(`unexpected ${type} ${x}`);
    }
  }
  return problems;
}
