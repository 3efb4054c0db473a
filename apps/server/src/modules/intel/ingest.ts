import { randomBytes } from 'node:crypto';
import { checkDomain, checkIpv4, parseIpv6 } from '@renkei/core/ioc/index';
import { type Transaction, sql } from 'kysely';
import { type AnyDb, dialectOf } from '../../platform/db/dialect.ts';
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

/** `n` time-ordered (version 7) UUIDs: new observables' ids land at the end of the `id` index, not at random pages. */
export function uuidv7s(n: number, ms: number = Date.now()): string[] {
  const rnd = randomBytes(16 * n);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const b = rnd.subarray(i * 16, i * 16 + 16);
    b.writeUIntBE(ms, 0, 6);
    b[6] = 0x70 | (b[6]! & 0x0f);
    b[8] = 0x80 | (b[8]! & 0x3f);
    const h = b.toString('hex');
    out[i] = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return out;
}

/** `expiresAt` for many rows that mostly share their last seen. */
function expiryMemo(): (type: string, lastSeen: string) => string | null {
  const memo = new Map<string, string | null>();
  return (type, lastSeen) => {
    const k = key(type, lastSeen);
    let v = memo.get(k);
    if (v === undefined) {
      v = expiresAt(type as ObservableType, lastSeen);
      memo.set(k, v);
    }
    return v;
  };
}

/** Occurrence dates are stored as epoch seconds (migration 0007); the rest of the module speaks ISO-8601. */
export const epochOf = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
export const isoOfEpoch = (seconds: number | string): string => new Date(Number(seconds) * 1000).toISOString();

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/**
 * Records indicators at one place, set-based: a fixed number of statements per call whatever the number of items
 * (each takes its rows as one JSON parameter, `Dialect.jsonRows`, so nothing is re-parsed per row). Observables:
 * the existing ones are read by `(type, value)`; new ones inserted with time-ordered ids; existing ones updated
 * only when their first/last seen actually moves (a re-import of the same feed writes no observable). Derived
 * observables get their `derived_from` links; each observable gets one occurrence at the place (upserted: dates
 * widened, `seen_count` + 1) and new occurrences bump the per-type counter, all in the caller's transaction. The
 * caller writes the audit record.
 */
export async function ingest(
  trx: Transaction<Database>,
  target: IngestTarget,
  items: IngestItem[],
  now: string,
  asn: AsnResolver,
): Promise<IngestResult> {
  const rows = [...(await expand(trx, items, asn)).entries()];
  const nums = new Map<string, { num: number; id: string }>();
  if (rows.length === 0) return { observables: 0, newObservables: 0, newOccurrences: 0, nums };
  const { jsonRows } = dialectOf(trx);
  const expiry = expiryMemo();

  // 1. Observables already known, with their dates.
  const existing = new Map<string, { num: number; id: string; first: string; last: string }>();
  const readExisting = async (keys: [string, Row][]) => {
    const found = await sql<{
      num: number;
      id: string;
      type: string;
      value: string;
      first_seen: string;
      last_seen: string;
    }>`
      select o.num, o.id, o.type, o.value, o.first_seen, o.last_seen
      from ${jsonRows(
        keys.map(([, r]) => [r.type, r.value]),
        [
          ['t', 'text'],
          ['v', 'text'],
        ],
      )} as r join observables o on o.type = r.t and o.value = r.v`.execute(trx);
    for (const o of found.rows)
      existing.set(key(o.type, o.value), { num: Number(o.num), id: o.id, first: o.first_seen, last: o.last_seen });
  };
  await readExisting(rows);

  // 2. New ones, inserted (a concurrent writer may win a row: it is then read back as existing).
  let newObservables = 0;
  const fresh = rows.filter(([k]) => !existing.has(k));
  if (fresh.length > 0) {
    const ids = uuidv7s(fresh.length, Date.parse(now));
    const inserted = await sql<{ num: number; id: string; type: string; value: string }>`
      insert into observables (id, type, value, display, tlp, pap, confidence, reliability, first_seen, last_seen,
        expires_at, created_at, updated_at)
      select r.id, r.t, r.v, r.d, ${target.tlp}, null, r.c, null, r.f, r.l, r.e, ${now}, ${now}
      from ${jsonRows(
        fresh.map(([, r], i) => [
          ids[i],
          r.type,
          r.value,
          r.display,
          r.confidence ?? null,
          r.firstSeen,
          r.lastSeen,
          expiry(r.type, r.lastSeen),
        ]),
        [
          ['id', 'text'],
          ['t', 'text'],
          ['v', 'text'],
          ['d', 'text'],
          ['c', 'bigint'],
          ['f', 'text'],
          ['l', 'text'],
          ['e', 'text'],
        ],
      )} as r where true
      on conflict (type, value) do nothing
      returning num, id, type, value`.execute(trx);
    for (const o of inserted.rows) nums.set(key(o.type, o.value), { num: Number(o.num), id: o.id });
    newObservables = inserted.rows.length;
    const lost = fresh.filter(([k]) => !nums.has(k));
    if (lost.length > 0) await readExisting(lost);
  }

  // 3. Known ones whose first or last seen moves (the CASEs keep it monotonic against concurrent writers).
  const moved: unknown[][] = [];
  for (const [k, r] of rows) {
    const e = existing.get(k);
    if (!e) continue;
    nums.set(k, { num: e.num, id: e.id });
    if (r.lastSeen > e.last || r.firstSeen < e.first) {
      const last = later(r.lastSeen, e.last);
      moved.push([e.num, earlier(r.firstSeen, e.first), last, expiry(r.type, last)]);
    }
  }
  if (moved.length > 0) {
    await sql`update observables set
        first_seen = case when r.f < observables.first_seen then r.f else observables.first_seen end,
        expires_at = case when r.l > observables.last_seen then r.e else observables.expires_at end,
        last_seen = case when r.l > observables.last_seen then r.l else observables.last_seen end,
        updated_at = ${now}
      from ${jsonRows(moved, [
        ['n', 'bigint'],
        ['f', 'text'],
        ['l', 'text'],
        ['e', 'text'],
      ])} as r
      where observables.num = r.n`.execute(trx);
  }

  // 4. One occurrence per observable at the place. An update always increments `seen_count`, so a returned count
  //    of 1 means the row was inserted just now.
  const place = await placeNum(trx, target.place);
  const occurrences = await sql<{ observable_num: number; seen_count: number }>`
    insert into observable_occurrences (observable_num, place_num, role, role_decided_by, role_decided_at,
      first_seen, last_seen, seen_count, source_id, reason)
    select r.n, cast(${place} as bigint), r.role, r.by, r.at, r.f, r.l, 1, ${target.sourceId}, r.reason
    from ${jsonRows(
      rows.map(([k, r]) => {
        const role = r.role ?? 'unknown';
        const decided = role !== 'unknown';
        return [
          nums.get(k)!.num,
          role,
          decided ? (target.decidedBy ?? null) : null,
          decided ? now : null,
          epochOf(r.firstSeen),
          epochOf(r.lastSeen),
          r.derivedFrom && r.derivedFrom.length > 0 ? 'derived' : (target.reason ?? null),
        ];
      }),
      [
        ['n', 'bigint'],
        ['role', 'text'],
        ['by', 'text'],
        ['at', 'text'],
        ['f', 'bigint'],
        ['l', 'bigint'],
        ['reason', 'text'],
      ],
    )} as r where true
    on conflict (observable_num, place_num) do update set
      last_seen = case when excluded.last_seen > observable_occurrences.last_seen then excluded.last_seen else observable_occurrences.last_seen end,
      first_seen = case when excluded.first_seen < observable_occurrences.first_seen then excluded.first_seen else observable_occurrences.first_seen end,
      seen_count = observable_occurrences.seen_count + 1
    returning observable_num, seen_count`.execute(trx);
  const newPerObs = occurrences.rows.filter((r) => Number(r.seen_count) === 1).map((r) => [Number(r.observable_num)]);
  if (newPerObs.length > 0) {
    await sql`insert into observable_counts (observable_num, place_type, n)
      select r.n, ${target.place.type}, 1 from ${jsonRows(newPerObs, [['n', 'bigint']])} as r where true
      on conflict (observable_num, place_type) do update set n = observable_counts.n + excluded.n`.execute(trx);
  }

  // 5. Derivation links and tags (idempotent).
  const links: [number, number, string][] = [];
  const tags: [number, string][] = [];
  for (const [k, r] of rows) {
    const to = nums.get(k)!.num;
    for (const d of r.derivedFrom ?? []) links.push([nums.get(d.key)!.num, to, d.kind]);
    for (const t of r.tags ?? []) tags.push([to, t]);
  }
  if (links.length > 0) {
    await sql`insert into observable_links (from_num, to_num, kind)
      select r.f, r.t, r.k from ${jsonRows(links, [
        ['f', 'bigint'],
        ['t', 'bigint'],
        ['k', 'text'],
      ])} as r where true
      on conflict (from_num, to_num) do nothing`.execute(trx);
  }
  if (tags.length > 0) {
    await sql`insert into observable_tags (observable_num, tag)
      select r.n, r.tag from ${jsonRows(tags, [
        ['n', 'bigint'],
        ['tag', 'text'],
      ])} as r where true
      on conflict (observable_num, tag) do nothing`.execute(trx);
  }
  return { observables: rows.length, newObservables, newOccurrences: newPerObs.length, nums };
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
