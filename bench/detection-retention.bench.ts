/**
 * Retention and feed import (issue 8 §4 and §1).
 * - purge: N expired feed-only indicators (each with its occurrence at a feed source, its counter row, a link, a tag
 *   on every tenth) plus N/50 that must stay (in a hunt, or not expired) and `--live` more unexpired ones (a table
 *   where few rows are due: the walk reads every window), loaded set-based in SQL, then
 *   `purgeExpired`. Goal: 1 M under 60 s; the printed ratios are wall and CPU time (this process + its PostgreSQL
 *   backends, from /proc) against that 60 s budget scaled to N. The run fails if anything but the N is left, a
 *   dependent row is orphaned, or the audit chain is broken.
 * - import: a feed of `--feed-mb` MB of URL lines served by a local node:http server, collected by `collectFeed`
 *   (conditional request, streamed through intel's importer) in a child process; peak RSS (maxRSS) printed for two
 *   sizes so that its flatness shows. Goal: 2 GB with RSS under 256 MB. `--feed-heap` caps the child's V8 heap
 *   (--max-old-space-size); `--feed-probe` runs it with --expose-gc and prints the live heap after a full GC, sampled
 *   every 2 s (first and last sample, maximum): flat live heap = bounded, whatever maxRSS says.
 *
 *   npx tsx bench/detection-retention.bench.ts [--engine sqlite|postgres] [--purge 100000] [--live 0] [--batch N]
 *     [--feed-mb 5] [--feed-heap MB] [--feed-probe]
 *     [--pg-url postgres://postgres@127.0.0.1:5432/renkei_bench_purge]
 *   (PostgreSQL: with --pg-url the purge runs in that database, which must be named renkei_bench* and whose public
 *   schema is dropped and re-created; without it, a fresh database next to RENKEI_TEST_DATABASE_URL, default
 *   postgres://postgres@127.0.0.1:5432/test)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
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
    batch: { type: 'string' },
    'pg-url': { type: 'string' },
    live: { type: 'string', default: '0' },
    'feed-heap': { type: 'string' },
    'feed-probe': { type: 'boolean', default: false },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

/** PostgreSQL database of the purge bench: created by hand (`createdb renkei_bench_purge`), emptied here. */
const BENCH_PG_PREFIX = 'renkei_bench';

async function platform(): Promise<{ p: Platform; drop: () => Promise<void> }> {
  const bench = values['pg-url'];
  if (engine === 'postgres' && bench) {
    const url = new URL(bench);
    if (!url.pathname.slice(1).startsWith(BENCH_PG_PREFIX))
      throw new Error(`--pg-url must name a ${BENCH_PG_PREFIX}* database`);
    const c = new pg.Client({ connectionString: bench });
    await c.connect();
    try {
      await c.query('drop schema public cascade; create schema public');
    } finally {
      await c.end();
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
    const config = loadConfig(
      { RENKEI_DATA_DIR: dataDir, RENKEI_DATABASE_URL: bench, RENKEI_LOG_LEVEL: 'silent' },
      dataDir,
    );
    const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
    return {
      p,
      drop: async () => {
        await p.db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
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

/** CPU seconds (user + system) of this database's PostgreSQL backends, read from /proc (same machine). */
async function backendCpu(p: Platform): Promise<number> {
  if (engine !== 'postgres') return 0;
  const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(
    p.db.db,
  );
  let ticks = 0;
  for (const { pid } of r.rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
    } catch {
      // a backend that ended meanwhile
    }
  }
  return ticks / 100;
}

/**
 * Loads `n` expired feed-only URL observables (expiry spread over 180 days, so the walk by expiry visits the table
 * out of number order), each with an occurrence at a feed source, a counter row and a link to the next one, a tag on
 * every tenth; plus n/50 that must stay: half also occur in a hunt (a record), half have not expired. Set-based.
 */
async function load(p: Platform, n: number, live: number): Promise<void> {
  const db = p.db.db;
  const long = '2025-01-01T00:00:00.000Z';
  const longSec = Math.floor(Date.parse(long) / 1000);
  await db
    .insertInto('intel_sources')
    .values({ id: randomUUID(), name: 'old feed', kind: 'feed', reliability: null, created_at: long, created_by: null })
    .execute();
  await db
    .insertInto('observable_places')
    .values([
      { place_type: 'source', place_id: 'old-feed' },
      { place_type: 'hunt', place_id: 'a-hunt' },
    ])
    .execute();
  const places = await db.selectFrom('observable_places').select(['num', 'place_type']).execute();
  const source = Number(places.find((r) => r.place_type === 'source')!.num);
  const hunt = Number(places.find((r) => r.place_type === 'hunt')!.num);
  const extras = Math.floor(n / 50);
  const total = n + extras + live;
  const pgsql = engine === 'postgres';
  // Row x: expires 2025-01-01 + (x·7919 mod 180) days, or in 2099 for the unexpired extras and the live rows.
  const expiry = pgsql
    ? sql`case when (x >= ${n} and x % 2 = 1) or x >= ${n + extras} then '2099-01-01T00:00:00.000Z'
        else to_char(timestamp '2025-01-01' + ((x * 7919) % 180) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end`
    : sql`case when (x >= ${n} and x % 2 = 1) or x >= ${n + extras} then '2099-01-01T00:00:00.000Z'
        else strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || ((x * 7919) % 180) || ' days') end`;
  const id = pgsql
    ? sql`'00000000-0000-7000-8000-' || lpad(x::text, 12, '0')`
    : sql`printf('00000000-0000-7000-8000-%012d', x)`;
  const CH = 100_000;
  for (let lo = 0; lo < total; lo += CH) {
    const hi = Math.min(total, lo + CH) - 1;
    const xs = pgsql
      ? sql`(select x from generate_series(${lo}::bigint, ${hi}::bigint) as g(x)) as s`
      : sql`(with recursive g(x) as (select ${lo} union all select x + 1 from g where x < ${hi}) select x from g) as s`;
    await db.transaction().execute(async (trx) => {
      await sql`insert into observables (id, type, value, display, tlp, pap, confidence, reliability, first_seen,
          last_seen, expires_at, created_at, updated_at)
        select ${id}, 'url', 'http://expired-' || x || '.example.com/a', 'http://expired-' || x || '.example.com/a',
          'amber', null, null, null, ${long}, ${long}, ${expiry}, ${long}, ${long}
        from ${xs} order by x`.execute(trx);
    });
  }
  const bounds = await db
    .selectFrom('observables')
    .select((eb) => [eb.fn.min('num').as('lo'), eb.fn.max('num').as('hi')])
    .executeTakeFirstOrThrow();
  const first = Number(bounds.lo);
  const last = Number(bounds.hi);
  for (let lo = first; lo <= last; lo += CH) {
    const hi = Math.min(last, lo + CH - 1);
    await db.transaction().execute(async (trx) => {
      const range = sql`o.num between ${lo} and ${hi}`;
      await sql`insert into observable_occurrences (observable_num, place_num, role, role_decided_by, role_decided_at,
          first_seen, last_seen, seen_count, source_id, reason)
        select o.num, ${source}, 'unknown', null, null, ${longSec}, ${longSec}, 1, null, null
        from observables o where ${range}`.execute(trx);
      await sql`insert into observable_occurrences (observable_num, place_num, role, role_decided_by, role_decided_at,
          first_seen, last_seen, seen_count, source_id, reason)
        select o.num, ${hunt}, 'unknown', null, null, ${longSec}, ${longSec}, 1, null, null
        from observables o where ${range} and o.num - ${first} >= ${n} and o.num - ${first} < ${n + extras}
          and (o.num - ${first}) % 2 = 0`.execute(trx);
      await sql`insert into observable_counts (observable_num, place_type, n)
        select o.num, 'source', 1 from observables o where ${range}`.execute(trx);
      await sql`insert into observable_tags (observable_num, tag)
        select o.num, 'bench' from observables o where ${range} and o.num % 10 = 0`.execute(trx);
      await sql`insert into observable_links (from_num, to_num, kind)
        select o.num, o.num + 1, 'host' from observables o where ${range} and o.num < ${last}`.execute(trx);
    });
  }
  await sql`analyze`.execute(db);
}

async function benchPurge(n: number, live: number): Promise<void> {
  const { p, drop } = await platform();
  try {
    const db = p.db.db;
    const t0 = performance.now();
    await load(p, n, live);
    const loaded = (performance.now() - t0) / 1000;
    const keep = Math.floor(n / 50) + live;
    await db.updateTable('detection_retention').set({ purge_after_days: 30 }).where('type', '=', 'url').execute();
    const load1 = loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const pg0 = await backendCpu(p);
    const t1 = performance.now();
    const r = await purgeExpired(p, null, values.batch ? { batchSize: Number(values.batch) } : {});
    const seconds = (performance.now() - t1) / 1000;
    const cpu1 = process.cpuUsage(cpu0);
    const nodeCpu = (cpu1.user + cpu1.system) / 1e6;
    const pgCpu = (await backendCpu(p)) - pg0;
    const load2 = loadavg()[0]!;
    const left = await db
      .selectFrom('observables')
      .select((eb) => eb.fn.countAll().as('c'))
      .executeTakeFirstOrThrow();
    const orphans = await sql<{ c: number | string }>`select
        (select count(*) from observable_occurrences oc where not exists (select 1 from observables o where o.num = oc.observable_num))
      + (select count(*) from observable_counts c where not exists (select 1 from observables o where o.num = c.observable_num))
      + (select count(*) from observable_tags t where not exists (select 1 from observables o where o.num = t.observable_num))
      + (select count(*) from observable_links l where not exists (select 1 from observables o where o.num = l.from_num)
           or not exists (select 1 from observables o where o.num = l.to_num)) as c`.execute(db);
    const chain = await verifyAuditChain(db);
    const budget = (60 * n) / 1_000_000;
    const cpu = nodeCpu + pgCpu;
    console.log(
      `purge (${engine}): ${r.purged.toLocaleString()} purged in ${seconds.toFixed(2)} s wall, CPU ${cpu.toFixed(2)} s ` +
        `(node ${nodeCpu.toFixed(2)}${engine === 'postgres' ? ` + PostgreSQL backends ${pgCpu.toFixed(2)}` : ''}), ` +
        `${Math.round(r.purged / seconds).toLocaleString()}/s, ${r.batches} audited batches; load average ${load1.toFixed(1)} → ${load2.toFixed(1)}; ` +
        `bulk load took ${loaded.toFixed(1)} s; ${left.c} left (expected ${keep}), ${Number(orphans.rows[0]?.c)} orphan rows, ` +
        `audit chain ${chain.ok ? 'whole' : 'BROKEN'}; time / budget (60 s per 1 M): wall ${(seconds / budget).toFixed(2)}, CPU ${(cpu / budget).toFixed(2)}`,
    );
    if (r.purged !== n || Number(left.c) !== keep || Number(orphans.rows[0]?.c) !== 0 || !chain.ok)
      throw new Error('purge result is wrong');
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
    const gc = (globalThis as { gc?: () => void }).gc;
    const live: number[] = [];
    const probe = gc
      ? setInterval(() => {
          gc();
          live.push(process.memoryUsage().heapUsed / 1024 / 1024);
        }, 2000)
      : undefined;
    const t0 = performance.now();
    const r = await collectFeed(p, feed.id);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(probe);
    process.stdout.write(
      JSON.stringify({
        seconds,
        outcome: r.outcome,
        error: r.error,
        lines: r.lines,
        bytes: r.bytes,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        rssBeforeMb,
        live: live.length > 0 ? { first: live[0], last: live.at(-1), max: Math.max(...live), n: live.length } : null,
      }),
    );
  } finally {
    server.close();
    await drop();
  }
}

async function main(): Promise<void> {
  await benchPurge(Number(values.purge), Number(values.live));
  if (values['feed-mb'] === '0') return;
  const mb = Number(values['feed-mb']);
  const self = fileURLToPath(import.meta.url);
  const tsx = join(self, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
  // Node runs the child itself (tsx as a loader, not its CLI, which would add a process of its own) with the flags.
  const flags = [
    ...(values['feed-probe'] ? ['--expose-gc'] : []),
    ...(values['feed-heap'] ? [`--max-old-space-size=${Number(values['feed-heap'])}`] : []),
    '--import',
    pathToFileURL(tsx).href,
  ];
  for (const size of [mb, mb * 4]) {
    const r = spawnSync(process.execPath, [...flags, self, '--engine', engine, '--child', String(size)], {
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
      live: { first: number; last: number; max: number; n: number } | null;
    };
    console.log(
      `feed import (${engine}): ${size} MB, ${o.lines.toLocaleString()} lines, ${o.outcome}${o.error ? ` (${o.error})` : ''} in ${o.seconds.toFixed(1)} s ` +
        `(${(size / o.seconds).toFixed(2)} MB/s), peak RSS ${o.maxRssMb.toFixed(0)} MB (${o.rssBeforeMb.toFixed(0)} MB before the pull), ` +
        `${Math.round(o.lines / o.seconds).toLocaleString()} lines/s` +
        (o.live
          ? `; live heap after GC ${o.live.first.toFixed(0)} → ${o.live.last.toFixed(0)} MB (max ${o.live.max.toFixed(0)}, ${o.live.n} samples)`
          : ''),
    );
  }
}

if (values.child) await childImport(Number(values.child));
else await main();
