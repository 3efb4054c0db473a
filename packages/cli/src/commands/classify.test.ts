import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassifier, INTAKE_CATEGORIES, serializeClassifier, train } from '@renkei/core/intake/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/renkei.js', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input: string, dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'classify', ...args], {
      env: { ...process.env, RENKEI_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (...texts: string[]): string => texts.map((text) => `${JSON.stringify({ text })}\n`).join('');

let dir: string;
let shipped: Run;
let stored: Run;

// Two spawns side by side (the bin loads tsx, which is slow on a shared machine).
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'renkei-classify-'));
  const fresh = join(dir, 'fresh');
  const trained = join(dir, 'trained');
  // a stored model that has only ever been taught one category answers that category for everything
  const model = createClassifier();
  train(model, '何でも相談', 'インターネットオークション');
  mkdirSync(trained);
  writeFileSync(join(trained, 'intake-model.json'), serializeClassifier(model));
  [shipped, stored] = await Promise.all([
    run(
      ['--json'],
      `${lines(
        'サポートを名乗る電話で遠隔操作され、電子マネー5万円分を買わされました',
        '明日、〇〇駅で無差別に人を刺すという書き込みを見つけました',
      )}\n{"text": 42}\n${lines('この行は読まれない')}`,
      fresh,
    ),
    run(['--json'], lines('ランサムウェアに感染しました'), trained),
  ]);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renkei classify --json', () => {
  it('prints one JSON line per input line, then exits 1 naming the first bad line', () => {
    const out = shipped.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { category: string; score: number; urgent: boolean });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ category: '詐欺・悪質商法', urgent: false });
    expect(out[1]).toMatchObject({ urgent: true });
    for (const o of out) {
      expect(Object.keys(o).sort()).toEqual(['category', 'score', 'urgent']);
      expect(INTAKE_CATEGORIES).toContain(o.category);
      expect(o.score).toBeGreaterThan(0);
      expect(o.score).toBeLessThanOrEqual(1);
    }
    expect(shipped.status).toBe(1);
    expect(shipped.stderr.trim().split('\n')).toEqual(['renkei: line 4: expected a JSON object {"text": "…"}']);
  });

  it('uses the model stored in RENKEI_DATA_DIR when there is one', () => {
    expect(stored.status).toBe(0);
    expect(JSON.parse(stored.stdout)).toMatchObject({ category: 'インターネットオークション', urgent: false });
  });
});
