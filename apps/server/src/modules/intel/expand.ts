import { checkDomain, checkIpv4, parseIpv6 } from '@renkei/core/ioc/index';
import type { AnyDb } from '../../platform/db/dialect.ts';
import {
  type Canonical,
  canonicalCidr,
  compressIpv6,
  ipv4Hex,
  ipv6Hex,
  maskHex,
  registeredDomain,
  urlHost,
} from './canonical.ts';
import type { IngestItem } from './ingest.ts';

// Before recording, each indicator brings the observables it implies: a URL its host and registered domain, an
// e-mail address its domain, an address its prefix and ASN (from the imported table, never the network).

export const key = (type: string, value: string) => `${type}\u0000${value}`;

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** An observable to record: an item given, or one derived from it (with the link to its parent). */
export interface Row extends IngestItem {
  derivedFrom?: { key: string; kind: string }[];
}

/** Longest-prefix match of addresses against the imported prefix → ASN table (a file; never the network). */
export class AsnResolver {
  #lengths: Map<number, number[]> | null = null;

  async #load(db: AnyDb): Promise<Map<number, number[]>> {
    if (this.#lengths) return this.#lengths;
    const rows = await db.selectFrom('asn_prefixes').select(['family', 'prefix_len']).distinct().execute();
    const m = new Map<number, number[]>();
    for (const r of rows) m.set(r.family, [...(m.get(r.family) ?? []), r.prefix_len]);
    for (const v of m.values()) v.sort((a, b) => b - a);
    this.#lengths = m;
    return m;
  }

  /** For each address (`ipv4`/`ipv6` canonical values): its most specific prefix and the AS announcing it. */
  async resolve(
    db: AnyDb,
    addrs: { type: 'ipv4' | 'ipv6'; value: string }[],
  ): Promise<Map<string, { cidr: string; asn: string; name: string }>> {
    const out = new Map<string, { cidr: string; asn: string; name: string }>();
    const lengths = await this.#load(db);
    if (lengths.size === 0 || addrs.length === 0) return out;
    for (const family of [4, 6] as const) {
      const width = family === 4 ? 32 : 128;
      const pending = new Map<string, string>(); // value → full hex
      for (const a of addrs) {
        if ((a.type === 'ipv4') !== (family === 4)) continue;
        const hex = family === 4 ? ipv4Hex(a.value) : ipv6Hex(a.value);
        if (hex) pending.set(a.value, hex);
      }
      for (const len of lengths.get(family) ?? []) {
        if (pending.size === 0) break;
        const byNet = new Map<string, string[]>();
        for (const [v, hex] of pending) {
          const net = maskHex(hex, len, width);
          byNet.set(net, [...(byNet.get(net) ?? []), v]);
        }
        for (const nets of chunks([...byNet.keys()], 1000)) {
          const hits = await db
            .selectFrom('asn_prefixes')
            .select(['network', 'asn', 'name'])
            .where('family', '=', family)
            .where('prefix_len', '=', len)
            .where('network', 'in', nets)
            .execute();
          for (const h of hits) {
            const cidr = `${family === 4 ? hexToIpv4(h.network) : compressIpv6(h.network)}/${len}`;
            for (const v of byNet.get(h.network) ?? []) {
              out.set(v, { cidr, asn: h.asn, name: h.name });
              pending.delete(v);
            }
          }
        }
      }
    }
    return out;
  }
}

function hexToIpv4(hex: string): string {
  return [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/**
 * Pure look-ups repeated across a feed (the same hosts recur): remembered up to a bound, then forgotten at once.
 * Module-wide, so it outlives every import: the bound is small (10,000; it was 100,000 — ~30 MB live at 80 k URLs),
 * because each remembered host is a slice of the input and keeps the read chunk it came from alive.
 */
function memo<V>(f: (k: string) => V, max = 10_000): (k: string) => V {
  const m = new Map<string, V>();
  return (k) => {
    if (m.has(k)) return m.get(k) as V;
    if (m.size >= max) m.clear();
    const v = f(k);
    m.set(k, v);
    return v;
  };
}

/** The host of a URL or the domain of an e-mail address as an observable, when it is one. */
const hostObservable = memo((host: string): Canonical | undefined => {
  const v4 = checkIpv4(host);
  if (v4) return { type: 'ipv4', value: v4, display: v4 };
  if (host.includes(':')) {
    const v6 = parseIpv6(host.toLowerCase());
    return v6 ? { type: 'ipv6', value: v6, display: v6 } : undefined;
  }
  const d = checkDomain(host, { lenient: true });
  return d ? { type: 'domain', value: d.ascii, display: d.unicode } : undefined;
});

/** The registered domain of a domain as an observable (display in Unicode), when it is not one itself. */
const registeredOf = memo((domain: string): Canonical | undefined => {
  const reg = registeredDomain(domain);
  if (!reg) return undefined;
  return { type: 'domain', value: reg, display: checkDomain(reg, { lenient: true })?.unicode ?? reg };
});

/** url → host (domain or IP) → registered domain; e-mail → domain; IP → prefix → ASN. */
export async function expand(db: AnyDb, items: IngestItem[], asn: AsnResolver): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  const add = (c: Canonical, like: IngestItem, parent?: { key: string; kind: string }, explicit?: IngestItem) => {
    const k = key(c.type, c.value);
    let row = rows.get(k);
    if (!row) {
      row = explicit
        ? { ...explicit }
        : { ...c, role: 'unknown', firstSeen: like.firstSeen, lastSeen: like.lastSeen, derivedFrom: [] };
      rows.set(k, row);
    } else {
      if (like.firstSeen < row.firstSeen) row.firstSeen = like.firstSeen;
      if (like.lastSeen > row.lastSeen) row.lastSeen = like.lastSeen;
      if (explicit) {
        if (explicit.role && explicit.role !== 'unknown') row.role = explicit.role;
        if (explicit.tags) row.tags = [...new Set([...(row.tags ?? []), ...explicit.tags])];
      }
    }
    if (parent) {
      row.derivedFrom ??= [];
      if (!row.derivedFrom.some((d) => d.key === parent.key)) row.derivedFrom.push(parent);
    }
    return k;
  };
  const domainChain = (c: Canonical, like: IngestItem, parentKey: string, kind: string) => {
    const k = add(c, like, { key: parentKey, kind });
    const reg = c.type === 'domain' ? registeredOf(c.value) : undefined;
    if (reg) add(reg, like, { key: k, kind: 'registered_domain' });
  };
  const ips: { type: 'ipv4' | 'ipv6'; value: string; like: IngestItem }[] = [];
  for (const it of items) {
    const k = add(it, it, undefined, it);
    if (it.type === 'url') {
      const host = urlHost(it.value);
      const h = host ? hostObservable(host) : undefined;
      if (h) {
        domainChain(h, it, k, 'host');
        if (h.type !== 'domain') ips.push({ type: h.type as 'ipv4' | 'ipv6', value: h.value, like: it });
      }
    } else if (it.type === 'email') {
      const h = hostObservable(it.value.slice(it.value.lastIndexOf('@') + 1));
      if (h) domainChain(h, it, k, 'email_domain');
    } else if (it.type === 'domain') {
      const reg = registeredOf(it.value);
      if (reg) add(reg, it, { key: k, kind: 'registered_domain' });
    } else if (it.type === 'ipv4' || it.type === 'ipv6') {
      ips.push({ type: it.type, value: it.value, like: it });
    }
  }
  if (ips.length > 0) {
    const found = await asn.resolve(db, ips);
    for (const ip of ips) {
      const hit = found.get(ip.value);
      if (!hit) continue;
      const cidr = canonicalCidr(hit.cidr) ?? hit.cidr;
      const ck = add({ type: 'cidr', value: cidr, display: cidr }, ip.like, {
        key: key(ip.type, ip.value),
        kind: 'prefix',
      });
      add({ type: 'asn', value: hit.asn, display: hit.name ? `${hit.asn} ${hit.name}` : hit.asn }, ip.like, {
        key: ck,
        kind: 'announced_by',
      });
    }
  }
  return rows;
}
