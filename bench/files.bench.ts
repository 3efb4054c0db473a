// File store benchmark: one large file in and out of the encrypted store, with peak RSS, against a plain
// fs stream copy of the same file as the baseline (the ratio is store time / copy time).
//
//   npx tsx bench/files.bench.ts --size 4G [--dir /path/with/space] [--keep]
//
// Needs about 4× --size of free disk (source, baseline copy, blob, read-back copy). Results: docs/BENCHMARKS.md.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pino from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { fileStoreFor } from '../apps/server/src/platform/files/index.ts';
import { openPlatform } from '../apps/server/src/platform/open.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--size must look like 512M or 4G, got ${text}`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(m[1]) * unit);
}

const size = parseSize(arg('size') ?? '256M');
const root = join(arg('dir') ?? tmpdir(), `renkei-bench-files-${process.pid}`);
const keep = process.argv.includes('--keep');
const MiB = 1024 * 1024;

/** Peak RSS seen while `fn` runs (sampled every 20 ms), and its wall time. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

/** Pseudo-random content generated chunk by chunk (no two MiB equal), hashed on the way. */
function source(bytes: number, hash: ReturnType<typeof createHash>): Readable {
  const block = randomBytes(MiB);
  let left = bytes;
  let n = 0;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const part = Buffer.from(block.subarray(0, Math.min(MiB, left)));
      part.writeUInt32BE(n++, 0);
      left -= part.length;
      hash.update(part);
      this.push(part);
    },
  });
}

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

const fmt = (n: number) => n.toFixed(1);
const mb = (bytes: number) => bytes / MiB;

async function main(): Promise<void> {
  mkdirSync(root, { recursive: true });
  const src = join(root, 'source.bin');
  const srcHash = createHash('sha256');
  process.stdout.write(`generating ${fmt(mb(size))} MiB in ${root} …\n`);
  await pipeline(source(size, srcHash), createWriteStream(src));
  const expected = srcHash.digest('hex');

  const config = loadConfig(
    { RENKEI_DATA_DIR: join(root, 'data'), RENKEI_DATABASE_URL: `sqlite:${join(root, 'data', 'renkei.db')}` },
    root,
  );
  const platform = await openPlatform(config, { log: pino({ level: 'silent' }) });
  const store = fileStoreFor(platform);
  try {
    const copy = await measure(() => pipeline(createReadStream(src), createWriteStream(join(root, 'copy.bin'))));
    rmSync(join(root, 'copy.bin'));

    const put = await measure(() =>
      store.put(createReadStream(src), { ownerType: 'bench', ownerId: 'bench', originalName: 'source.bin' }, null, {
        maxBytes: size,
      }),
    );
    const blobBytes = statSync(
      store.blobPath(
        (
          await platform.db.db
            .selectFrom('file_refs')
            .select('blob_id')
            .where('id', '=', put.value.id)
            .executeTakeFirstOrThrow()
        ).blob_id,
      ),
    ).size;

    const outHash = createHash('sha256');
    const get = await measure(async () => {
      const { stream } = await store.open(put.value.id);
      await pipeline(stream, hashing(outHash), createWriteStream(join(root, 'out.bin')));
    });
    const ok = outHash.digest('hex') === expected && put.value.sha256 === expected;
    rmSync(join(root, 'out.bin'));
    await store.release(put.value.id, null);

    const row = (name: string, m: { seconds: number; peakRss: number }) =>
      `| ${name} | ${fmt(m.seconds)} | ${fmt(mb(size) / m.seconds)} | ${(m.seconds / copy.seconds).toFixed(2)} | ${fmt(mb(m.peakRss))} |`;
    const lines = [
      `file store benchmark: ${fmt(mb(size))} MiB, chunk 64 KiB, node ${process.version}, ${new Date().toISOString()}`,
      '| phase | seconds | MiB/s | ratio vs fs copy | peak RSS MiB |',
      '| --- | --- | --- | --- | --- |',
      row('fs stream copy (baseline)', copy),
      row('store in (hash + sniff + encrypt + fsync)', put),
      row('store out (verify + decrypt)', get),
      `on-disk overhead: ${blobBytes - size} bytes (${((blobBytes / size - 1) * 100).toFixed(3)} %)`,
      `process peak RSS (getrusage): ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`,
      `read-back SHA-256 equals the source: ${ok}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    await platform.db.close();
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

await main();
