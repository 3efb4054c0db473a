import { randomUUID } from 'node:crypto';
import { checkDomain, checkIpv4, parseIpv6 } from '@renkei/core/ioc/index';
import { type Transaction, sql } from 'kysely';
import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/types.ts';
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
import { type ObservableType, type OccurrenceRole, type TlpLabel, expiresAt } from './vocab.ts';

/** One indicator to record at a place. */
export interface IngestItem extends Canonical {
  role?: OccurrenceRole | undefined;
  firstSeen: string;
  lastSeen: string;
  tags?: string[] | undefined;
  confidence?: number | null | undefined;
}

export interface IngestTarget {
  place: { type: string; id: string };
  tlp: TlpLabel;
  sourceId: string | null;
  reason?: string | null | undefined;
  /** Who decided the roles given with the items (null: the import itself). */
  decidedBy?: string | null | undefined;
}

export interface IngestResult {
  observables: number;
  newObservables: number;
  newOccurrences: number;
  /** Every observable touched, by `type\0value`. */
  nums: Map<string, { num: number; id: string }>;
}

/** Rows per statement: below both engines' parameter limits with room to spare. */
const CHUNK = 500;

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const key = (type: string, value: string) => `${type}\u0000${value}`;

interface Row extends IngestItem {
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

/** The host of a URL or the domain of an e-mail address as an observable, when it is one. */
function hostObservable(host: string): Canonical | undefined {
  const v4 = checkIpv4(host);
  if (v4) return { type: 'ipv4', value: v4, display: v4 };
  if (host.includes(':')) {
    const v6 = parseIpv6(host.toLowerCase());
    return v6 ? { type: 'ipv6', value: v6, display: v6 } : undefined;
  }
  const d = checkDomain(host, { lenient: true });
  return d ? { type: 'domain', value: d.ascii, display: d.unicode } : undefined;
}

/** url → host (domain or IP) → registered domain; e-mail → domain; IP → prefix → ASN. */
async function expand(db: AnyDb, items: IngestItem[], asn: AsnResolver): Promise<Map<string, Row>> {
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
    if (c.type === 'domain') {
      const reg = registeredDomain(c.value);
      if (reg) {
        const d = checkDomain(reg, { lenient: true });
        add({ type: 'domain', value: reg, display: d?.unicode ?? reg }, like, { key: k, kind: 'registered_domain' });
      }
    }
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
      const reg = registeredDomain(it.value);
      if (reg) add({ type: 'domain', value: reg, display: reg }, it, { key: k, kind: 'registered_domain' });
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

/** The internal number of a place, created on first use. */
export async function placeNum(trx: AnyDb, place: { type: string; id: string }): Promise<number> {
  await trx
    .insertInto('observable_places')
    .values({ place_type: place.type, place_id: place.id })
    .onConflict((oc) => oc.columns(['place_type', 'place_id']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('observable_places')
    .select('num')
    .where('place_type', '=', place.type)
    .where('place_id', '=', place.id)
    .executeTakeFirstOrThrow();
  return Number(row.num);
}

/**
 * Records indicators at one place, set-based: observables upserted (last seen moves forward, never duplicated),
 * derived observables and their `derived_from` links, one occurrence per (observable, place) with its counter
 * updated in the same transaction. The caller owns the transaction and writes the audit record.
 */
export async function ingest(
  trx: Transaction<Database>,
  target: IngestTarget,
  items: IngestItem[],
  now: string,
  asn: AsnResolver,
): Promise<IngestResult> {
  const rows = await expand(trx, items, asn);
  const nums = new Map<string, { num: number; id: string }>();
  let newObservables = 0;
  for (const part of chunks([...rows.values()])) {
    const returned = await trx
      .insertInto('observables')
      .values(
        part.map((r) => ({
          id: randomUUID(),
          type: r.type,
          value: r.value,
          display: r.display,
          tlp: target.tlp,
          pap: null,
          confidence: r.confidence ?? null,
          reliability: null,
          first_seen: r.firstSeen,
          last_seen: r.lastSeen,
          expires_at: expiresAt(r.type as ObservableType, r.lastSeen),
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['type', 'value']).doUpdateSet({
          first_seen: sql`case when excluded.first_seen < observables.first_seen then excluded.first_seen else observables.first_seen end`,
          last_seen: sql`case when excluded.last_seen > observables.last_seen then excluded.last_seen else observables.last_seen end`,
          expires_at: sql`case when excluded.last_seen > observables.last_seen then excluded.expires_at else observables.expires_at end`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .returning(['num', 'id', 'type', 'value', 'created_at'])
      .execute();
    for (const r of returned) {
      nums.set(key(r.type, r.value), { num: Number(r.num), id: r.id });
      if (r.created_at === now) newObservables++;
    }
  }

  const place = await placeNum(trx, target.place);
  const newPerObs: number[] = [];
  for (const part of chunks([...rows.entries()])) {
    const returned = await trx
      .insertInto('observable_occurrences')
      .values(
        part.map(([k, r]) => {
          const role = r.role ?? 'unknown';
          return {
            observable_num: nums.get(k)!.num,
            place_num: place,
            role,
            role_decided_by: role === 'unknown' ? null : (target.decidedBy ?? null),
            role_decided_at: role === 'unknown' ? null : now,
            first_seen: r.firstSeen,
            last_seen: r.lastSeen,
            seen_count: 1,
            source_id: target.sourceId,
            reason: r.derivedFrom && r.derivedFrom.length > 0 ? 'derived' : (target.reason ?? null),
          };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['observable_num', 'place_num']).doUpdateSet({
          last_seen: sql`case when excluded.last_seen > observable_occurrences.last_seen then excluded.last_seen else observable_occurrences.last_seen end`,
          first_seen: sql`case when excluded.first_seen < observable_occurrences.first_seen then excluded.first_seen else observable_occurrences.first_seen end`,
          seen_count: sql`observable_occurrences.seen_count + 1`,
        }),
      )
      .returning(['observable_num', 'seen_count'])
      .execute();
    // An update always increments, so a returned count of 1 means the row was inserted just now.
    for (const r of returned) if (Number(r.seen_count) === 1) newPerObs.push(Number(r.observable_num));
  }
  for (const part of chunks(newPerObs)) {
    await trx
      .insertInto('observable_counts')
      .values(part.map((n) => ({ observable_num: n, place_type: target.place.type, n: 1 })))
      .onConflict((oc) =>
        oc.columns(['observable_num', 'place_type']).doUpdateSet({ n: sql`observable_counts.n + excluded.n` }),
      )
      .execute();
  }

  const links: { from_num: number; to_num: number; kind: string }[] = [];
  const tags: { observable_num: number; tag: string }[] = [];
  for (const [k, r] of rows) {
    const to = nums.get(k)!.num;
    for (const d of r.derivedFrom ?? []) links.push({ from_num: nums.get(d.key)!.num, to_num: to, kind: d.kind });
    for (const t of r.tags ?? []) tags.push({ observable_num: to, tag: t });
  }
  for (const part of chunks(links)) {
    await trx
      .insertInto('observable_links')
      .values(part)
      .onConflict((oc) => oc.columns(['from_num', 'to_num']).doNothing())
      .execute();
  }
  for (const part of chunks(tags)) {
    await trx
      .insertInto('observable_tags')
      .values(part)
      .onConflict((oc) => oc.columns(['observable_num', 'tag']).doNothing())
      .execute();
  }
  return { observables: rows.size, newObservables, newOccurrences: newPerObs.length, nums };
}

/**
 * What other modules call when a record of theirs holds indicators (a report's extracted IoCs, a case's
 * evidence): canonical values recorded as occurrences at that place, inside the caller's transaction.
 */
export async function recordObservables(
  trx: Transaction<Database>,
  place: { type: string; id: string },
  items: IngestItem[],
  opts: { tlp: TlpLabel; now: string; decidedBy?: string | null },
): Promise<IngestResult> {
  return ingest(
    trx,
    { place, tlp: opts.tlp, sourceId: null, decidedBy: opts.decidedBy ?? null },
    items,
    opts.now,
    new AsnResolver(),
  );
}
