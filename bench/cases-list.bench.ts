/**
 * Case lists at scale (issue 7 §9): N cases (goal 200,000) and 10 timeline entries each (goal 2,000,000), three
 * members per case over 1,000 people. Measured through the real service (`listCases`: need-to-know filter, keyset
 * order, Japanese search over cases and timelines), p95 over repeated calls (goal < 150 ms on both engines):
 *   - first page (50) of an ordinary member (~0.3 % of cases) and of a heavy member (5 % of cases), next page;
 *   - search for a rare term (one timeline entry) and a common term (5 % of cases), as the heavy member.
 * Baseline printed beside each: the same page without the need-to-know filter (list) and an unindexed LIKE scan
 * over titles and timelines (search).
 *
 *   npx tsx bench/cases-list.bench.ts [--engine sqlite|postgres] [--cases 200000] [--per 10] [--runs 60]
 */
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pino from 'pino';
import { listCases } from '../apps/server/src/modules/cases/service.ts';
import type { Subject } from '../apps/server/src/platform/auth/subject.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    cases: { type: 'string', default: '20000' },
    per: { type: 'string', default: '10' },
    runs: { type: 'string', default: '60' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(values.cases);
const PER = Number(values.per);
const RUNS = Number(values.runs);
const pg = engine === 'postgres';

const tdb = await createTestDatabase(engine);
const config = loadConfig(
  { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
  tdb.dataDir,
);
const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
const k = p.db.db as unknown as Kysely<unknown>;
const uuid = (col: string) =>
  pg
    ? `lpad(to_hex(${col}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${col}), 12, '0')`
    : `printf('%08x-0000-4000-8000-%012x', ${col}, ${col})`;
const series = (n: number, body: string) =>
  pg
    ? `with s(n) as (select generate_series(1, ${n})) ${body}`
    : `with recursive s(n) as (select 1 union all select n + 1 from s where n < ${n}) ${body}`;
const iso = (secExpr: string) =>
  pg
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

try {
  const t0 = performance.now();
  await sql`create table bench_words (i integer primary key, w text not null)`.execute(k);
  for (const [i, w] of WORDS.entries()) await sql`insert into bench_words values (${i}, ${w})`.execute(k);
  await sql
    .raw(
      series(
        N,
        `insert into cases (id, case_number, number_year, number_seq, title, summary, type, classification_code,
          lead_unit_id, status, stage, confidentiality, handling, tlp, recognised_on, cleared_on, referred_on, closed_at,
          created_by, created_at, updated_at)
         select ${uuid('n')}, '令和8年サ対第' || n || '号', 2026, n,
           ${pick('n')} || 'による' || ${pick('n / 20')} || '事件（' || n || '）',
           '被害者から' || ${pick('n / 7')} || 'の相談があり捜査中。', 'cyber_crime', 'net.fraud', 'unit-' || (n % 50),
           case when n % 5 = 0 then 'closed' else 'open' end,
           case when n % 4 = 0 then 'cleared' else 'investigating' end, 2, '[]', 'amber', '2026-01-01', null, null, null,
           'u1', ${iso('n * 600')}, ${iso('n * 600')} from s`,
      ),
    )
    .execute(k);
  await sql
    .raw(
      series(
        N,
        `insert into case_members (case_id, user_id, role, added_by, added_at, via, reason)
         select ${uuid('n')}, 'u' || (n % 1000), 'lead', 'u1', '2026-01-01', 'creator', null from s
         union all select ${uuid('n')}, 'u' || ((n * 7 + 1) % 1000), 'member', 'u1', '2026-01-01', 'lead', null from s
           where (n * 7 + 1) % 1000 <> n % 1000
         union all select ${uuid('n')}, 'heavy', 'member', 'u1', '2026-01-01', 'lead', null from s where n % 20 = 0`,
      ),
    )
    .execute(k);
  // Timeline: PER entries per case; one rare marker in one entry.
  await sql
    .raw(
      series(
        N * PER,
        `insert into case_timeline (id, case_id, at, kind, body, author_id, created_at)
         select ${uuid(`n + ${N * 10}`)}, ${uuid(`1 + (n - 1) / ${PER}`)}, ${iso('n * 60')}, 'note',
           '関係先から' || ${pick('n / 3')} || 'に関する資料の提出を受けた。照会番号' || n, 'u1', ${iso('n * 60')} from s`,
      ),
    )
    .execute(k);
  if (pg) await sql`vacuum analyze`.execute(k);
  else await sql`analyze`.execute(k);
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
  const p95 = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn();
    const lat: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = performance.now();
      await fn();
      lat.push(performance.now() - a);
    }
    lat.sort((x, y) => x - y);
    return lat[Math.min(lat.length - 1, Math.floor(RUNS * 0.95))]!;
  };
  const ordinary = subject('u42');
  const heavy = subject('heavy');
  // An entry of case N/2 (a multiple of 20 when N is a multiple of 40: the heavy member's).
  const rare = `照会番号${(N / 2 - 1) * PER + 1}`;
  const common = WORDS[3]!;
  const unfiltered = () =>
    sql`select id, case_number, title from cases order by updated_at desc, id desc limit 51`.execute(k);
  const likeScan = (q: string) =>
    sql`select id from cases where title like ${`%${q}%`} or id in (select case_id from case_timeline where body like ${`%${q}%`})
        order by updated_at desc, id desc limit 51`.execute(k);

  const rows: [string, number, number | null][] = [];
  const firstOrdinary = await listCases(p, ordinary, {});
  const firstHeavy = await listCases(p, heavy, {});
  rows.push([
    'first page, ordinary member (0.3 %)',
    await p95(() => listCases(p, ordinary, {})),
    await p95(unfiltered),
  ]);
  rows.push(['first page, heavy member (5 %)', await p95(() => listCases(p, heavy, {})), null]);
  const cursor = firstHeavy.nextCursor ?? undefined;
  rows.push(['next page, heavy member', await p95(() => listCases(p, heavy, { cursor })), null]);
  const rareHits = await listCases(p, heavy, { q: rare });
  const commonHits = await listCases(p, heavy, { q: common });
  rows.push([
    `search rare "${rare}"`,
    await p95(() => listCases(p, heavy, { q: rare })),
    await p95(() => likeScan(rare)),
  ]);
  rows.push([
    `search common "${common}"`,
    await p95(() => listCases(p, heavy, { q: common })),
    await p95(() => likeScan(common)),
  ]);
  rows.push([`search common, ordinary member`, await p95(() => listCases(p, ordinary, { q: common })), null]);

  const counts = await sql<{
    c: number;
    t: number;
  }>`select (select count(*) from cases) as c, (select count(*) from case_timeline) as t`.execute(k);
  console.log(
    `engine=${engine} cases=${counts.rows[0]!.c} timeline=${counts.rows[0]!.t} runs=${RUNS}; load ${loadS.toFixed(0)} s; ` +
      `pages: ordinary ${firstOrdinary.items.length}, heavy ${firstHeavy.items.length}; hits: rare ${rareHits.items.length}, common ${commonHits.items.length}`,
  );
  for (const [name, ms, base] of rows) {
    const ratio = base === null ? '' : ` | baseline ${base.toFixed(1)} ms → ratio ${(ms / base).toFixed(2)}`;
    console.log(`${name}: p95 ${ms.toFixed(1)} ms (goal < 150)${ratio}`);
  }
} finally {
  await p.db.close();
  await tdb.drop();
}
