/**
 * TAXII 2.1 paging (issue 10): one collection filled with N objects for one partner (set-based inserts straight
 * into taxii_objects, the columns addObjects writes, strictly increasing added_us), the real app on loopback, a
 * partner walking GET /taxii2/renkei/collections/:id/objects/?limit=1000 following `next`, and a deep page
 * (added_after = date_added of the object at 90 %) asked repeatedly. Baseline, side by side: a bare Fastify server
 * answering a pre-built page of the same 1000 objects. Prints pages/s and p99 for both and the ratio (goal ≥ 0.5).
 *
 * Both servers get the same warm-up (20 requests each) before anything is timed: the first requests of a process
 * compile its code, which otherwise fell on the app's first walk and not on the baseline measured after it. Each run
 * also reports the CPU time of this process per page (server and client share it; PostgreSQL's own is not in it).
 *
 *   npx tsx bench/taxii-pages.bench.ts [--engine sqlite|postgres] [--objects 1000000] [--pages 0] [--deep 50] [--limit 1000]
 *     [--posted 0]   (--posted P: P more objects as posted by a partner, audience '*', added after the N; they count
 *                    in --objects' pages and deep page, which are computed over N + P)
 *   (--pages 0 walks every page; PostgreSQL: RENKEI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../apps/server/src/app.ts';
import { createPartner, createPartnerToken } from '../apps/server/src/modules/sharing/partners.ts';
import { createCollection, grantCollection } from '../apps/server/src/modules/sharing/taxii/collections.ts';
import { TAXII_MEDIA } from '../apps/server/src/modules/sharing/taxii/server.ts';
import { fromMicros } from '../apps/server/src/modules/sharing/taxii/time.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';
import { createTestDatabase } from '../apps/server/src/testing/testDatabase.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    objects: { type: 'string', default: '1000000' },
    pages: { type: 'string', default: '0' },
    deep: { type: 'string', default: '50' },
    limit: { type: 'string', default: '1000' },
    posted: { type: 'string', default: '0' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
process.env.RENKEI_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(values.objects);
const maxPages = Number(values.pages);
const deepRuns = Number(values.deep);
const LIMIT = Number(values.limit);
const POSTED_N = Number(values.posted);
const TOTAL = N + POSTED_N;
const BASE_US = Date.parse('2026-01-01T00:00:00Z') * 1000;

function stixObject(i: number) {
  const ts = fromMicros(BASE_US - 86_400_000_000 + i * 1000).replace(/\d{3}Z$/, 'Z');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
    created: ts,
    modified: ts,
    name: `フィッシングサイト ${i}`,
    pattern: `[domain-name:value = 'phish-${i}.example']`,
    pattern_type: 'stix',
    valid_from: ts,
    indicator_types: ['malicious-activity'],
    object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

interface Run {
  pages: number;
  objects: number;
  seconds: number;
  pagesPerSecond: number;
  p99ms: number;
  cpuMsPerPage: number;
}

/** Sequential GETs: `next(i, previousBody)` gives the next URL or null to stop. */
async function walk(
  headers: Record<string, string>,
  next: (i: number, prev: { next?: string; objects?: unknown[] } | null) => string | null,
): Promise<Run> {
  const lat: number[] = [];
  let objects = 0;
  let prev: { next?: string; objects?: unknown[] } | null = null;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; ; i++) {
    const url = next(i, prev);
    if (!url) break;
    const s = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { next?: string; objects?: unknown[] };
    lat.push(performance.now() - s);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    objects += body.objects?.length ?? 0;
    prev = body;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  lat.sort((a, b) => a - b);
  return {
    pages: lat.length,
    objects,
    seconds: r1(seconds),
    pagesPerSecond: r1(lat.length / seconds),
    p99ms: r1(percentile(lat, 99)),
    cpuMsPerPage: r1((cpu.user + cpu.system) / 1000 / Math.max(1, lat.length)),
  };
}

async function main() {
  const tdb = await createTestDatabase(engine);
  const config = loadConfig(
    { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
    tdb.dataDir,
  );
  const platform = await openPlatform(config, { log: pino({ level: 'silent' }) });
  const app = await buildApp(platform, { logger: false, serveWeb: false });
  const bare = Fastify({ logger: false });
  try {
    const partner = await createPartner(
      platform,
      null,
      { name: '宮城県警察', kind: 'prefecture', tlpMax: 'amber', official: true, agreement: '', contacts: [] },
      null,
    );
    const { token } = await createPartnerToken(platform, null, partner.id, { name: 'bench', expiresInDays: 30 }, null);
    const col = await createCollection(platform, null, { title: 'ベンチマーク' }, null);
    await grantCollection(platform, null, col.id, { id: partner.id }, { read: true, write: false }, null);

    // Fill: batches of multi-row INSERTs in one transaction per 50,000 rows.
    const t0 = performance.now();
    const BATCH = 500;
    for (let start = 0; start < TOTAL; start += 50_000) {
      await platform.db.db.transaction().execute(async (trx) => {
        for (let b = start; b < Math.min(TOTAL, start + 50_000); b += BATCH) {
          const rows = [];
          for (let i = b; i < Math.min(TOTAL, b + BATCH); i++) {
            const o = stixObject(i);
            const addedUs = BASE_US + i;
            rows.push({
              collection_id: col.id,
              audience: i < N ? partner.id : '*',
              stix_id: o.id,
              type: o.type,
              version: o.modified,
              version_us: BASE_US - 86_400_000_000 + i * 1000,
              spec_version: '2.1',
              date_added: fromMicros(addedUs),
              added_us: addedUs,
              tlp: 'green',
              confidentiality: 1,
              posted_by: i < N ? null : partner.id,
              run_id: null,
              body: JSON.stringify(o),
            });
          }
          await trx.insertInto('taxii_objects').values(rows).execute();
        }
      });
    }
    await platform.db.db
      .updateTable('taxii_collections')
      .set({ last_added_us: BASE_US + TOTAL - 1 })
      .where('id', '=', col.id)
      .execute();
    // What autovacuum/analyze would have done after a bulk load: planner statistics (both engines know ANALYZE).
    await sql`analyze taxii_objects`.execute(platform.db.db);
    const fillSeconds = r1((performance.now() - t0) / 1000);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const base = `http://127.0.0.1:${port}/taxii2/renkei/collections/${col.id}/objects/?limit=${LIMIT}`;

    const page = JSON.stringify({
      more: true,
      next: String(BASE_US + LIMIT - 1),
      objects: Array.from({ length: Math.min(LIMIT, N) }, (_, i) => stixObject(i)),
    });
    bare.get('/objects/', async (_req, reply) => reply.header('content-type', TAXII_MEDIA).send(page));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const baddr = bare.server.address();
    const bareUrl = `http://127.0.0.1:${typeof baddr === 'object' && baddr ? baddr.port : 0}/objects/`;

    const headers = { authorization: `Bearer ${token}`, accept: TAXII_MEDIA };
    // Warm-up, the same for both servers (not timed): a first page of the app, a deep page, the baseline.
    const deepAt = encodeURIComponent(fromMicros(BASE_US + Math.floor(TOTAL * 0.9) - 1));
    await walk(headers, (i) => (i < 10 ? base : i < 20 ? `${base}&added_after=${deepAt}` : null));
    await walk(headers, (i) => (i < 20 ? bareUrl : null));
    const total = Math.ceil(TOTAL / LIMIT);
    const pagesToWalk = maxPages > 0 ? Math.min(maxPages, total) : total;
    const walkRun = await walk(headers, (i, prev) => {
      if (i >= pagesToWalk) return null;
      if (i === 0) return base;
      return prev?.next ? `${base}&next=${prev.next}` : null;
    });
    const bareWalk = await walk(headers, (i) => (i < walkRun.pages ? bareUrl : null));
    const deepRun = await walk(headers, (i) => (i < deepRuns ? `${base}&added_after=${deepAt}` : null));
    const bareDeep = await walk(headers, (i) => (i < deepRuns ? bareUrl : null));
    console.log(
      JSON.stringify(
        {
          engine,
          objects: N,
          posted: POSTED_N,
          fillSeconds,
          walk: walkRun,
          bareWalk,
          walkRatio: Math.round((walkRun.pagesPerSecond / bareWalk.pagesPerSecond) * 100) / 100,
          deep: deepRun,
          bareDeep,
          deepRatio: Math.round((deepRun.pagesPerSecond / bareDeep.pagesPerSecond) * 100) / 100,
        },
        null,
        2,
      ),
    );
  } finally {
    await bare.close();
    await app.close();
    await platform.db.close();
    await tdb.drop();
  }
}

await main();
