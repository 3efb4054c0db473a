import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));
const FIX = fileURLToPath(new URL('../../../../apps/server/src/modules/detection/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'renkei-hunt-'));
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

describe('renkei hunt', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per planted match (gzip too) and a summary on stderr', () => {
    writeFileSync(
      join(dir, 'domains.jsonl'),
      '{"value":"evil-bank.xyz","type":"domain","tags":["match:subdomains"]}\n{"value":"secure.phish-kit.top","type":"domain"}\n',
    );
    writeFileSync(join(dir, 'urls.txt'), 'hxxp://login.evil-bank[.]xyz/verify\n198.51.100.20\n');
    expect(run(['import', 'iocs', join(dir, 'domains.jsonl'), '--source', 'domains']).status).toBe(0);
    expect(run(['import', 'iocs', join(dir, 'urls.txt'), '--source', 'urls']).status).toBe(0);
    const squid = join(dir, 'squid.log');
    copyFileSync(join(FIX, 'squid.log'), squid);
    const gz = join(dir, 'query.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FIX, 'query.log'))));
    const r = run(['hunt', squid, gz]);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        file: squid,
        line: 2,
        type: 'url',
        indicator: 'http://login.evil-bank.xyz/verify',
        observed: 'http://login.evil-bank.xyz/verify?id=1',
      },
      {
        file: squid,
        line: 2,
        type: 'domain',
        indicator: 'evil-bank.xyz',
        observed: 'http://login.evil-bank.xyz/verify?id=1',
      },
      { file: squid, line: 2, type: 'ipv4', indicator: '198.51.100.20', observed: 'HIER_DIRECT/198.51.100.20' },
      { file: squid, line: 3, type: 'domain', indicator: 'secure.phish-kit.top', observed: 'secure.phish-kit.top:443' },
      { file: gz, line: 2, type: 'domain', indicator: 'evil-bank.xyz', observed: 'mail.evil-bank.xyz' },
    ]);
    expect(r.stderr).toMatch(/^7 行 \/ lines read, 5 件一致 \/ matches, [0-9.]+ s/);
  }, 120_000);

  it('refuses a missing file (1) and --record without --unit (2)', () => {
    expect(run(['hunt', join(dir, 'nope.log')]).status).toBe(1);
    expect(run(['hunt', '--record', 'x', join(FIX, 'squid.log')]).status).toBe(2);
  }, 60_000);
});
