import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));
const EML = fileURLToPath(
  new URL('../../../../../shared/data/phishing-eml/phishing_pot/sample-1258.eml', import.meta.url),
);

function run(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'extract', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('renkei extract', () => {
  it('prints one JSON object of sorted canonical values from stdin', () => {
    const r = run(
      ['--json'],
      '【重要】ＵＲＬ：hxxps://example[.]com/login、電話 090ー1234ー5678、送信元 198．51．100．7［．］ CVE‐2023‐4966 ' +
        'b.example.org a.example.org',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string[]>;
    expect(out.url).toEqual(['https://example.com/login']);
    expect(out.domain).toEqual(['a.example.org', 'b.example.org', 'example.com']);
    expect(out.phone).toEqual(['+819012345678']);
    expect(out.ipv4).toEqual(['198.51.100.7']);
    expect(out.cve).toEqual(['CVE-2023-4966']);
  });

  it('reads an .eml file: headers, link targets and attachment hashes', () => {
    const r = run(['--eml', EML, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string[]>;
    expect(out.email).toContain('contact@jae.co.jp');
    expect(out.md5).toContain('0828a0ddc5cc50c46e46c77570b2fd70');
    expect(out.sha256).toContain('e6ed8c765169529a6e83bd757c7d5dd5f48bfcbb407f3e2036dcd76290b451ca');
  });

  it('prints a readable listing without --json', () => {
    const r = run([], '振込先 みずほ銀行 渋谷支店 普通 1234567 ヤマダ タロウ');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0001-210-1-1234567');
    expect(r.stdout).toContain('銀行口座');
  });

  it('exits 1 with one line on stderr when the file cannot be read', () => {
    const r = run(['--eml', '/nonexistent/x.eml', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on bad usage', () => {
    expect(run(['--no-such-option']).status).toBe(2);
    expect(run(['stray-argument']).status).toBe(2);
  });
});
