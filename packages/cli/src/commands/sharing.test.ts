import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));
const DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'renkei-sharing-'));
const env = {
  ...process.env,
  RENKEI_DATA_DIR: dir,
  RENKEI_DATABASE_URL: `sqlite:${join(dir, 'renkei.db')}`,
  RENKEI_LOG_LEVEL: 'silent',
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('renkei import stix / export stix / export misp-feed', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports an official example, refuses an invalid bundle, exports for the public and writes a MISP feed', () => {
    const ok = run([
      'import',
      'stix',
      join(DATA, 'stix2-examples/cti-stix2-json-schemas/examples/indicator-for-c2-ip-address.json'),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^1 objects, /);

    const bad = run(['import', 'stix', join(DATA, 'misp/pymisp-data/describeTypes.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^renkei: refused: /);

    const out = join(dir, 'bundle.json');
    const exp = run(['export', 'stix', '--out', out]);
    expect(exp.status).toBe(0);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { type: string; objects: { type: string }[] };
    expect(bundle.type).toBe('bundle');
    // The example is unmarked (read as AMBER): nothing of it may be public.
    expect(bundle.objects.some((o) => o.type === 'indicator')).toBe(false);

    const feed = join(dir, 'feed');
    expect(run(['export', 'misp-feed', feed]).status).toBe(0);
    expect(readdirSync(feed)).toContain('manifest.json');
    expect(run(['export', 'stix', '--for', 'nobody']).status).toBe(1);
  }, 900_000);
});
