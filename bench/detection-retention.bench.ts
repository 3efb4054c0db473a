/**
 * Retention and feed import (issue 8 §4 and §1).
 * - purge: N expired feed-only indicators (each with its occurrence at a feed source, its counter row and a derived
 *   link) loaded by bulk insert, then `purgeExpired` (5,000 per audited transaction). Goal: 1 M under 60 s; the
 *   printed ratio is the time against that 60 s budget scaled to N.
 * - import: a feed of `--feed-mb` MB of URL lines served by a local node:http server, collected by `collectFeed`
 *   (conditional request, streamed through intel's importer) in a child process; peak RSS (maxRSS) printed for two
 *   sizes so that its flatness shows. Goal: 2 GB with RSS under 256 MB.
 *
 *   npx tsx bench/detection-retention.bench.ts [--engine sqlite|postgres] [--purge 100000] [--feed-mb 5]
 *   (PostgreSQL: RENKEI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { collectFeed } from '../apps/server/src/modules/detection/collector.ts';
import { createFeed } from '../apps/server/src/modules/detection/feeds.ts';
import { purgeExpired } from '../apps/server/src/modules/detection/retention.ts';
import { verifyAuditChain } from '../apps/server/src/platform/audit/verify.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import type { Platform } from '../apps/server/src/platform/context.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    purge: { type: 'string', default: '100000' },
    'feed-mb': { type: 'string', default: '5' },
    child: { type: 'string' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

async function platform(): Promise<{ p: Platform; drop: () => Promise<void> }> {
  const tdb = await createTestDatabase(engine);
  const config = loadConfig(
    { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
    tdb.dataDir,
  );
  const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
  return {
    p,
    drop: async () => {
      await p.db.close();
      await tdb.drop();
    },
  };
}

async function benchPurge(n: number): Promise<void> {
  const { p, drop } = await platform();
  try {
    const db = p.db.db;
    const long = '2025-01-01T00:00:00.000Z';
    await db
      .insertInto('intel_sources')
      .values({
        id: randomUUID(),
        name: 'old feed',
        kind: 'feed',
        reliability: null,
        created_at: long,
        created_by: null,
      })
      .execute();
    await db.insertInto('observable_places').values({ place_type: 'source', place_id: 'old-feed' }).execute();
    const place = Number((await db.selectFrom('observable_places').select('num').executeTakeFirstOrThrow()).num);
    const t0 = performance.now();
    const CH = 500;
    for (let i = 0; i < n; i += 20_000) {
      await db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(n, i + 20_000); j += CH) {
          const rows = Array.from({ length: Math.min(CH, n - j) }, (_, k) => {
            const x = j + k;
            return {
              id: randomUUID(),
              type: 'url',
              value: `http://expired-${x}.example.com/a`,
              display: `http://expired-${x}.example.com/a`,
              tlp: 'amber',
              pap: null,
              confidence: null,
              reliability: null,
              first_seen: long,
              last_seen: long,
              expires_at: '2025-06-30T00:00:00.000Z',
              created_at: long,
              updated_at: long,
            };
          });
          const nums = await trx.insertInto('observables').values(rows).returning('num').execute();
          const ns = nums.map((r) => Number(r.num));
          await trx
            .insertInto('observable_occurrences')
            .values(
              ns.map((num) => ({
                observable_num: num,
                place_num: place,
                role: 'unknown',
                role_decided_by: null,
                role_decided_at: null,
                // Occurrence dates are epoch seconds (intel migration 0007).
                first_seen: Math.floor(Date.parse(long) / 1000),
                last_seen: Math.floor(Date.parse(long) / 1000),
                seen_count: 1,
                source_id: null,
                reason: null,
              })),
            )
            .execute();
          await trx
            .insertInto('observable_counts')
            .values(ns.map((num) => ({ observable_num: num, place_type: 'source', n: 1 })))
            .execute();
          await trx
            .insertInto('observable_links')
            .values(ns.slice(1).map((num, k) => ({ from_num: ns[k]!, to_num: num, kind: 'host' })))
            .execute();
        }
      });
    }
    const loaded = (performance.now() - t0) / 1000;
    await db.updateTable('detection_retention').set({ purge_after_days: 30 }).where('type', '=', 'url').execute();
    const t1 = performance.now();
    const r = await purgeExpired(p, null);
    const seconds = (performance.now() - t1) / 1000;
    const left = await db
      .selectFrom('observables')
      .select((eb) => eb.fn.countAll().as('c'))
      .executeTakeFirstOrThrow();
    const chain = await verifyAuditChain(db);
    const budget = (60 * n) / 1_000_000;
    console.log(
      `purge (${engine}): ${r.purged.toLocaleString()} purged in ${seconds.toFixed(2)} s ` +
        `(${Math.round(r.purged / seconds).toLocaleString()}/s, ${r.batches} audited batches; bulk load took ${loaded.toFixed(1)} s), ` +
        `${left.c} left, audit chain ${chain.ok ? 'whole' : 'BROKEN'}; time / budget (60 s per 1 M): ${(seconds / budget).toFixed(2)}`,
    );
  } finally {
    await drop();
  }
}

/** Child: serve `mb` MB of URL lines locally and collect it as a feed; print seconds and peak RSS. */
async function childImport(mb: number): Promise<void> {
  const total = mb * 1024 * 1024;
  const server = createServer((_req, res) => {
    res.writeHead(200, { etag: '"big"', 'content-type': 'text/plain' });
    let sent = 0;
    let i = 0;
    const pump = () => {
      while (sent < total) {
        let chunk = '';
        while (chunk.length < 65_536) {
          chunk += `hxxp://host-${i % 100_000}.feed-${i % 997}[.]com/path/${i}\n`;
          i++;
        }
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { p, drop } = await platform();
  try {
    const port = (server.address() as AddressInfo).port;
    const feed = await createFeed(
      p,
      null,
      { name: 'big', url: `http://127.0.0.1:${port}/feed.txt`, format: 'txt', tlp: 'amber', intervalMinutes: 60 },
      null,
    );
    const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
    const t0 = performance.now();
    const r = await collectFeed(p, feed.id);
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      JSON.stringify({
        seconds,
        outcome: r.outcome,
        error: r.error,
        lines: r.lines,
        bytes: r.bytes,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        rssBeforeMb,
      }),
    );
  } finally {
    server.close();
    await drop();
  }
}

async function main(): Promise<void> {
  await benchPurge(Number(values.purge));
  if (values['feed-mb'] === '0') return;
  const mb = Number(values['feed-mb']);
  const self = fileURLToPath(import.meta.url);
  const tsx = join(self, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  for (const size of [mb, mb * 4]) {
    const r = spawnSync(process.execPath, [tsx, self, '--engine', engine, '--child', String(size)], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const o = JSON.parse(r.stdout) as {
      seconds: number;
      outcome: string;
      lines: number;
      bytes: number;
      maxRssMb: number;
      rssBeforeMb: number;
      error: string | null;
    };
    console.log(
      `feed import (${engine}): ${size} MB, ${o.lines.toLocaleString()} lines, ${o.outcome}${o.error ? ` (${o.error})` : ''} in ${o.seconds.toFixed(1)} s ` +
        `(${(size / o.seconds).toFixed(2)} MB/s), peak RSS ${o.maxRssMb.toFixed(0)} MB (${o.rssBeforeMb.toFixed(0)} MB before the pull)`,
    );
  }
}

if (values.child) await childImport(Number(values.child));
else await main();
