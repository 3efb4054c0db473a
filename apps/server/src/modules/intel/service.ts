import { sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import { canonicalise, registeredDomain } from './canonical.ts';
import { isoOfEpoch } from './ingest.ts';
import { observableVisible, placeType, placeTypes, placeVisible } from './places.ts';
import type { ObservableTable } from './tables.ts';
import {
  OBSERVABLE_TYPES,
  type ObservableType,
  type OccurrenceRole,
  PERSONAL_TYPES,
  ROLE_LABELS,
  TYPE_LABELS,
  isObservableType,
} from './vocab.ts';

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });

/** Visible counts are computed up to this many; beyond, "10,000+". */
const COUNT_CAP = 10_000;

type ObservableRow = Omit<ObservableTable, 'num'> & { num: number };

function typeLabel(t: string) {
  return isObservableType(t) ? TYPE_LABELS[t as ObservableType] : { ja: t, en: t };
}

export function presentObservable(o: ObservableRow, now: string) {
  return {
    id: o.id,
    type: o.type,
    typeLabel: typeLabel(o.type).ja,
    value: o.value,
    display: o.display,
    tlp: o.tlp,
    pap: o.pap,
    confidence: o.confidence,
    reliability: o.reliability,
    firstSeen: o.first_seen,
    lastSeen: o.last_seen,
    expiresAt: o.expires_at,
    expired: o.expires_at !== null && o.expires_at < now,
  };
}

export async function findVisible(p: Platform, s: Subject, where: { id: string } | { type: string; value: string }) {
  let q = p.db.db.selectFrom('observables').selectAll();
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('type', '=', where.type).where('value', '=', where.value);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const o = { ...row, num: Number(row.num) };
  const counts = await countsFor(p.db.db, s, o.num);
  // Existence is revealed only through a place the viewer may see, or a type whose policy counts hidden places.
  if (!counts.some((c) => c.visible > 0 || (c.hidden ?? 0) > 0)) return undefined;
  return { o, counts };
}

/** Per place type: how many places the viewer sees, and the hidden ones where the type's policy allows counting. */
async function countsFor(db: AnyDb, s: Subject, num: number) {
  const totals = await db
    .selectFrom('observable_counts')
    .select(['place_type', 'n'])
    .where('observable_num', '=', num)
    .execute();
  const out: { placeType: string; label: string; visible: number; capped: boolean; hidden: number | null }[] = [];
  for (const t of totals) {
    const def = placeType(t.place_type);
    if (!def) continue;
    const total = Number(t.n);
    if (def.countPolicy === 'public') {
      out.push({ placeType: def.type, label: def.label.ja, visible: total, capped: false, hidden: null });
      continue;
    }
    const r = await sql<{ n: number }>`select count(*) as n from (select 1 from observable_occurrences oo
        join observable_places pl on pl.num = oo.place_num
        where oo.observable_num = ${num} and pl.place_type = ${def.type} and ${placeVisible(s, 'pl')}
        limit ${COUNT_CAP + 1}) x`.execute(db);
    const visible = Math.min(Number(r.rows[0]?.n ?? 0), COUNT_CAP);
    const capped = Number(r.rows[0]?.n ?? 0) > COUNT_CAP;
    const hidden = def.countPolicy === 'counted' && !capped ? Math.max(0, total - visible) : null;
    // A type the viewer sees nothing of, and whose policy does not count hidden places, is not even named.
    if (visible === 0 && !hidden) continue;
    out.push({ placeType: def.type, label: def.label.ja, visible, capped, hidden });
  }
  return out;
}

export async function tagsOf(db: AnyDb, num: number): Promise<string[]> {
  const rows = await db
    .selectFrom('observable_tags')
    .select('tag')
    .where('observable_num', '=', num)
    .orderBy('tag')
    .execute();
  return rows.map((r) => r.tag);
}

/** Warning lists that mark the value (a domain is also marked through its registered domain). */
async function warningsOf(db: AnyDb, type: string, value: string) {
  const values = [value];
  if (type === 'domain') {
    const reg = registeredDomain(value);
    if (reg) values.push(reg);
  }
  return db
    .selectFrom('warning_list_entries as e')
    .innerJoin('warning_lists as l', 'l.id', 'e.list_id')
    .select(['l.code', 'l.name'])
    .where('l.enabled', '=', 1)
    .where('e.type', '=', type)
    .where('e.value', 'in', values)
    .distinct()
    .execute();
}

export interface PlacesPage {
  items: {
    type: string;
    typeLabel: string;
    id: string;
    title: string | null;
    role: string;
    roleLabel: string;
    roleDecidedBy: string | null;
    roleDecidedAt: string | null;
    firstSeen: string;
    lastSeen: string;
    count: number;
    reason: string | null;
  }[];
  nextCursor: string | null;
}

/** The places linked to an observable that the viewer may see, newest place first, keyset-paged. */
export async function placesOf(
  db: AnyDb,
  s: Subject,
  num: number,
  opts: { cursor?: string | undefined; limit: number; placeType?: string | undefined; excludeType?: string },
): Promise<PlacesPage> {
  const after = decodeCursor<[number]>(opts.cursor, 1);
  const want = opts.limit + 1;
  const rows = [];
  // The occurrences are walked in index order, newest place first, in windows that grow ×4 (64, 256, … 16,384):
  // each window is a range of the primary key, and only its rows are joined to the visibility test. The first page
  // of a value seen 100,000 times thus reads a few dozen rows when the viewer may see most of them, and the plan
  // is the same on both engines (without the bounds PostgreSQL misjudged the value's share of the occurrences and
  // merge-joined from the newest place of any value).
  let below = after ? after[0] : null;
  for (let window = Math.max(64, want); ; window = Math.min(window * 4, 16_384)) {
    let w = db
      .selectFrom('observable_occurrences')
      .select('place_num')
      .where('observable_num', '=', num)
      .orderBy('place_num', 'desc')
      .limit(window);
    if (below !== null) w = w.where('place_num', '<', below);
    const nums = await w.execute();
    if (nums.length === 0) break;
    // Both ends of the window, on both sides of the join: the planners then see a small range, not "every place".
    const high = Number(nums[0]!.place_num);
    const low = Number(nums.at(-1)!.place_num);
    let q = db
      .selectFrom('observable_occurrences as oo')
      .innerJoin('observable_places as pl', 'pl.num', 'oo.place_num')
      .select([
        'pl.num',
        'pl.place_type',
        'pl.place_id',
        'oo.role',
        'oo.role_decided_by',
        'oo.role_decided_at',
        'oo.first_seen',
        'oo.last_seen',
        'oo.seen_count',
        'oo.reason',
      ])
      .where('oo.observable_num', '=', num)
      .where(placeVisible(s, 'pl'));
    if (opts.placeType) q = q.where('pl.place_type', '=', opts.placeType);
    if (opts.excludeType) q = q.where('pl.place_type', '<>', opts.excludeType);
    q = q
      .where('oo.place_num', '>=', low)
      .where('oo.place_num', '<=', high)
      .where('pl.num', '>=', low)
      .where('pl.num', '<=', high);
    rows.push(
      ...(await q
        .orderBy('oo.place_num', 'desc')
        .limit(want - rows.length)
        .execute()),
    );
    if (rows.length >= want || nums.length < window) break;
    below = low;
  }
  const page = rows.slice(0, opts.limit);
  const titles = new Map<string, string>();
  const byType = new Map<string, string[]>();
  for (const r of page) byType.set(r.place_type, [...(byType.get(r.place_type) ?? []), r.place_id]);
  for (const [t, ids] of byType) {
    const def = placeType(t);
    const got = def?.titles ? await def.titles(db, ids) : new Map<string, string>();
    for (const [id, title] of got) titles.set(`${t}\u0000${id}`, title);
  }
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      type: r.place_type,
      typeLabel: placeType(r.place_type)?.label.ja ?? r.place_type,
      id: r.place_id,
      title: titles.get(`${r.place_type}\u0000${r.place_id}`) ?? null,
      role: r.role,
      roleLabel: ROLE_LABELS[r.role as OccurrenceRole]?.ja ?? r.role,
      roleDecidedBy: r.role_decided_by,
      roleDecidedAt: r.role_decided_at,
      firstSeen: isoOfEpoch(r.first_seen),
      lastSeen: isoOfEpoch(r.last_seen),
      count: Number(r.seen_count),
      reason: r.reason,
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor([Number(last.num)]) : null,
  };
}

/** Observables linked by derivation (url → domain → registered domain, ip → prefix → ASN), visible ones only. */
async function relatedOf(db: AnyDb, s: Subject, num: number) {
  const rows = await db
    .selectFrom('observable_links as l')
    .innerJoin('observables as o', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('l.from_num', '=', num), eb('o.num', '=', eb.ref('l.to_num'))]),
          eb.and([eb('l.to_num', '=', num), eb('o.num', '=', eb.ref('l.from_num'))]),
        ]),
      ),
    )
    .select(['o.id', 'o.type', 'o.value', 'o.display', 'l.kind', 'l.from_num'])
    .where(observableVisible(s, 'o.num'))
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    typeLabel: typeLabel(r.type).ja,
    value: r.value,
    display: r.display,
    link: r.kind,
    direction: Number(r.from_num) === num ? ('derived' as const) : ('derived_from' as const),
  }));
}

/** Reads of victim-side personal values are audited (ids and counts only). */
async function auditSensitiveRead(p: Platform, s: Subject, o: ObservableRow, page: PlacesPage, ip: string | null) {
  if (!PERSONAL_TYPES.has(o.type as ObservableType)) return;
  const victim = page.items.filter((i) => i.role === 'victim');
  if (victim.length === 0) return;
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.victim_read',
      target: { type: 'observable', id: o.id },
      result: 'success',
      clientIp: ip,
      details: { type: o.type, places: victim.map((v) => `${v.type}:${v.id}`) },
    }),
  );
}

async function detail(
  p: Platform,
  s: Subject,
  found: { o: ObservableRow; counts: Awaited<ReturnType<typeof countsFor>> },
  ip: string | null,
) {
  const db = p.db.db;
  const { o, counts } = found;
  const now = p.clock.now().toISOString();
  const sightings = await placesOf(db, s, o.num, { limit: 50, placeType: 'source' });
  const places = await placesOf(db, s, o.num, { limit: 50, excludeType: 'source' });
  await auditSensitiveRead(p, s, o, places, ip);
  return {
    observable: {
      ...presentObservable(o, now),
      tags: await tagsOf(db, o.num),
      warnings: await warningsOf(db, o.type, o.value),
      counts,
    },
    sightings: sightings.items.map((i) => ({
      sourceId: i.id,
      source: i.title,
      role: i.role,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
      count: i.count,
    })),
    places: places.items,
    placesNextCursor: places.nextCursor,
    related: await relatedOf(db, s, o.num),
  };
}

/** GET /api/observables/lookup: raw or defanged value → the canonical observable as far as the viewer may see. */
export async function lookup(p: Platform, s: Subject, raw: string, type: string | undefined, ip: string | null) {
  const c = canonicalise(raw, type);
  if (!c) throw new AppError('OBSERVABLE_NOT_FOUND');
  const found = await findVisible(p, s, { type: c.type, value: c.value });
  if (!found) throw new AppError('OBSERVABLE_NOT_FOUND');
  return detail(p, s, found, ip);
}

export async function getObservable(p: Platform, s: Subject, id: string, ip: string | null) {
  const found = await findVisible(p, s, { id });
  if (!found) throw new AppError('OBSERVABLE_NOT_FOUND');
  return detail(p, s, found, ip);
}

export async function observablePlaces(
  p: Platform,
  s: Subject,
  id: string,
  q: { cursor?: string | undefined; limit: number; placeType?: string | undefined },
  ip: string | null,
) {
  const found = await findVisible(p, s, { id });
  if (!found) throw new AppError('OBSERVABLE_NOT_FOUND');
  const page = await placesOf(p.db.db, s, found.o.num, q);
  await auditSensitiveRead(p, s, found.o, page, ip);
  return page;
}

/** GET /api/observables: newest last-seen first, keyset-paged; only observables with a place the viewer may see. */
export async function listObservables(
  p: Platform,
  s: Subject,
  f: {
    type?: string | undefined;
    tag?: string | undefined;
    q?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
) {
  const after = decodeCursor<[string, number]>(f.cursor, 2);
  let q = p.db.db.selectFrom('observables as o').selectAll('o').where(observableVisible(s, 'o.num'));
  if (f.type) {
    if (!isObservableType(f.type)) throw new AppError('VALIDATION_FAILED', 'type');
    q = q.where('o.type', '=', f.type);
  }
  if (f.tag) {
    const tag = f.tag;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('observable_tags as t')
          .select('t.tag')
          .whereRef('t.observable_num', '=', 'o.num')
          .where('t.tag', '=', tag),
      ),
    );
  }
  if (f.q) {
    const c = canonicalise(f.q, f.type);
    // An exact canonical value when the text is one, else a prefix match on the stored value.
    q = c
      ? q.where('o.type', '=', c.type).where('o.value', '=', c.value)
      : q.where('o.value', 'like', `${f.q.replace(/[\\%_]/g, (x) => `\\${x}`)}%`);
  }
  if (after) {
    const [at, num] = after;
    q = q.where((eb) =>
      eb.or([eb('o.last_seen', '<', at), eb.and([eb('o.last_seen', '=', at), eb('o.num', '<', num)])]),
    );
  }
  const rows = await q
    .orderBy('o.last_seen', 'desc')
    .orderBy('o.num', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const now = p.clock.now().toISOString();
  const last = page.at(-1);
  return {
    items: page.map((r) => presentObservable({ ...r, num: Number(r.num) }, now)),
    nextCursor: rows.length > f.limit && last ? encodeCursor([last.last_seen, Number(last.num)]) : null,
  };
}

export async function sharingRules(p: Platform) {
  const rows = await p.db.db
    .selectFrom('intel_sharing_rules')
    .selectAll()
    .orderBy('type')
    .orderBy('role')
    .orderBy('recipient_kind')
    .execute();
  return rows.map((r) => ({ type: r.type, role: r.role, recipientKind: r.recipient_kind, legalBasis: r.legal_basis }));
}

export function vocabulary() {
  return {
    types: OBSERVABLE_TYPES.map((t) => ({ code: t, ja: TYPE_LABELS[t].ja, en: TYPE_LABELS[t].en })),
    roles: (Object.keys(ROLE_LABELS) as OccurrenceRole[]).map((r) => ({ code: r, ...ROLE_LABELS[r] })),
    placeTypes: placeTypes().map((d) => ({ code: d.type, ...d.label })),
  };
}
