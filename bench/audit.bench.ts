/**
 * Audit write path under concurrent writers (issue 2). Each writer runs transactions that change a row
 * and append an audit record (the real path: advisory lock + chain read + insert); the baseline runs the
 * same transactions without the audit record. Prints transactions per second for both and the ratio.
 *
 *   npx tsx bench/audit.bench.ts [--engine postgres|sqlite] [--writers 10] [--seconds 10]
 *   (PostgreSQL: RENKEI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import type { Platform } from '../apps/server/src/platform/context.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { verifyAuditChain } from '../apps/server/src/platform/audit/verify.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    writers: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
  },
});
const engine = values.engine === 'sqlite' ? 'sqlite' : 'postgres';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const writers = Number(values.writers);
const seconds = Number(values.seconds);

async function run(p: Platform, withAudit: boolean, unitIds: string[]): Promise<{ tps: number; p99: number }> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const unitId = unitIds[w % unitIds.length]!;
      while (Date.now() < deadline) {
        const t0 = performance.now();
        await p.db.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('units')
            .set({ updated_at: new Date().toISOString() })
            .where('id', '=', unitId)
            .execute();
          await trx.insertInto('settings').values({ key: randomUUID(), value: 'x' }).execute();
          if (withAudit) {
            await p.audit.record(trx, {
              actor: null,
              action: 'bench.write',
              target: { type: 'unit', id: unitId },
              result: 'success',
            });
          }
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { tps: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

const tdb = await createTestDatabase(engine);
const config = loadConfig(
  { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
  tdb.dataDir,
);
const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
try {
  // Each writer works on its own row so that row locks do not hide the chain's own cost.
  const units = await p.db.db.selectFrom('units').select('id').limit(writers).execute();
  const ids = units.map((u) => u.id);
  const base = await run(p, false, ids);
  const audited = await run(p, true, ids);
  const check = await verifyAuditChain(p.db.db);
  console.log(`engine=${engine} writers=${writers} seconds=${seconds}`);
  console.log(`baseline (no audit):   ${base.tps.toFixed(0)} tx/s, p99 ${base.p99.toFixed(1)} ms`);
  console.log(`with hash-chained audit: ${audited.tps.toFixed(0)} tx/s, p99 ${audited.p99.toFixed(1)} ms`);
  console.log(
    `ratio audited/baseline: ${(audited.tps / base.tps).toFixed(2)}  (chain verified: ${check.ok}, ${check.checked} records)`,
  );
} finally {
  await p.db.close();
  await tdb.drop();
}
