import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { EXPIRY_DAYS, type ObservableType, isObservableType } from '../intel/vocab.ts';

const BATCH = 5000;
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
 * stays. Each batch is deleted in one transaction with its audit record (types, count, number range): the audit
 * log is never touched, so its chain stays whole.
 */
export async function purgeExpired(
  p: Platform,
  actor: AuditActor | null,
  opts: { batchSize?: number; clientIp?: string | null } = {},
): Promise<PurgeSummary> {
  const now = p.clock.now().getTime();
  const batchSize = opts.batchSize ?? BATCH;
  const policies = await p.db.db
    .selectFrom('detection_retention')
    .select(['type', 'purge_after_days'])
    .where('purge_after_days', 'is not', null)
    .execute();
  const summary: PurgeSummary = { purged: 0, byType: {}, batches: 0 };
  for (const pol of policies) {
    const cutoff = new Date(now - (pol.purge_after_days ?? 0) * DAY).toISOString();
    let after: [string, number] = ['', 0];
    for (;;) {
      const rows = await p.db.db
        .selectFrom('observables as o')
        .select(['o.num', 'o.expires_at'])
        .where('o.type', '=', pol.type)
        .where('o.expires_at', 'is not', null)
        .where('o.expires_at', '<', cutoff)
        .where((eb) =>
          eb.or([
            eb('o.expires_at', '>', after[0]),
            eb.and([eb('o.expires_at', '=', after[0]), eb('o.num', '>', after[1])]),
          ]),
        )
        .orderBy('o.expires_at')
        .orderBy('o.num')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = [last.expires_at ?? '', Number(last.num)];
      const candidates = rows.map((r) => Number(r.num));
      const n = await p.db.db.transaction().execute(async (trx) => {
        // Re-checked inside the transaction: a sighting at a record between the read and now keeps it.
        const keep = await trx
          .selectFrom('observable_occurrences as oc')
          .innerJoin('observable_places as pl', 'pl.num', 'oc.place_num')
          .select('oc.observable_num')
          .distinct()
          .where('oc.observable_num', 'in', candidates)
          .where('pl.place_type', '<>', 'source')
          .execute();
        const kept = new Set(keep.map((k) => Number(k.observable_num)));
        const nums = candidates.filter((x) => !kept.has(x));
        if (nums.length === 0) return 0;
        const fresh = await trx
          .selectFrom('observables')
          .select('num')
          .where('num', 'in', nums)
          .where('expires_at', '<', cutoff)
          .execute();
        const gone = fresh.map((r) => Number(r.num));
        if (gone.length === 0) return 0;
        await trx.deleteFrom('observable_occurrences').where('observable_num', 'in', gone).execute();
        await trx.deleteFrom('observable_counts').where('observable_num', 'in', gone).execute();
        await trx.deleteFrom('observable_tags').where('observable_num', 'in', gone).execute();
        // Two statements, each on its own index (an OR of both would scan the link table once per batch).
        await trx.deleteFrom('observable_links').where('from_num', 'in', gone).execute();
        await trx.deleteFrom('observable_links').where('to_num', 'in', gone).execute();
        await trx.deleteFrom('observables').where('num', 'in', gone).execute();
        await p.audit.record(trx, {
          actor,
          action: 'detection.retention.purge',
          target: { type: 'observables', id: null },
          result: 'success',
          clientIp: opts.clientIp ?? null,
          details: {
            type: pol.type,
            count: gone.length,
            expiredBefore: cutoff,
            fromNum: Math.min(...gone),
            toNum: Math.max(...gone),
          },
        });
        return gone.length;
      });
      if (n > 0) {
        summary.purged += n;
        summary.byType[pol.type] = (summary.byType[pol.type] ?? 0) + n;
        summary.batches++;
      }
      if (rows.length < batchSize) break;
    }
  }
  return summary;
}
