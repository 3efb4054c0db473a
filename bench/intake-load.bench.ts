/**
 * Public report form under load (issue 6): a fixed arrival rate of JSON submissions to POST /api/public/reports
 * on loopback (open model: requests are sent on schedule whether or not earlier ones have answered), then the
 * stored reports are counted. Prints p50/p99/max latency, errors and lost reports. autocannon is not installed,
 * so the load generator is a small fetch loop with a fixed schedule.
 *
 *   npx tsx bench/intake-load.bench.ts [--engine sqlite|postgres] [--rate 100] [--seconds 10]
 *   Full run as recorded in docs/BENCHMARKS.md: --rate 100 --seconds 60 (both engines).
 *   (PostgreSQL: RENKEI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    target: { type: 'string' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
// Every request comes from 127.0.0.1: the per-address limit is lifted for the benchmark (docs/OPERATIONS.md).
process.env.RENKEI_PUBLIC_REPORT_RATE = '1000000';
const rate = Number(values.rate);
const seconds = Number(values.seconds);

const TEMPLATES = [
  (i: number) =>
    `お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください hxxps://parcel-${i % 97}[.]example/${i} というSMSが届きました。`,
  (i: number) => `フリマアプリで商品${i}を購入して代金を支払ったが届かない。出品者に連絡しても返事がない。`,
  (i: number) => `SNSで知り合った人に投資を勧められ、${(i % 50) + 1}0万円を振り込んだが出金できない。`,
  (i: number) =>
    `アカウントに見覚えのないログインがあり、パスワードを変えられてしまった。通知メールの送信元は no-reply${i}@mail.example だった。`,
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface LoadResult {
  sent: number;
  created: number;
  elapsed: number;
  latencies: number[];
  statuses: Record<string, number>;
}

/** The load generator, in a child process so that it does not share the server's event loop. */
async function generate(url: string): Promise<LoadResult> {
  {
    const total = rate * seconds;
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let created = 0;
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = JSON.stringify({
        kind: 'report',
        reporterType: i % 3 === 0 ? 'anonymous' : 'individual',
        ...(i % 3 === 0
          ? {}
          : { contact: { name: `見本${i}`, phone: `090-0000-${String(i % 10000).padStart(4, '0')}` } }),
        narrative: TEMPLATES[i % TEMPLATES.length]!(i),
      });
      inflight.push(
        (async () => {
          const t0 = performance.now();
          let status = 0;
          try {
            const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            status = res.status;
            await res.arrayBuffer();
          } catch {
            status = -1;
          }
          latencies.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 201) created++;
        })(),
      );
    }
    await Promise.all(inflight);
    return { sent: total, created, elapsed: (performance.now() - start) / 1000, latencies, statuses };
  }
}

async function main() {
  const tdb = await createTestDatabase(engine);
  const config = loadConfig(
    { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
    tdb.dataDir,
  );
  const platform = await openPlatform(config, { log: pino({ level: 'silent' }) });
  const app = await buildApp(platform, { logger: false, serveWeb: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/api/public/reports`;
  try {
    // warm-up: the category model is trained from the shipped set on first use
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'report', reporterType: 'anonymous', narrative: 'ウォームアップ' }),
    });
    const child = spawn(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--target', url, '--rate', String(rate), '--seconds', String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise((resolve) => child.on('close', resolve));
    const { sent: total, created, elapsed, statuses, latencies } = JSON.parse(out) as LoadResult;
    const stored =
      Number(
        (
          await platform.db.db
            .selectFrom('intake_reports')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ) - 1; // minus the warm-up
    latencies.sort((a, b) => a - b);
    const errors = total - created;
    console.log(
      JSON.stringify(
        {
          engine,
          rate,
          seconds,
          sent: total,
          elapsedSeconds: Math.round(elapsed * 10) / 10,
          achievedRate: Math.round((total / elapsed) * 10) / 10,
          created,
          stored,
          lost: created - stored,
          errors,
          statuses,
          p50ms: Math.round(percentile(latencies, 50) * 10) / 10,
          p99ms: Math.round(percentile(latencies, 99) * 10) / 10,
          maxms: Math.round((latencies.at(-1) ?? Number.NaN) * 10) / 10,
        },
        null,
        2,
      ),
    );
    if (errors > 0 || created !== stored) process.exitCode = 1;
  } finally {
    await app.close();
    await platform.db.close();
    await tdb.drop();
  }
}

if (values.target) process.stdout.write(JSON.stringify(await generate(values.target)));
else await main();
