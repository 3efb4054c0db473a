// STIX import into our model (issue 9: "a 100 MB bundle imports with RSS under 300 MB"). Generates a bundle of
// indicators (one domain each, with a description so objects have a realistic size) in a temporary file, then in a
// child process imports it with importStixBundle (streaming read, schema + semantic validation, observables, kept
// objects, one transaction) on a fresh SQLite database, and in another child reads it the naive way
// (`JSON.parse(readFileSync(file))`, no database) as the baseline. Prints seconds, objects/s and peak RSS of each.
//
//   npm run bench sharing-stix-import      (quick: 20 MB)
//   npx tsx bench/sharing-stix-import.bench.ts --mb 100 [--heap 128]
//
// --heap N runs the import child with --max-old-space-size=N (what NODE_OPTIONS would give the CLI): most of the
// default run's RSS is garbage V8 has not collected yet, not data the import keeps.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '20' },
    /** V8 old-space limit (MB) for the import child, as an operator would set with NODE_OPTIONS. */
    heap: { type: 'string' },
    child: { type: 'string' },
    file: { type: 'string' },
  },
});

async function child(mode: string, file: string): Promise<void> {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  let count = 0;
  if (mode === 'import') {
    const { default: pino } = await import('pino');
    const { loadConfig } = await import('../apps/server/src/platform/config.ts');
    const { openPlatform } = await import('../apps/server/src/platform/open.ts');
    const { createTestDatabase } = await import('../apps/server/src/testing/testDatabase.ts');
    const { importStixBundle } = await import('../apps/server/src/modules/sharing/stixImport.ts');
    const tdb = await createTestDatabase('sqlite');
    const config = loadConfig(
      { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
      tdb.dataDir,
    );
    const p = await openPlatform(config, { log: pino({ level: 'silent' }) });
    const t1 = performance.now();
    const r = await importStixBundle(p, null, createReadStream(file), { name: 'bench' }, null);
    count = r.objects;
    const seconds = (performance.now() - t1) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    await p.db.close();
    await tdb.drop();
    console.log(JSON.stringify({ count, observables: r.observables, seconds, peakRssMb: peak / 2 ** 20 }));
    return;
  }
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { objects: unknown[] };
  peak = Math.max(peak, process.memoryUsage().rss);
  count = bundle.objects.length;
  clearInterval(timer);
  console.log(JSON.stringify({ count, seconds: (performance.now() - t0) / 1000, peakRssMb: peak / 2 ** 20 }));
}

async function generate(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r)));
  await write('{"type":"bundle","id":"bundle--0c8d4e5a-9b1f-4f3a-8e2d-000000000000","objects":[');
  let written = 0;
  let n = 0;
  const pad = 'フィッシングサイト（金融機関を装う）。'.repeat(8);
  while (written < bytes) {
    const hex = n.toString(16).padStart(12, '0');
    const o = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--6b1d7c51-3a5e-4c55-9a43-${hex}`,
      created: '2026-03-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
      name: `phishing domain ${n}`,
      description: pad,
      indicator_types: ['malicious-activity'],
      pattern: `[domain-name:value = 'login-${hex}.phish-bench.example.com']`,
      pattern_type: 'stix',
      valid_from: '2026-03-01T00:00:00Z',
      object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
    };
    const text = `${n === 0 ? '' : ','}${JSON.stringify(o)}`;
    written += Buffer.byteLength(text);
    await write(text);
    n++;
  }
  await write(']}');
  out.end();
  await finished(out);
  return n;
}

if (values.child && values.file) {
  await child(values.child, values.file);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-stix-import-'));
  const file = join(dir, 'bundle.json');
  try {
    const n = await generate(file, Number(values.mb) * 1024 * 1024);
    const mb = statSync(file).size / 2 ** 20;
    console.log(
      `bundle: ${mb.toFixed(1)} MB, ${n} indicators${values.heap ? `, import heap limit ${values.heap} MB` : ''}`,
    );
    const run = (mode: string) => {
      const r = spawnSync(
        process.execPath,
        [
          ...(values.heap && mode === 'import' ? [`--max-old-space-size=${Number(values.heap)}`] : []),
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--child',
          mode,
          '--file',
          file,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { count: number; seconds: number; peakRssMb: number };
    };
    const imp = run('import');
    const base = run('parse');
    console.log(
      `import (stream, validate, store, observables): ${imp.count} objects in ${imp.seconds.toFixed(1)} s ` +
        `(${Math.round(imp.count / imp.seconds)} objects/s), peak RSS ${imp.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `baseline JSON.parse of the whole file (no database): ${base.seconds.toFixed(1)} s, peak RSS ${base.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `RSS ratio import/baseline: ${(imp.peakRssMb / base.peakRssMb).toFixed(2)}; goal: import peak RSS < 300 MB → ${
        imp.peakRssMb < 300 ? 'met' : 'MISSED'
      }`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
