/**
 * Case lists at scale (issue 7 §9): N cases (goal 200,000) and PER timeline entries each (goal 10 → 2,000,000),
 * members over 1,000 people. Measured through the real service (`listCases`: need-to-know join, keyset order,
 * Japanese search over cases and timelines), p50/p95 over repeated calls (goal p95 < 150 ms on both engines):
 *   - first page (50) of an ordinary member (~0.2 % of cases), a heavy member (5 %) and a wide member (20 %); filters;
 *     next page;
 *   - search for a rare term (one timeline entry), a common term (in ~15 % of cases), a two-character term (rare and
 *     common), as the heavy, ordinary and wide members.
 * Baseline run side by side (alternating calls, so the shared machine's load hits both alike): a plain indexed
 * SELECT of the same member's first page (`case_members` range joined to `cases`, no service code, no search).
 * CPU: the bench process's CPU plus the PostgreSQL backends' (from /proc), per call (mean), since wall time on a
 * loaded machine includes waiting for a core.
 *
 *   npx tsx bench/cases-list.bench.ts [--engine sqlite|postgres] [--cases 200000] [--per 10] [--runs 60]
 *     [--keep <sqlite dir | postgres database>]   (reuse a loaded database across runs; it is not dropped)
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { listCases } from '../apps/server/src/modules/cases/service.ts';
import type { Subject } from '../apps/server/src/platform/auth/subject.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import {
  createCaseSearchIndex,
  dropCaseSearchIndex,
} from '../apps/server/src/platform/db/migrations/0016_case_search.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    cases: { type: 'string', default: '20000' },
    per: { type: 'string', default: '10' },
    runs: { type: 'string', default: '60' },
    keep: { type: 'string' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(values.cases);
const PER = Number(values.per);
const RUNS = Number(values.runs);
const pg_ = engine === 'postgres';

async function database() {
  if (!values.keep) return createTestDatabase(engine);
  if (!pg_) {
    mkdirSync(values.keep, { recursive: true });
    return { url: `sqlite:${join(values.keep, 'renkei.db')}`, dataDir: values.keep, drop: async () => {} };
  }
  const base = process.env.RENKEI_TEST_DATABASE_URL!;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const name = values.keep.replace(/[^a-z0-9_]/g, '');
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dataDir = `/tmp/renkei-bench-${name}`;
  mkdirSync(dataDir, { recursive: true });
  return { url: url.toString(), dataDir, drop: async () => {} };
}

const tdb = await database();
const config = loadConfig(
  { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
  tdb.dataDir,
);
const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
const k = p.db.db as unknown as Kysely<unknown>;
const uuid = (col: string) =>
  pg_
    ? `lpad(to_hex(${col}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${col}), 12, '0')`
    : `printf('%08x-0000-4000-8000-%012x', ${col}, ${col})`;
const series = (from: number, to: number, body: string) =>
  pg_
    ? `with s(n) as (select generate_series(${from}, ${to})) ${body}`
    : `with recursive s(n) as (select ${from} union all select n + 1 from s where n < ${to}) ${body}`;
const iso = (secExpr: string) =>
  pg_
    ? `to_char(timestamp '2020-01-01' + (${secExpr}) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', '2020-01-01', '+' || (${secExpr}) || ' seconds')`;
const WORDS = [
  'ランサムウェア',
  'フィッシング',
  '不正送金',
  '不正アクセス',
  'DDoS攻撃',
  '脅迫メール',
  '偽ショッピングサイト',
  'サポート詐欺',
  '名誉毀損',
  '児童ポルノ',
  '著作権侵害',
  'ストーカー',
  '暗号資産',
  'クレジットカード',
  '標的型メール',
  'ウイルス感染',
  '情報漏えい',
  'なりすまし',
  '架空請求',
  'オークション詐欺',
];
const pick = (expr: string) => `(select w from bench_words where i = (${expr}) % ${WORDS.length})`;
// Markers in one timeline entry of case N/2 (a multiple of 20 when N is a multiple of 40: the heavy member's).
const RARE_ENTRY = (N / 2 - 1) * PER + 1;
const RARE = `照会番号${RARE_ENTRY}`;
const RARE2 = '恐喝';

let indexS = 0;
async function load() {
  const have = await sql<{ c: number }>`select count(*) as c from cases`.execute(k);
  if (Number(have.rows[0]!.c) > 0) return false;
  if (!pg_) {
    // One writer, no readers while loading: a large page cache and no fsync per statement.
    await sql`pragma cache_size = -400000`.execute(k);
    await sql`pragma synchronous = off`.execute(k);
  }
  // Bulk load: the search documents are written by their triggers row by row; their trigram index is built once after.
  await dropCaseSearchIndex(k, engine);
  await sql`create table bench_words (i integer primary key, w text not null)`.execute(k);
  for (const [i, w] of WORDS.entries()) await sql`insert into bench_words values (${i}, ${w})`.execute(k);
  const step = 50_000;
  for (let a = 1; a <= N; a += step) {
    const b = Math.min(N, a + step - 1);
    await sql
      .raw(
        series(
          a,
          b,
          `insert into cases (id, case_number, number_year, number_seq, title, summary, type, classification_code,
          lead_unit_id, status, stage, confidentiality, handling, tlp, recognised_on, cleared_on, referred_on, closed_at,
          created_by, created_at, updated_at)
         select ${uuid('n')}, '令和8年サ対第' || n || '号', 2026, n,
           ${pick('n')} || 'による' || ${pick('n / 20')} || '事件（' || n || '）',
           '被害者から' || ${pick('n / 7')} || 'の相談があり捜査中。', 'cyber_crime',
           case when n % 3 = 0 then 'net.fraud' else 'comp.obstruct' end, 'unit-' || (n % 50),
           case when n % 5 = 0 then 'closed' else 'open' end,
           case when n % 4 = 0 then 'cleared' else 'investigating' end, 2, '[]', 'amber', '2026-01-01', null, null, null,
           'u1', ${iso('n * 600')}, ${iso('n * 600')} from s`,
        ),
      )
      .execute(k);
    await sql
      .raw(
        series(
          a,
          b,
          `insert into case_members (case_id, user_id, role, added_by, added_at, via, reason)
         select ${uuid('n')}, 'u' || (n % 1000), 'lead', 'u1', '2026-01-01', 'creator', null from s
         union all select ${uuid('n')}, 'u' || ((n * 7 + 1) % 1000), 'member', 'u1', '2026-01-01', 'lead', null from s
           where (n * 7 + 1) % 1000 <> n % 1000
         union all select ${uuid('n')}, 'heavy', 'member', 'u1', '2026-01-01', 'lead', null from s where n % 20 = 0
         union all select ${uuid('n')}, 'wide', 'member', 'u1', '2026-01-01', 'lead', null from s where n % 5 = 0`,
        ),
      )
      .execute(k);
  }
  // Timeline: PER entries per case, in slices of one statement each (each its own transaction).
  for (let a = 1; a <= N * PER; a += step * PER) {
    const b = Math.min(N * PER, a + step * PER - 1);
    await sql
      .raw(
        series(
          a,
          b,
          `insert into case_timeline (id, case_id, at, kind, body, author_id, created_at)
         select ${uuid(`n + ${N * 10}`)}, ${uuid(`1 + (n - 1) / ${PER}`)}, ${iso('n * 60')}, 'note',
           '関係先から' || ${pick('n / 3')} || 'に関する資料の提出を受けた。照会番号' || n
             || case when n = ${RARE_ENTRY} then '（${RARE}）${RARE2}' else '' end, 'u1', ${iso('n * 60')} from s`,
        ),
      )
      .execute(k);
    process.stderr.write(`timeline ${b}/${N * PER}\n`);
  }
  const t1 = performance.now();
  await createCaseSearchIndex(k, engine);
  indexS = (performance.now() - t1) / 1000;
  if (pg_) await sql`vacuum analyze`.execute(k);
  else await sql`analyze`.execute(k);
  return true;
}

/** CPU seconds of this process plus PostgreSQL backends of the bench database (from /proc; Linux ticks of 10 ms). */
async function cpuNow(): Promise<number> {
  const u = process.cpuUsage();
  let s = (u.user + u.system) / 1e6;
  if (pg_) {
    const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(
      k,
    );
    for (const { pid } of r.rows) {
      const f = `/proc/${pid}/stat`;
      if (!existsSync(f)) continue;
      const parts = readFileSync(f, 'utf8').split(') ')[1]!.split(' ');
      s += (Number(parts[11]) + Number(parts[12])) / 100;
    }
  }
  return s;
}

try {
  const t0 = performance.now();
  const loaded = await load();
  const loadS = (performance.now() - t0) / 1000;

  const subject = (userId: string): Subject => ({
    userId,
    login: userId,
    name: userId,
    unitId: 'unit-1',
    unitPath: ['unit-1'],
    positionRank: null,
    isUnitHead: false,
    roles: new Set(['investigator']),
    groups: new Set(),
    clearance: 2,
    via: 'session',
    tokenId: null,
  });
  const ordinary = subject('u42');
  const heavy = subject('heavy');
  const wide = subject('wide');
  // The plain indexed SELECT of a member's first page: the floor any list or search of his cases stands on.
  const plain = (u: string) => () =>
    sql`select c.id, c.case_number, c.title, c.status, c.updated_at from case_members lm join cases c on c.id = lm.case_id
        where lm.user_id = ${u} and c.confidentiality <= 2
        order by lm.case_updated_at desc, lm.case_id desc limit 51`.execute(k);
  const quantile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  /** Runs the measured call and the baseline alternately; p50/p95 of each, and mean CPU per measured call. */
  const measure = async (fn: () => Promise<unknown>, base: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) {
      await fn();
      await base();
    }
    const lat: number[] = [];
    const bl: number[] = [];
    let cpu = 0;
    for (let i = 0; i < RUNS; i++) {
      const c0 = await cpuNow();
      const a = performance.now();
      await fn();
      lat.push(performance.now() - a);
      cpu += (await cpuNow()) - c0;
      const b = performance.now();
      await base();
      bl.push(performance.now() - b);
    }
    lat.sort((x, y) => x - y);
    bl.sort((x, y) => x - y);
    return {
      p50: quantile(lat, 0.5),
      p95: quantile(lat, 0.95),
      b50: quantile(bl, 0.5),
      b95: quantile(bl, 0.95),
      cpu: (cpu / RUNS) * 1000,
    };
  };

  const counts = await sql<{ c: number; t: number }>`select (select count(*) from cases) as c,
    (select count(*) from case_timeline) as t`.execute(k);
  const firstHeavy = await listCases(p, heavy, {});
  const cursor = firstHeavy.nextCursor ?? undefined;
  const cases: [string, Subject, Parameters<typeof listCases>[2]][] = [
    ['list: first page, ordinary member (0.2 %)', ordinary, {}],
    ['list: first page, heavy member (5 %)', heavy, {}],
    ['list: first page, wide member (20 %)', wide, {}],
    ['list: next page, heavy member', heavy, { cursor }],
    ['list: filter status=closed, heavy', heavy, { status: 'closed' }],
    ['list: filter stage+classification, heavy', heavy, { stage: 'cleared', classification: 'net' }],
    [`search rare "${RARE}", heavy`, heavy, { q: RARE }],
    [`search rare "${RARE}", wide`, wide, { q: RARE }],
    [`search rare 2-char "${RARE2}", heavy`, heavy, { q: RARE2 }],
    [`search rare 2-char "${RARE2}", ordinary (u0)`, subject('u0'), { q: RARE2 }],
    [`search rare "${RARE}", ordinary (u0)`, subject('u0'), { q: RARE }],
    [`search common "${WORDS[3]}", heavy`, heavy, { q: WORDS[3] }],
    [`search common "${WORDS[3]}", ordinary`, ordinary, { q: WORDS[3] }],
    [`search common 2-char "詐欺", heavy`, heavy, { q: '詐欺' }],
    [`search common "${WORDS[3]}" next page, heavy`, heavy, { q: WORDS[3], cursor: 'NEXT' }],
    [`search no hit "該当なし語", heavy`, heavy, { q: '該当なし語' }],
  ];
  const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `engine=${engine} cases=${counts.rows[0]!.c} timeline=${counts.rows[0]!.t} runs=${RUNS}; ` +
      `load ${loaded ? `${loadS.toFixed(0)} s (trigram index ${indexS.toFixed(0)} s)` : 'reused'}; loadavg before ${load1}`,
  );
  for (const [name, who, f] of cases) {
    let filter = f;
    if (f.cursor === 'NEXT') filter = { ...f, cursor: (await listCases(p, who, { q: f.q })).nextCursor ?? undefined };
    const first = await listCases(p, who, filter);
    const m = await measure(() => listCases(p, who, filter), plain(who.userId));
    let follow = '';
    if ('partial' in first) {
      // A short page (the walk's budget): follow the cursor to the end, as a client would.
      const a = performance.now();
      let pages = 1;
      let hits = first.items.length;
      let next = first.nextCursor ?? undefined;
      while (next) {
        const r = await listCases(p, who, { ...filter, cursor: next });
        pages++;
        hits += r.items.length;
        next = r.nextCursor ?? undefined;
      }
      follow = ` [first page partial; ${pages} requests to the end, ${hits} hits, ${(performance.now() - a).toFixed(0)} ms in all]`;
    }
    console.log(
      `${name}: ${first.items.length} rows${follow}; p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms (goal < 150); ` +
        `CPU ${m.cpu.toFixed(1)} ms/call | baseline p50 ${m.b50.toFixed(1)}, p95 ${m.b95.toFixed(1)} ms → ` +
        `ratio p95 ${(m.p95 / m.b95).toFixed(1)}`,
    );
  }
  console.log(`loadavg after ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
} finally {
  await p.db.close();
  await tdb.drop();
}
