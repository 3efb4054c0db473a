import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { type TestDatabase, createTestDatabase } from '../testing/testDatabase.ts';
import { verifyAuditChain } from './audit/verify.ts';
import { connect } from './db/connect.ts';

const BIN = join(import.meta.dirname, '../../../../packages/cli/bin/renkei.js');

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('server exited early');
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** kill -9 in the middle of a burst of writes leaves every change either whole (with its audit record) or absent. */
describe.each(testEngines())('kill -9 mid-request on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    env = {
      ...process.env,
      RENKEI_DATA_DIR: tdb.dataDir,
      RENKEI_DATABASE_URL: tdb.url,
      RENKEI_LOG_LEVEL: 'silent',
    } as Record<string, string>;
    execFileSync(process.execPath, [BIN, 'migrate'], { env });
    execFileSync(
      process.execPath,
      [
        BIN,
        'user',
        'add',
        '--login',
        'ops',
        '--name',
        '運用',
        '--unit',
        'joho-kanri-ka',
        '--role',
        'admin',
        '--password-stdin',
      ],
      {
        env,
        input: 'operations password 2026\n',
      },
    );
  });
  afterAll(async () => tdb.drop());

  it('keeps the database consistent and the audit chain whole', { timeout: 180_000 }, async () => {
    const token = execFileSync(process.execPath, [BIN, 'token', 'create', '--login', 'ops'], { env }).toString().trim();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', RENKEI_ADMIN_PASSWORD: 'unused first admin pw' },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(port, child);
      let answered = 0;
      const burst = Array.from({ length: 60 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/api/admin/units`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code: `k9-${i}`, name: `試験${i}`, kind: 'office' }),
        })
          .then((r) => {
            answered++;
            return r.status;
          })
          .catch(() => 0),
      );
      while (answered < 10) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      const statuses = await Promise.all(burst);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(10);
      expect(statuses.some((s) => s === 0)).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 200));

    const db = connect(tdb.url);
    try {
      if (engine === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.db);
        expect(check.rows[0]?.integrity_check).toBe('ok');
      }
      const units = await db.db.selectFrom('units').select('id').where('code', 'like', 'k9-%').execute();
      const audited = await db.db
        .selectFrom('audit_log')
        .select('target_id')
        .where('action', '=', 'unit.create')
        .execute();
      expect(units.length).toBeGreaterThanOrEqual(10);
      expect(new Set(audited.map((a) => a.target_id))).toEqual(new Set(units.map((u) => u.id)));
      expect(await verifyAuditChain(db.db)).toMatchObject({ ok: true });
    } finally {
      await db.close();
    }
  });
});
