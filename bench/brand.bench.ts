// Brand impersonation (issue 8 item 3): the scorer (packages/core/src/brand) against a naive keyword-substring
// baseline on JPCERT/CC's phishing URL list. June 2022 (202206.csv) is the tuning month; every other *.csv in the
// folder is reported as held out (nothing was tuned on it).
//
//   npm run bench brand            (or: npx tsx bench/brand.bench.ts [--errors N])
//
// accuracy  = rows whose label was named exactly / all labelled rows (null counts as wrong)
// precision = rows named exactly / rows where a brand was named
// coverage  = rows where a brand was named / all labelled rows
// Results: docs/BENCHMARKS.md, "Brand impersonation".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BRANDS, defaultBrandIndex, officialBrandOf, scoreBrand } from '../packages/core/src/brand/index.ts';
import { keywordBaseline } from './brand-keyword-baseline.ts';

const DIR = fileURLToPath(new URL('../../shared/data/jpcert-phishurl/', import.meta.url));
const TUNING = '202206.csv';
const showErrors = Number(process.argv[process.argv.indexOf('--errors') + 1] ?? 0) || 0;

interface Row {
  url: string;
  label: string;
}

function readRows(file: string): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(join(DIR, file), 'utf8').split(/\r?\n/).slice(1)) {
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    if (first < 0 || second < 0) continue;
    const label = line.slice(second + 1).trim();
    if (label !== '') rows.push({ url: line.slice(first + 1, second), label });
  }
  return rows;
}

type Namer = (url: string) => string | null;

function evaluate(rows: readonly Row[], name: Namer) {
  let named = 0;
  let right = 0;
  const errors: string[] = [];
  const t0 = performance.now();
  for (const r of rows) {
    const b = name(r.url);
    if (b === null) continue;
    named++;
    if (b === r.label) right++;
    else errors.push(`${r.label} → ${b}\t${r.url}`);
  }
  const ms = performance.now() - t0;
  return {
    accuracy: right / rows.length,
    precision: named ? right / named : Number.NaN,
    coverage: named / rows.length,
    ms,
    errors,
  };
}

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);
const files = readdirSync(DIR)
  .filter((f) => /^\d{6}\.csv$/.test(f))
  .sort((a, b) => Number(b === TUNING) - Number(a === TUNING) || a.localeCompare(b));
const systems: Array<[string, Namer]> = [
  ['renkei scorer', (u) => scoreBrand(u).brand],
  ['keyword-substring baseline', keywordBaseline],
];
const labels = new Set(BRANDS.map((b) => b.label));

console.log(
  `brand list: ${BRANDS.length} brands, ${BRANDS.reduce((a, b) => a + b.domains.length, 0)} official domains`,
);
console.log('| month | rows | system | accuracy | precision | coverage | µs/URL |');
console.log('|---|---|---|---|---|---|---|');
for (const file of files) {
  const rows = readRows(file);
  const month = `${file.slice(0, 4)}-${file.slice(4, 6)}${file === TUNING ? ' (tuning)' : ' (held out)'}`;
  const results = systems.map(([sys, namer]) => [sys, evaluate(rows, namer)] as const);
  for (const [sys, r] of results) {
    const us = ((1000 * r.ms) / rows.length).toFixed(0);
    console.log(
      `| ${month} | ${rows.length} | ${sys} | ${pct(r.accuracy)} | ${pct(r.precision)} | ${pct(r.coverage)} | ${us} |`,
    );
  }
  const ours = results[0]![1];
  const base = results[1]![1];
  console.log(
    `|  |  | ratio renkei / baseline | ${(ours.accuracy / base.accuracy).toFixed(2)} | ${(ours.precision / base.precision).toFixed(2)} | ${(ours.coverage / base.coverage).toFixed(2)} |  |`,
  );
  if (file === TUNING) {
    console.log('\nPer label (largest 15), renkei scorer: rows, named right, named wrong');
    const per = new Map<string, [number, number, number]>();
    for (const r of rows) {
      const e = per.get(r.label) ?? [0, 0, 0];
      per.set(r.label, e);
      e[0]++;
      const b = scoreBrand(r.url).brand;
      if (b === r.label) e[1]++;
      else if (b !== null) e[2]++;
    }
    const top = [...per].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15);
    console.log(top.map(([l, [n, ok, bad]]) => `${l} ${n}/${ok}/${bad}`).join(' · '));
  }
  const unknown = new Set(rows.map((r) => r.label).filter((l) => !labels.has(l)));
  if (unknown.size > 0) console.log(`\n${file}: labels with no entry in brands.json: ${[...unknown].join(', ')}\n`);
  if (showErrors > 0) {
    console.log(`\nFirst ${showErrors} disagreements of the scorer on ${file}:`);
    for (const e of ours.errors.slice(0, showErrors)) console.log(`  ${e}`);
  }
}

// Official domains must give null: every listed official domain and a subdomain of each, through the scorer.
const index = defaultBrandIndex();
let officialTotal = 0;
let officialNull = 0;
for (const b of BRANDS) {
  for (const d of b.domains) {
    for (const host of [d, `www.${d}`, `https://login.${d}/account`]) {
      officialTotal++;
      if (scoreBrand(host, index).brand === null && officialBrandOf(index, d)) officialNull++;
    }
  }
}
console.log(`\nofficial domains and their subdomains giving null: ${officialNull}/${officialTotal}`);
