import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'brand', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

let json: Run;
let text: Run;
let bad: Run;

// Three spawns side by side (the bin loads tsx, which is slow on a shared machine).
beforeAll(async () => {
  const input = [
    'https://www.amazon.co.jp/gp/css/homepage.html',
    'https://www2.eposcard.co.jp.example-phish.cn/login',
    'xn--mazon-3ve.co.jp',
    '',
    '%%% not a url %%%',
    'www.smbc-card.com',
  ].join('\n');
  [json, text, bad] = await Promise.all([run(['--json'], input), run([], input), run(['--no-such-option'], '')]);
}, 120_000);

describe('renkei brand', () => {
  it('--json prints one {"input","brand","score"} line per non-empty input line, in order', () => {
    expect(json.status).toBe(0);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['input', 'brand', 'score']));
    expect(rows.map((r) => [r.input, r.brand])).toEqual([
      ['https://www.amazon.co.jp/gp/css/homepage.html', null], // the brand's own domain
      ['https://www2.eposcard.co.jp.example-phish.cn/login', 'エポスカード'],
      ['xn--mazon-3ve.co.jp', 'Amazon'], // Cyrillic а (punycode homograph)
      ['%%% not a url %%%', null],
      ['www.smbc-card.com', null],
    ]);
    for (const r of rows) expect(r.score).toSatisfy((s: unknown) => typeof s === 'number' && s >= 0 && s <= 1);
  });

  it('without --json prints a readable line per input that says why', () => {
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('正規ドメイン / official domain of Amazon');
    expect(lines[1]).toContain('エポスカード');
    expect(lines[1]).toContain('サブドメインに正規ドメイン');
  });

  it('bad usage exits 2', () => {
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
