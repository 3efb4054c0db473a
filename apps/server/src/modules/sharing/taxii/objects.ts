/**
 * The objects of TAXII collections: storing them with a strictly increasing `date_added` per collection, and the
 * one query behind the objects, manifest, object and versions endpoints (filters of TAXII 2.1 §3.4, paging with
 * `limit`/`next`), restricted in SQL to what the requesting partner may receive and checked again in code.
 */
import { type Selectable, type Transaction, sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { TLPS, type TlpLabel } from '../../intel/vocab.ts';
import { type EgressPartner, decideEgress, isOfficialBody, tlpOf } from '../egress.ts';
import { stixObjectFacts } from '../facts.ts';
import type { StixObject } from '../stixModel.ts';
import type { TaxiiObjectTable } from './tables.ts';
import { fromMicros, toMicros } from './time.ts';

/** Objects posted by partners are stored once for every reader of the collection, checked when served. */
export const POSTED = '*';
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export interface NewObject {
  object: StixObject;
  tlp: TlpLabel;
  confidentiality: 1 | 2 | 3;
  audience: string;
  postedBy?: string | null;
  /** The publish run producing it (see publishCollection). */
  runId?: string | null;
}

/** The version of an object: `modified`, else `created`, else the time it was added (TAXII 2.1 §3.6). */
export function versionOf(o: StixObject, dateAdded: string): string {
  if (typeof o.modified === 'string') return o.modified;
  if (typeof o.created === 'string') return o.created;
  return dateAdded;
}

/**
 * Adds objects to a collection in the caller's transaction. Each new (id, version, audience) gets the next
 * `date_added` of the collection — never equal to or before an earlier one, so a client paging with
 * `added_after` = the last `X-TAXII-Date-Added-Last` it saw never skips an object. An object already present in
 * that version for that audience is left as it is (re-publishing is idempotent). Returns how many were new.
 */
export async function addObjects(
  trx: Transaction<Database>,
  collectionId: string,
  items: NewObject[],
  nowMs: number,
): Promise<number> {
  if (items.length === 0) return 0;
  // Take the collection's row lock first (PostgreSQL), so concurrent additions queue behind each other.
  await trx
    .updateTable('taxii_collections')
    .set((eb) => ({ last_added_us: eb.ref('last_added_us') }))
    .where('id', '=', collectionId)
    .execute();
  const c = await trx
    .selectFrom('taxii_collections')
    .select('last_added_us')
    .where('id', '=', collectionId)
    .executeTakeFirstOrThrow();
  let next = Math.max(nowMs * 1000, Number(c.last_added_us) + 1);
  let added = 0;
  for (const it of items) {
    const dateAdded = fromMicros(next);
    const version = versionOf(it.object, dateAdded);
    const versionUs = toMicros(version);
    if (versionUs === null) continue; // the validator refuses such objects before they get here
    // Unversioned objects (SCOs, no created/modified) exist once; a re-published object whose content is the
    // same apart from its timestamps is the version we already have.
    const unversioned = typeof it.object.modified !== 'string' && typeof it.object.created !== 'string';
    let existsQ = trx
      .selectFrom('taxii_objects')
      .select(['seq', 'body'])
      .where('collection_id', '=', collectionId)
      .where('audience', '=', it.audience)
      .where('stix_id', '=', it.object.id);
    if (!unversioned && !it.runId) existsQ = existsQ.where('version_us', '=', versionUs);
    const latest = await existsQ.orderBy('version_us', 'desc').limit(1).executeTakeFirst();
    const exists =
      latest && (unversioned || latest.body === JSON.stringify(it.object) || sameContent(latest.body, it.object))
        ? latest
        : undefined;
    if (exists) {
      if (it.runId)
        await trx.updateTable('taxii_objects').set({ run_id: it.runId }).where('seq', '=', exists.seq).execute();
      continue;
    }
    await trx
      .insertInto('taxii_objects')
      .values({
        collection_id: collectionId,
        audience: it.audience,
        stix_id: it.object.id,
        type: it.object.type,
        version,
        version_us: versionUs,
        spec_version: typeof it.object.spec_version === 'string' ? it.object.spec_version : '2.1',
        date_added: dateAdded,
        added_us: next,
        tlp: it.tlp,
        confidentiality: it.confidentiality,
        posted_by: it.postedBy ?? null,
        run_id: it.runId ?? null,
        body: JSON.stringify(it.object),
      })
      .execute();
    next++;
    added++;
  }
  await trx
    .updateTable('taxii_collections')
    .set({ last_added_us: next - 1 })
    .where('id', '=', collectionId)
    .execute();
  return added;
}

/** True when two versions differ only in their timestamps (a re-publication of the same content). */
function sameContent(storedBody: string, o: StixObject): boolean {
  const strip = (x: Record<string, unknown>) => {
    const { created: _c, modified: _m, ...rest } = x;
    return JSON.stringify(rest);
  };
  return strip(JSON.parse(storedBody) as Record<string, unknown>) === strip(o);
}

/** The filters of a TAXII request, parsed (bad values are refused with 400 before any query). */
export interface ObjectQuery {
  addedAfterUs: number | null;
  limit: number;
  nextUs: number | null;
  ids: string[] | null;
  types: string[] | null;
  /** 'last' (default), 'first', 'all', and/or specific versions in microseconds. */
  versions: { first: boolean; last: boolean; all: boolean; at: number[] };
  specVersions: string[] | null;
}

const list = (v: unknown): string[] | null => {
  if (v === undefined) return null;
  const s = Array.isArray(v) ? v.join(',') : String(v);
  const parts = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return parts.length ? parts : null;
};

/** Reads `added_after`, `limit`, `next` and `match[…]` from a query string object. */
export function parseObjectQuery(q: Record<string, unknown>): ObjectQuery {
  let addedAfterUs: number | null = null;
  if (q.added_after !== undefined) {
    addedAfterUs = toMicros(String(q.added_after));
    if (addedAfterUs === null) throw new AppError('VALIDATION_FAILED', 'added_after must be an RFC 3339 timestamp');
  }
  let limit = DEFAULT_PAGE;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1) throw new AppError('VALIDATION_FAILED', 'limit must be a positive integer');
    limit = Math.min(n, MAX_PAGE);
  }
  let nextUs: number | null = null;
  if (q.next !== undefined) {
    const s = String(q.next);
    if (!/^\d{1,17}$/.test(s)) throw new AppError('VALIDATION_FAILED', 'next is not a value this server gave');
    nextUs = Number(s);
  }
  const versions = { first: false, last: false, all: false, at: [] as number[] };
  const v = list(q['match[version]']);
  if (!v) versions.last = true;
  else {
    for (const x of v) {
      if (x === 'first') versions.first = true;
      else if (x === 'last') versions.last = true;
      else if (x === 'all') versions.all = true;
      else {
        const us = toMicros(x);
        if (us === null)
          throw new AppError('VALIDATION_FAILED', `match[version]: ${x} is not first, last, all or a timestamp`);
        versions.at.push(us);
      }
    }
  }
  return {
    addedAfterUs,
    limit,
    nextUs,
    ids: list(q['match[id]']),
    types: list(q['match[type]']),
    versions,
    specVersions: list(q['match[spec_version]']),
  };
}

/** The TLP labels this partner may receive (RED never). */
function allowedTlps(p: EgressPartner): TlpLabel[] {
  const max = TLPS.indexOf(p.tlpMax);
  return TLPS.filter((t, i) => t !== 'red' && i <= max);
}

/**
 * The columns a page needs. Not `selectAll`: each column costs the drivers about as much to hand over per row as the
 * stored body (all 15 columns of 1001 rows took ~4 ms of CPU against ~0.8 ms for the body alone on SQLite).
 */
const PAGE_COLUMNS = [
  'o.stix_id',
  'o.version',
  'o.version_us',
  'o.added_us',
  'o.date_added',
  'o.audience',
  'o.tlp',
  'o.confidentiality',
  'o.body',
] as const;
export type ObjectRow = Pick<
  Selectable<TaxiiObjectTable>,
  'stix_id' | 'version' | 'version_us' | 'added_us' | 'date_added' | 'audience' | 'tlp' | 'confidentiality' | 'body'
>;

export interface Page {
  rows: ObjectRow[];
  more: boolean;
  next: string | null;
}

/**
 * One page of a collection's objects as `partner` may receive them, oldest `date_added` first. Rows built for the
 * partner are theirs by construction (the export pipeline applied the egress policy); posted rows are filtered
 * by TLP ceiling and 格付 in SQL and every row is checked again with `decideEgress` (the code twin).
 */
export async function queryObjects(
  db: AnyDb,
  collectionId: string,
  partner: EgressPartner,
  q: ObjectQuery,
  fixedId?: string,
): Promise<Page> {
  const tlps = allowedTlps(partner);
  const maxConf = isOfficialBody(partner) ? 2 : 1;
  // "o has a newer (max) / older (min) version this partner may see": the partner's own rows, and posted rows under
  // the partner's TLP and 格付 ceilings (the same rows the page scans select). Per-row scalars over the version
  // index, not [NOT] EXISTS: PostgreSQL turns a NOT EXISTS into an anti join over the whole collection (a hash of
  // every row, ~1 s a page at 200k objects), where a page needs limit + 1 probes. One scalar per audience, each an
  // equality on the whole (collection_id, audience, stix_id) prefix of the version index: with `audience = p or
  // audience = '*'` in one subquery SQLite skip-scanned the index and PostgreSQL OR-ed in a scan of every posted row
  // per probe. Both under one comparison (`… + … < 1`): PostgreSQL estimates each comparison to keep a third of the
  // rows; two of them made it expect a ninth, cost the page above jit_above_cost and JIT-compile it (~15 ms).
  const beyond = (fn: 'max' | 'min') => {
    const f = sql.raw(fn);
    const cmp = sql.raw(fn === 'max' ? '>' : '<');
    return sql<boolean>`(case when coalesce((select ${f}(t2.version_us) from taxii_objects as t2 where t2.collection_id = o.collection_id and t2.audience = ${partner.id} and t2.stix_id = o.stix_id), o.version_us) ${cmp} o.version_us then 1 else 0 end) + (case when coalesce((select ${f}(t3.version_us) from taxii_objects as t3 where t3.collection_id = o.collection_id and t3.audience = ${POSTED} and t3.stix_id = o.stix_id and t3.tlp in (${sql.join(tlps)}) and t3.confidentiality <= ${maxConf}), o.version_us) ${cmp} o.version_us then 1 else 0 end) < 1`;
  };

  // One ordered, limited scan per audience (the rows built for the partner, then the posted rows), each walking the
  // (collection_id, audience, added_us) index in order and stopping after limit + 1 rows, merged here. A single
  // scan with `audience = p or audience = '*'` made both engines collect and sort every row after the cursor (and
  // run the version check on each) for every page: a full walk was quadratic. The posted scan stops before the
  // partner's (limit + 1)-th row: a posted row after it cannot be on the page, and reading up to limit + 1 of them
  // only to drop them doubled the rows handed over when both audiences have rows after the cursor.
  const scan = (audience: 'partner' | 'posted', before: number | null) => {
    let sel = db.selectFrom('taxii_objects as o').select(PAGE_COLUMNS).where('o.collection_id', '=', collectionId);
    sel =
      audience === 'partner'
        ? sel.where('o.audience', '=', partner.id)
        : sel.where('o.audience', '=', POSTED).where('o.tlp', 'in', tlps).where('o.confidentiality', '<=', maxConf);
    const after = Math.max(q.addedAfterUs ?? -1, q.nextUs ?? -1);
    if (after >= 0) sel = sel.where('o.added_us', '>', after);
    if (before !== null) sel = sel.where('o.added_us', '<', before);
    const ids = fixedId ? [fixedId] : q.ids;
    if (ids) sel = sel.where('o.stix_id', 'in', ids);
    if (q.types) sel = sel.where('o.type', 'in', q.types);
    if (q.specVersions) sel = sel.where('o.spec_version', 'in', q.specVersions);
    const v = q.versions;
    if (!v.all) {
      sel = sel.where((eb) => {
        const any = [];
        if (v.last) any.push(beyond('max'));
        if (v.first) any.push(beyond('min'));
        if (v.at.length) any.push(eb('o.version_us', 'in', v.at));
        return eb.or(any);
      });
    }
    // By added_us alone: it is unique in a collection (addObjects hands out strictly increasing values under the
    // collection's row lock), so `, seq` added nothing but an incremental sort step on PostgreSQL (seq is not in the
    // (collection_id, audience, added_us) index there); the index order lets both engines stop after limit + 1 rows.
    return sel.orderBy('o.added_us').limit(q.limit + 1);
  };
  const mine = await scan('partner', null).execute();
  const bound = mine.length > q.limit ? Number(mine[q.limit]!.added_us) : null;
  const posted = await scan('posted', bound).execute();
  // Merged by added_us, unique in a collection.
  const rows = (
    posted.length ? [...mine, ...posted].sort((x, y) => Number(x.added_us) - Number(y.added_us)) : mine
  ).slice(0, q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const out: ObjectRow[] = [];
  const seen = new Set<string>();
  for (const r of page) {
    const key = `${r.stix_id}|${r.version_us}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (r.audience === POSTED) {
      const d = decideEgress(
        stixObjectFacts({ stix_id: r.stix_id, tlp: tlpOf(r.tlp), confidentiality: r.confidentiality }),
        {
          kind: 'partner',
          partner,
        },
      );
      if (!d.allowed) continue;
    } else if (r.audience !== partner.id || r.tlp === 'red' || !tlps.includes(tlpOf(r.tlp))) {
      continue;
    }
    out.push(r);
  }
  const last = page[page.length - 1];
  return { rows: out, more, next: more && last ? String(last.added_us) : null };
}

/** The `X-TAXII-Date-Added-First` / `-Last` headers of a page (none when it is empty). */
export function dateAddedHeaders(rows: ObjectRow[]): Record<string, string> {
  if (rows.length === 0) return {};
  let first = rows[0]!;
  let last = rows[0]!;
  for (const r of rows) {
    if (Number(r.added_us) < Number(first.added_us)) first = r;
    if (Number(r.added_us) > Number(last.added_us)) last = r;
  }
  return { 'X-TAXII-Date-Added-First': first.date_added, 'X-TAXII-Date-Added-Last': last.date_added };
}
