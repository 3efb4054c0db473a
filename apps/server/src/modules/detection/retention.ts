import { sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { EXPIRY_DAYS, type ObservableType, isObservableType } from '../intel/vocab.ts';

/** Width of a window of observable numbers: at most this many observables per audited transaction. */
const BATCH = 20_000;
const DAY = 86_400_000;

export interface PurgeSummary {
  purged: number;
  byType: Record<string, number>;
  batches: number;
}

export async function listPolicies(p: Platform) {
  const rows = await p.db.db.selectFrom('detection_retention').selectAll().orderBy('type').execute();
  return {
    items: rows.map((r) => ({
      type: r.type,
      expiryDays: isObservableType(r.type) ? EXPIRY_DAYS[r.type] : null,
      purgeAfterDays: r.purge_after_days,
      updatedAt: r.updated_at,
    })),
  };
}

export async function setPolicy(
  p: Platform,
  actor: AuditActor | null,
  type: string,
  purgeAfterDays: number | null,
  clientIp: string | null,
) {
  if (!isObservableType(type)) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('detection_retention')
      .set({ purge_after_days: purgeAfterDays, updated_by: actor?.id ?? null, updated_at: now })
      .where('type', '=', type)
      .execute();
    await p.audit.record(trx, {
      actor,
      action: 'detection.retention.policy',
      target: { type: 'observable_type', id: type },
      result: 'success',
      clientIp,
      details: { purgeAfterDays },
    });
  });
  return { type, expiryDays: EXPIRY_DAYS[type as ObservableType], purgeAfterDays, updatedAt: now };
}

/**
 * The retention job. An indicator expires by its type's rule in the observables vocabulary (last seen + N days;
 * a new sighting moves it forward); it is purged `purge_after_days` after that, by type, but only when every place
 * it occurs at is a feed or import source: an indicator in a report, a case or a hunt is part of that record and
 * stays. Set-based, in one walk over the primary key in windows of `batchSize` numbers (ADR 0012): each window is
 * one transaction that deletes its purgeable observables of every type with one statement (the expiry and keep
 * rules are that statement's predicate, so a row sighted meanwhile is not deleted), then the window's occurrences,
 * counters, tags and links (both ends) left without their observable, each along its own index, then appends one
 * audit record (count, count and cutoff per type, number range). Windows follow the tables' key order, so each touches a run of
 * neighbouring pages instead of pages all over the tables. A stopped job leaves whole windows only and simply
 * runs again; the audit log is never touched, so its chain stays whole.
 */
export async function purgeExpired(
  p: Platform,
  actor: AuditActor | null,
  opts: { batchSize?: number; clientIp?: string | null } = {},
): Promise<PurgeSummary> {
  const now = p.clock.now().getTime();
  const width = opts.batchSize ?? BATCH;
  const policies = await p.db.db
    .selectFrom('detection_retention')
    .select(['type', 'purge_after_days'])
    .where('purge_after_days', 'is not', null)
    .orderBy('type')
    .execute();
  const summary: PurgeSummary = { purged: 0, byType: {}, batches: 0 };
  if (policies.length === 0) return summary;
  const cutoffs = new Map(
    policies.map((pol) => [pol.type, new Date(now - (pol.purge_after_days ?? 0) * DAY).toISOString()]),
  );
  // Each row against its type's cutoff (null for other types, so never true). One expression of the row rather
  // than an OR per type, so that no engine is tempted to walk the expiry index for every window.
  const cutoffOf = sql`case type ${sql.join(
    [...cutoffs].map(([type, cutoff]) => sql`when ${type} then ${cutoff}`),
    sql` `,
  )} end`;
  const bounds = await p.db.db
    .selectFrom('observables')
    .select((eb) => [eb.fn.min('num').as('lo'), eb.fn.max('num').as('hi')])
    .executeTakeFirst();
  if (bounds?.lo == null || bounds.hi == null) return summary;
  const last = Number(bounds.hi);
  for (let from = Number(bounds.lo); from <= last; from += width) {
    const to = from + width - 1;
    const byType = await p.db.db.transaction().execute(async (trx) => {
      const deleted = await sql<{ num: number | string; type: string }>`
        delete from observables
        where num between ${from} and ${to} and expires_at < ${cutoffOf}
          and not exists (
            select 1 from observable_occurrences oc
            join observable_places pl on pl.num = oc.place_num
            where oc.observable_num = observables.num and pl.place_type <> 'source'
              and oc.observable_num between ${from} and ${to})
        returning num, type`.execute(trx);
      if (deleted.rows.length === 0) return null;
      // The window's dependent rows whose observable is gone, each table read along its own index.
      const orphan = (col: string) =>
        sql`${sql.ref(col)} between ${from} and ${to}
          and not exists (select 1 from observables o where o.num = ${sql.ref(col)} and o.num between ${from} and ${to})`;
      await sql`delete from observable_occurrences where ${orphan('observable_num')}`.execute(trx);
      await sql`delete from observable_counts where ${orphan('observable_num')}`.execute(trx);
      await sql`delete from observable_tags where ${orphan('observable_num')}`.execute(trx);
      await sql`delete from observable_links where ${orphan('from_num')}`.execute(trx);
      await sql`delete from observable_links where ${orphan('to_num')}`.execute(trx);
      const types = new Map<string, number>();
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (const r of deleted.rows) {
        const num = Number(r.num);
        types.set(r.type, (types.get(r.type) ?? 0) + 1);
        if (num < lo) lo = num;
        if (num > hi) hi = num;
      }
      const purged = [...types.keys()].sort();
      // One record per window, the transaction's last statement (it holds an audit lane's lock until commit).
      await p.audit.record(trx, {
        actor,
        action: 'detection.retention.purge',
        target: { type: 'observables', id: null },
        result: 'success',
        clientIp: opts.clientIp ?? null,
        details: {
          count: deleted.rows.length,
          byType: purged.map((t) => `${t}=${types.get(t)}`),
          expiredBefore: purged.map((t) => `${t}=${cutoffs.get(t)}`),
          fromNum: lo,
          toNum: hi,
        },
      });
      return types;
    });
    if (byType === null) continue;
    summary.batches++;
    for (const [type, count] of byType) {
      summary.purged += count;
      summary.byType[type] = (summary.byType[type] ?? 0) + count;
    }
  }
  return summary;
}
