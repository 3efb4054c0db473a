import { randomBytes } from 'node:crypto';
import { type Transaction, sql } from 'kysely';
import { type AnyDb, dialectOf } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/types.ts';
import type { Canonical } from './canonical.ts';
import { AsnResolver, type Row, expand, key } from './expand.ts';
import { type ObservableType, type OccurrenceRole, type TlpLabel, expiresAt } from './vocab.ts';

/** Where the implied observables are worked out (other modules import the resolver from here). */
export { AsnResolver };

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
