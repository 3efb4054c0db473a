/**
 * Hunting throughput (issue 8): `renkei hunt`'s matcher over a squid access log against N indicators, side by side
 * with `grep -F -f` (and `rg -F -f` when installed) given the same indicator strings on the same file. Each tool
 * runs as its own process; peak RSS is the child's maxRSS (ours) and GNU time's (grep, rg). Our time includes
 * building the index from the indicator file, as grep's includes building its automaton.
 *
 *   npx tsx bench/detection-hunt.bench.ts [--lines 200000] [--indicators 50000] [--dir /tmp/renkei-hunt-bench]
 *   full size: --lines 5000000 --indicators 1000000
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { huntStream } from '../apps/server/src/modules/detection/hunt.ts';
import { IndicatorIndex } from '../apps/server/src/modules/detection/matcher.ts';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    indicators: { type: 'string', default: '50000' },
    dir: { type: 'string', default: '/tmp/renkei-hunt-bench' },
    child: { type: 'boolean', default: false },
  },
});
const LINES = Number(values.lines);
const N = Number(values.indicators);
const dir = values.dir!;
const patterns = join(dir, `indicators-${N}.txt`);
const typed = join(dir, `indicators-${N}.tsv`);
const log = join(dir, `access-${LINES}-${N}.log`);

/** Deterministic pseudo-random numbers (mulberry32), so every run hunts the same file. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const word = (r: () => number, n: number) => {
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += abc[Math.floor(r() * abc.length)];
  return s;
};
const TLDS = ['xyz', 'top', 'shop', 'com', 'net', 'jp', 'info', 'online'];

interface Ind {
  type: 'domain' | 'url' | 'ipv4';
  value: string;
}
function indicator(r: () => number, i: number): Ind {
  const k = i % 10;
  if (k < 4) return { type: 'domain', value: `${word(r, 6 + (i % 7))}-${i.toString(36)}.${TLDS[i % TLDS.length]}` };
  if (k < 7)
    return {
      type: 'url',
      value: `http://${word(r, 8)}-${i.toString(36)}.${TLDS[i % TLDS.length]}/${word(r, 5)}/login.php`,
    };
  return {
    type: 'ipv4',
    value: `${11 + (i % 200)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
  };
}

async function write(path: string, gen: () => Generator<string>) {
  const out = createWriteStream(path);
  let buf = '';
  for (const s of gen()) {
    buf += s;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
}

async function prepare(): Promise<Ind[]> {
  mkdirSync(dir, { recursive: true });
  const r = rng(8);
  const inds: Ind[] = Array.from({ length: N }, (_, i) => indicator(r, i));
  if (!existsSync(patterns)) {
    await write(patterns, function* () {
      for (const x of inds) yield `${x.value}\n`;
    });
    await write(typed, function* () {
      for (const x of inds) yield `${x.type}\t${x.value}\n`;
    });
  }
  if (!existsSync(log)) {
    const lr = rng(42);
    await write(log, function* () {
      const t0 = 1_764_115_200;
      for (let i = 0; i < LINES; i++) {
        const client = `10.${i % 200}.${(i >> 8) % 256}.${i % 251}`;
        // About one line in 200 talks to a listed indicator.
        let url: string;
        let peer: string;
        if (lr() < 0.005) {
          const x = inds[Math.floor(lr() * inds.length)]!;
          url = x.type === 'url' ? x.value : `http://${x.value}/index.html`;
          peer = x.type === 'ipv4' ? x.value : `198.18.${i % 256}.${(i >> 8) % 256}`;
        } else {
          url = `http://${word(lr, 7)}.example-${i % 997}.com/${word(lr, 6)}/${word(lr, 4)}.html?q=${i}`;
          peer = `198.18.${i % 256}.${(i >> 8) % 256}`;
        }
        yield `${t0 + i}.${String(i % 1000).padStart(3, '0')}    ${i % 900} ${client} TCP_MISS/200 ${1000 + (i % 5000)} GET ${url} - HIER_DIRECT/${peer} text/html\n`;
      }
    });
  }
  return inds;
}

async function child(): Promise<void> {
  const t0 = performance.now();
  const index = new IndicatorIndex();
  for (const line of readFileSync(typed, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) index.add(line.slice(0, tab), line.slice(tab + 1));
  }
  const built = performance.now();
  let lines = 0;
  const r = await huntStream(index, createReadStream(log, { highWaterMark: 256 * 1024 }), (l) => {
    lines = l;
  });
  const done = performance.now();
  process.stdout.write(
    JSON.stringify({
      seconds: (done - t0) / 1000,
      indexSeconds: (built - t0) / 1000,
      lines: r.lines,
      matches: r.matches,
      matchingLinesLast: lines,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    }),
  );
}

function timed(cmd: string, args: string[]): { seconds: number; rssMb: number; cpu: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  const [rssKb, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds, rssMb: (rssKb ?? 0) / 1024, cpu: (user ?? 0) + (sys ?? 0), out: r.stdout.trim() };
}

async function main(): Promise<void> {
  await prepare();
  const size = readFileSync(log).length;
  console.log(`log: ${LINES} lines, ${(size / 1e6).toFixed(0)} MB; indicators: ${N}`);
  const self = fileURLToPath(import.meta.url);
  const tsx = join(self, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const t0 = performance.now();
  const ours = spawnSync(
    process.execPath,
    [tsx, self, '--child', '--lines', String(LINES), '--indicators', String(N), '--dir', dir],
    {
      encoding: 'utf8',
    },
  );
  const wall = (performance.now() - t0) / 1000;
  if (ours.status !== 0) throw new Error(ours.stderr);
  const o = JSON.parse(ours.stdout) as {
    cpuSeconds: number;
    seconds: number;
    indexSeconds: number;
    lines: number;
    matches: number;
    maxRssMb: number;
  };
  console.log(
    `renkei hunt: ${o.seconds.toFixed(2)} s in the matcher (index ${o.indexSeconds.toFixed(2)} s), ${wall.toFixed(2)} s with process start, ` +
      `${Math.round(o.lines / o.seconds).toLocaleString()} lines/s, ${o.matches} matches, peak RSS ${o.maxRssMb.toFixed(0)} MB, CPU ${o.cpuSeconds.toFixed(1)} s`,
  );
  const grep = timed('grep', ['-c', '-F', '-f', patterns, log]);
  console.log(
    `grep -F -f: ${grep.seconds.toFixed(2)} s, ${grep.out} matching lines, peak RSS ${grep.rssMb.toFixed(0)} MB`,
  );
  console.log(`ratio (grep time / renkei time, with process start): ${(grep.seconds / wall).toFixed(2)}×`);
  const hasRg = spawnSync('rg', ['--version']).status === 0;
  if (hasRg) {
    const rg = timed('rg', ['-c', '-F', '-f', patterns, log]);
    console.log(
      `rg -F -f: ${rg.seconds.toFixed(2)} s, ${rg.out} matching lines, peak RSS ${rg.rssMb.toFixed(0)} MB, CPU ${rg.cpu.toFixed(1)} s`,
    );
    console.log(`ratio of CPU seconds (rg / renkei): ${(rg.cpu / o.cpuSeconds).toFixed(2)}×`);
    console.log(`ratio (rg time / renkei time): ${(rg.seconds / wall).toFixed(2)}×`);
  }
}

if (values.child) await child();
else await main();
