// STIX pattern parsing (issue 9): the real parser (official grammar compiled by antlr-ng, plus the spec's semantic
// rules; packages/core/src/stix) against a baseline regular-expression check of the kind many tools use instead
// (brackets around `type:path op 'value'` comparisons, no grammar, no escapes, no qualifiers). Patterns: one per
// JPCERT/CC phishing URL (June 2022) built with stixPatternFor, plus every pattern of the official STIX examples.
//
//   npm run bench stix-pattern        (or: npx tsx bench/stix-pattern.bench.ts [--rounds 5])
//
// Prints patterns/s for parse (parsePattern), parse + extract (observablesFromPattern) and the baseline, and the ratio.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { observablesFromPattern, stixPatternFor } from '../packages/core/src/stix/observables.ts';
import { parsePattern } from '../packages/core/src/stix/patternParse.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

const patterns: string[] = [];
for (const line of readFileSync(join(DATA, 'jpcert-phishurl/202206.csv'), 'utf8').split(/\r?\n/).slice(1)) {
  const url = line.split(',')[1];
  if (url) patterns.push(stixPatternFor('url', url)!);
}
const counts = JSON.parse(readFileSync(join(DATA, 'stix2-examples/expected-counts.json'), 'utf8')) as Record<
  string,
  unknown
>;
for (const file of Object.keys(counts)) {
  const bundle = JSON.parse(readFileSync(join(DATA, 'stix2-examples', file), 'utf8')) as {
    objects: Array<Record<string, unknown>>;
  };
  for (const o of bundle.objects)
    if (o.type === 'indicator' && o.pattern_type === 'stix') patterns.push(String(o.pattern));
}

const COMPARISON = String.raw`[a-z0-9-]+:[A-Za-z0-9_.'\-\[\]*]+\s*(=|!=|>|<|>=|<=|LIKE|MATCHES|IN|ISSUBSET|ISSUPERSET)\s*('[^']*'|\d+)`;
const BASELINE = new RegExp(`^\\[\\s*${COMPARISON}(\\s+(AND|OR)\\s+${COMPARISON})*\\s*\\]$`);

function measure(label: string, fn: (p: string) => unknown): number {
  for (const p of patterns.slice(0, 200)) fn(p); // warm-up
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const p of patterns) fn(p);
    const perSecond = patterns.length / ((performance.now() - t0) / 1000);
    best = Math.max(best, perSecond);
  }
  console.log(`${label.padEnd(34)} ${Math.round(best).toLocaleString('en-US').padStart(10)} patterns/s`);
  return best;
}

console.log(`${patterns.length} patterns, best of ${rounds} rounds`);
let invalid = 0;
for (const p of patterns) if (!parsePattern(p).ok) invalid++;
let baselineMisses = 0;
for (const p of patterns) if (!BASELINE.test(p)) baselineMisses++;
const parse = measure('parsePattern', (p) => parsePattern(p));
const extract = measure('observablesFromPattern', (p) => observablesFromPattern(p));
const baseline = measure('baseline regex check', (p) => BASELINE.test(p));
console.log(`refused by the parser: ${invalid}; refused by the baseline regex: ${baselineMisses}`);
console.log(
  `ratio parse / baseline: ${(parse / baseline).toFixed(3)}; extract / baseline: ${(extract / baseline).toFixed(3)}`,
);
