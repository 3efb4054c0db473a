#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after another with its
// default (quick) settings; each prints its own figures and the ratio against its baseline. Full-size runs and the
// recorded results are in docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const r = spawnSync(
    process.execPath,
    [join(here, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(here, file)],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
