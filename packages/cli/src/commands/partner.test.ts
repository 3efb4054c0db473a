import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'renkei-partner-'));
const env = {
  ...process.env,
  RENKEI_DATA_DIR: dir,
  RENKEI_DATABASE_URL: `sqlite:${join(dir, 'renkei.db')}`,
  RENKEI_LOG_LEVEL: 'silent',
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('renkei partner add / token create --partner', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds partners, mints a partner token, and refuses bad usage and unknown partners', () => {
    const added = run(['partner', 'add', '--name', 'JC3', '--kind', 'jc3', '--tlp-max', 'amber']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    expect(run(['partner', 'add', '--name', 'X', '--tlp-max', 'red']).status).toBe(2);
    const dup = run(['partner', 'add', '--name', 'JC3']);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/^renkei: .*name/);
    const notOfficial = run(['partner', 'add', '--name', 'AV', '--kind', 'vendor', '--official']);
    expect(notOfficial.status).toBe(1);

    const token = run(['token', 'create', '--partner', 'JC3']);
    expect(token.stderr).toBe('');
    expect(token.status).toBe(0);
    expect(token.stdout.trim()).toMatch(/^rk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);

    const missing = run(['token', 'create', '--partner', 'nobody']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no partner named nobody');

    const list = run(['partner', 'list']);
    expect(list.stdout).toContain('"name":"JC3"');
  }, 400_000);
});
