import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import type { Platform } from '../../platform/context.ts';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { importIndicators } from '../intel/importer.ts';
import { purgeExpired } from './retention.ts';

const DAY = 86_400_000;

describe.each(testEngines())('retention purge on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.platform.db.db;
  const numOf = async (value: string) =>
    Number(
      (await db().selectFrom('observables').select('num').where('value', '=', value).executeTakeFirstOrThrow()).num,
    );
  const count = async (table: 'observables' | 'observable_occurrences' | 'observable_counts') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('c'))
          .executeTakeFirstOrThrow()
      ).c,
    );
  /** Dependent rows whose observable is gone: a half-deleted indicator. */
  const orphans = async () =>
    Number(
      (
        await sql<{ c: number | string }>`select
          (select count(*) from observable_occurrences x where not exists (select 1 from observables o where o.num = x.observable_num))
        + (select count(*) from observable_counts x where not exists (select 1 from observables o where o.num = x.observable_num))
        + (select count(*) from observable_tags x where not exists (select 1 from observables o where o.num = x.observable_num))
        + (select count(*) from observable_links x where not exists (select 1 from observables o where o.num = x.from_num)
            or not exists (select 1 from observables o where o.num = x.to_num)) as c`.execute(db())
      ).rows[0]?.c,
    );
  const purgeRecords = async () =>
    (
      await db()
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'detection.retention.purge')
        .orderBy('seq')
        .execute()
    ).map((r) => JSON.parse(r.details) as { count: number; byType: string[]; fromNum: number; toNum: number });

  it('purges by type in audited windows; a stopped purge leaves whole windows and the next run finishes', async () => {
    const urls = Array.from({ length: 6 }, (_, i) => `hxxp://old-${i}[.]xyz/a`);
    const ips = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
    await importIndicators(t.platform, null, Readable.from([`${[...urls, ...ips].join('\n')}\n`]), {
      source: 'old-feed',
      format: 'txt',
    });
    // old-0 also occurs in a case: part of that record, it stays. Tags go with their indicator.
    const kept = await numOf('http://old-0.xyz/a');
    const tagged = await numOf('http://old-1.xyz/a');
    await db().insertInto('observable_places').values({ place_type: 'case', place_id: 'case-1' }).execute();
    const casePlace = await db()
      .selectFrom('observable_places')
      .select('num')
      .where('place_type', '=', 'case')
      .executeTakeFirstOrThrow();
    const at = Math.floor(t.clock.now().getTime() / 1000);
    await db()
      .insertInto('observable_occurrences')
      .values({
        observable_num: kept,
        place_num: casePlace.num,
        role: 'suspect',
        role_decided_by: null,
        role_decided_at: null,
        first_seen: at,
        last_seen: at,
        seen_count: 1,
        source_id: null,
        reason: null,
      })
      .execute();
    await db()
      .insertInto('observable_tags')
      .values([
        { observable_num: kept, tag: 'phishing' },
        { observable_num: tagged, tag: 'phishing' },
      ])
      .execute();
    await db().updateTable('detection_retention').set({ purge_after_days: 30 }).where('type', '=', 'url').execute();
    await db().updateTable('detection_retention').set({ purge_after_days: 0 }).where('type', '=', 'ipv4').execute();
    const before = await count('observables');

    // URLs expire after 180 days, IPv4 after 90, domains after 365: at 200 days only the IPs are due.
    t.clock.advance(200 * DAY);
    const first = await purgeExpired(t.platform, null, { batchSize: 2 });
    expect(first.byType).toEqual({ ipv4: 3 });
    expect(await count('observables')).toBe(before - 3);
    t.clock.advance(30 * DAY);

    // A purge stopped by a failure in its second window: the first window stays done with its record, the second
    // is rolled back whole (its indicators keep their occurrences and counters), nothing is orphaned.
    let calls = 0;
    const failing: Platform = {
      ...t.platform,
      audit: {
        record: async (trx, entry) => {
          calls++;
          if (calls === 2) throw new Error('stopped');
          return t.platform.audit.record(trx, entry);
        },
      },
    };
    const recordsBefore = (await purgeRecords()).length;
    await expect(purgeExpired(failing, null, { batchSize: 2 })).rejects.toThrow('stopped');
    const afterStop = await purgeRecords();
    expect(afterStop.length).toBe(recordsBefore + 1);
    const done = afterStop[afterStop.length - 1]!;
    expect(before - 3 - (await count('observables'))).toBe(done.count);
    expect(await orphans()).toBe(0);
    const left = await db()
      .selectFrom('observables as o')
      .select('o.num')
      .where('o.type', '=', 'url')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('observable_occurrences as oc')
              .select('oc.place_num')
              .whereRef('oc.observable_num', '=', 'o.num'),
          ),
        ),
      )
      .execute();
    expect(left).toEqual([]);

    // Run again: it finishes; the kept URL, its tag and the domains stay; the chain is whole.
    const second = await purgeExpired(t.platform, null, { batchSize: 2 });
    expect(done.count + (second.byType.url ?? 0)).toBe(5);
    const remaining = await db().selectFrom('observables').select(['num', 'type']).execute();
    expect(remaining.filter((r) => r.type === 'url').map((r) => Number(r.num))).toEqual([kept]);
    expect(remaining.filter((r) => r.type === 'ipv4')).toEqual([]);
    expect(remaining.some((r) => r.type === 'domain')).toBe(true);
    expect(await orphans()).toBe(0);
    const tags = await db().selectFrom('observable_tags').select('observable_num').execute();
    expect(tags.map((r) => Number(r.observable_num))).toEqual([kept]);
    const records = await purgeRecords();
    expect(records.reduce((s, r) => s + r.count, 0)).toBe(8);
    expect(records.length).toBe(first.batches + 1 + second.batches);
    for (const r of records) expect(r.toNum - r.fromNum).toBeLessThan(2);
    expect(records.some((r) => r.byType.includes('ipv4=1') || r.byType.includes('ipv4=2'))).toBe(true);

    // Nothing left to purge: no empty record is written.
    expect((await purgeExpired(t.platform, null)).purged).toBe(0);
    expect((await purgeRecords()).length).toBe(records.length);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  }, 120_000);
});
