// Streaming STIX bundle read (issue 9: "a 100 MB bundle imports with RSS under 300 MB"). Generates a bundle of
// indicators in a temporary file, then reads it with readStixBundle (packages/core/src/stix/stream.ts) in one child
// process and with a baseline `JSON.parse(readFileSync(file))` in another, and prints MB/s and peak RSS of each.
//
//   npm run bench stix-stream        (or: npx tsx bench/stix-stream.bench.ts [--mb 100] [--validate])
//
// --validate also runs validateStixObject (schemas + semantic rules + pattern parse) on every object.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateStixObject } from '../packages/core/src/stix/semantic.ts';
import { readStixBundle } from '../packages/core/src/stix/stream.ts';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '100' },
    validate: { type: 'boolean', default: false },
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
  let issues = 0;
  if (mode === 'stream') {
    const { objects } = readStixBundle(createReadStream(file));
    for await (const item of objects()) {
      count++;
      if (values.validate) issues += validateStixObject(item.object).length;
      if (count % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
  } else {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { objects: unknown[] };
    peak = Math.max(peak, process.memoryUsage().rss);
    count = bundle.objects.length;
  }
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ count, issues, seconds, peakRssMb: peak / 2 ** 20 }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stix-bench-'));
  const file = join(dir, 'bundle.json');
  const target = Number(values.mb) * 2 ** 20;
  const out = createWriteStream(file);
  out.write('{"type":"bundle","id":"bundle--56be2a3b-1534-4bef-8fe9-602926274089","objects":[');
  let written = 0;
  for (let i = 0; written < target; i++) {
    const hex = i.toString(16).padStart(12, '0');
    const text = `${i ? ',' : ''}${JSON.stringify({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--d81f86b9-975b-4c0b-875e-${hex}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `フィッシングサイト ${i}`,
      description: '偽のログインページ。'.repeat(20),
      indicator_types: ['malicious-activity'],
      pattern: `[url:value = 'https://phish-${i}.example.jp/login']`,
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    })}`;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end(']}');
  await finished(out);
  const mb = statSync(file).size / 2 ** 20;
  console.log(`bundle: ${mb.toFixed(1)} MB${values.validate ? ', validating every object' : ''}`);
  const self = fileURLToPath(import.meta.url);
  const tsx = join(self, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const results: Record<string, { count: number; issues: number; seconds: number; peakRssMb: number }> = {};
  for (const mode of ['stream', 'baseline']) {
    const args = [tsx, self, '--child', mode, '--file', file, ...(values.validate ? ['--validate'] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    results[mode] = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const x = results[mode]!;
    const label = mode === 'stream' ? 'readStixBundle (streaming)' : 'baseline JSON.parse(whole file)';
    console.log(
      `${label.padEnd(32)} ${x.count} objects, ${(mb / x.seconds).toFixed(1)} MB/s, peak RSS ${x.peakRssMb.toFixed(0)} MB${values.validate && mode === 'stream' ? `, ${x.issues} issues` : ''}`,
    );
  }
  console.log(
    `ratio peak RSS stream / baseline: ${(results.stream!.peakRssMb / results.baseline!.peakRssMb).toFixed(2)}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

if (values.child) await child(values.child, values.file!);
else await main();
