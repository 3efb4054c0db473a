import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'renkei-import-'));
const env = {
  ...process.env,
  RENKEI_DATA_DIR: dir,
  RENKEI_DATABASE_URL: `sqlite:${join(dir, 'renkei.db')}`,
  RENKEI_LOG_LEVEL: 'silent',
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'import', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('renkei import iocs / asn', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a gzip feed, reports bad lines with their numbers, and a rerun duplicates nothing', () => {
    const file = join(dir, 'feed.txt.gz');
    writeFileSync(file, gzipSync('hxxp://evil[.]example[.]com/a\n198.51.100.7\nnot an ioc\n'));
    const first = run(['iocs', file, '--source', 'jpcert-test']);
    expect(first.stderr).toContain('feed.txt.gz:3: not a recognised indicator');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /3 行 \/ lines: 2 件取込 \/ imported, 1 件不正 \/ bad, 4 new observables, 4 new sightings/,
    );
    const again = run(['iocs', file, '--source', 'jpcert-test', '--tlp', 'green']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('0 new sightings');
  }, 120_000);

  it('maps CSV columns, loads a prefix table, and refuses bad usage with exit 2', () => {
    const csv = join(dir, 'list.csv');
    writeFileSync(csv, 'indicator,kind\n090-1111-2222,phone\n');
    const r = run(['iocs', csv, '--source', 'csv-test', '--value-column', 'indicator', '--type-column', 'kind']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 件取込');
    const asn = join(dir, 'asn.csv');
    writeFileSync(asn, 'prefix,asn,name\n198.51.100.0/24,64500,DOC\n');
    const a = run(['asn', asn]);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain('1 prefixes loaded');
    expect(run(['iocs', csv, '--source', 'x', '--tlp', 'purple']).status).toBe(2);
    expect(run(['iocs', csv]).status).toBe(2);
    expect(run(['iocs', join(dir, 'missing.txt'), '--source', 'x']).status).toBe(1);
  }, 120_000);
});
