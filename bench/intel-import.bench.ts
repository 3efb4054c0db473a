/**
 * Bulk import of mixed indicators (issue 5): `importIndicators` (canonicalisation with the core library, derived
 * observables, one occurrence per (observable, source), counters, 5,000-line committed batches, audit per batch)
 * against a bare load of the same rows, already canonical, run side by side: a better-sqlite3 prepared upsert in one
 * transaction on SQLite, `\copy` (COPY FROM STDIN via psql) on PostgreSQL. Goal: at most 2×.
 *
 *   npx tsx bench/intel-import.bench.ts [--engine sqlite|postgres] [--rows 100000]
 *   (PostgreSQL: RENKEI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { canonicalise } from '../apps/server/src/modules/intel/canonical.ts';
import { importIndicators } from '../apps/server/src/modules/intel/importer.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, rows: { type: 'string', default: '100000' } },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(values.rows);

/** Line i of the feed (as a feed would write it) and its canonical (type, value). */
function line(i: number): [string, string, string] {
  const h = createHash('md5').update(String(i)).digest('hex');
  switch (i % 7) {
    case 0:
      return [
        `hxxp://h${i % 50_000}.s${i % 20_000}.shop-${i % 3000}[.]com/login/${i}`,
        'url',
        `http://h${i % 50_000}.s${i % 20_000}.shop-${i % 3000}.com/login/${i}`,
      ];
    case 1:
      return [`d${i}.example${i % 997}.net`, 'domain', `d${i}.example${i % 997}.net`];
    case 2: {
      const ip = `${11 + ((i >>> 24) & 127)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
      return [ip, 'ipv4', ip];
    }
    case 3: {
      const s = createHash('sha256').update(String(i)).digest('hex');
      return [s.toUpperCase(), 'sha256', s];
    }
    case 4:
      return [h, 'md5', h];
    case 5: {
      const n = String(10_000_000 + (i % 89_999_999)).slice(-8);
      return [`090-${n.slice(0, 4)}-${n.slice(4)}`, 'phone', `+8190${n}`];
    }
    default:
      return [`u${i}@m${i % 1000}.example.org`, 'email', `u${i}@m${i % 1000}.example.org`];
  }
}

const tdb = await createTestDatabase(engine);
const feed = join(tdb.dataDir, 'feed.txt');
const csv = join(tdb.dataDir, 'canonical.csv');
{
  const out = createWriteStream(feed);
  const c = createWriteStream(csv);
  for (let i = 0; i < rows; i++) {
    const [raw, type, value] = line(i);
    if (!out.write(`${raw}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (!c.write(`${type},${value},2026-04-01T00:00:00.000Z,2026-04-01T00:00:00.000Z\n`))
      await new Promise<void>((r) => c.once('drain', () => r()));
  }
  await Promise.all([new Promise<void>((r) => out.end(() => r())), new Promise<void>((r) => c.end(() => r()))]);
}

const config = loadConfig(
  { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
  tdb.dataDir,
);
const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
try {
  // Canonicalisation alone, to show where the time goes.
  // Wall time and this process's CPU time (user + system) of each phase: on a shared, loaded machine the CPU time
  // is the steadier figure (SQLite runs in-process; PostgreSQL's server CPU is not in it, so there only wall counts).
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t0 = performance.now();
  let c0 = cpu();
  for (let i = 0; i < rows; i++) line(i);
  const genMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < rows; i++) canonicalise(line(i)[0]);
  const canonMs = performance.now() - t0 - genMs;

  t0 = performance.now();
  c0 = cpu();
  const s = await importIndicators(p, null, createReadStream(feed), { source: 'bench', format: 'txt' });
  const oursMs = performance.now() - t0;
  const oursCpu = cpu() - c0;
  if (s.accepted !== rows) throw new Error(`accepted ${s.accepted} of ${rows}: ${JSON.stringify(s.bad.slice(0, 3))}`);
  const obs = await p.db.db
    .selectFrom('observables')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  t0 = performance.now();
  const again = await importIndicators(p, null, createReadStream(feed), { source: 'bench', format: 'txt' });
  const rerunMs = performance.now() - t0;
  if (again.newOccurrences !== 0) throw new Error('re-import created occurrences');

  let baseMs: number;
  let baseCpu: number | null = null;
  if (engine === 'sqlite') {
    const db = new SQLite(join(tdb.dataDir, 'baseline.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'create table iocs (type text not null, value text not null, first_seen text not null, last_seen text not null, primary key (type, value))',
    );
    const stmt = db.prepare(
      'insert into iocs values (?, ?, ?, ?) on conflict (type, value) do update set last_seen = excluded.last_seen',
    );
    const now = '2026-04-01T00:00:00.000Z';
    // The rows are made first (as the import reads them from a file), so the timing holds the upserts alone.
    const canon = Array.from({ length: rows }, (_, i) => line(i));
    t0 = performance.now();
    c0 = cpu();
    db.transaction(() => {
      for (const [, type, value] of canon) stmt.run(type, value, now, now);
    })();
    baseMs = performance.now() - t0;
    baseCpu = cpu() - c0;
    db.close();
  } else {
    const url = tdb.url;
    spawnSync('psql', [
      url,
      '-qc',
      'create table iocs (type text not null, value text not null, first_seen text not null, last_seen text not null, primary key (type, value))',
    ]);
    t0 = performance.now();
    const r = spawnSync('psql', [url, '-qc', `\\copy iocs from '${csv}' with (format csv)`], { encoding: 'utf8' });
    baseMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(r.stderr);
  }
  console.log(
    `engine=${engine} rows=${rows} (7 types; urls with defanged hosts; ${Number(obs.n)} observables after derivation)`,
  );
  console.log(
    `renkei import:            ${(oursMs / 1000).toFixed(1)} s (${Math.round(rows / (oursMs / 1000))} lines/s), ${s.batches} batches`,
  );
  console.log(`  CPU time of this process:  ${(oursCpu / 1000).toFixed(1)} s`);
  console.log(
    `  canonicalising alone:     ${(canonMs / 1000).toFixed(1)} s (core library + fast paths, measured alone)`,
  );
  console.log(`renkei re-import (no-op):  ${(rerunMs / 1000).toFixed(1)} s`);
  console.log(
    `baseline (${engine === 'sqlite' ? 'prepared upsert, one transaction' : 'COPY via psql'}): ${(baseMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `ratio renkei / baseline (wall): ${(oursMs / baseMs).toFixed(2)} (goal ≤ 2); without canonicalisation: ${((oursMs - canonMs) / baseMs).toFixed(2)}`,
  );
  if (baseCpu !== null)
    console.log(
      `ratio renkei / baseline (CPU time): ${(oursCpu / baseCpu).toFixed(2)} (baseline CPU ${(baseCpu / 1000).toFixed(1)} s)`,
    );
} finally {
  await p.db.close();
  await tdb.drop();
}
