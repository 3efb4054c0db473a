import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { makeUser } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { archiveAudit } from './archive.ts';
import { verifyAuditChain } from './verify.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../../../packages/cli/bin/renkei.js');

async function cli(args: string[], env: Record<string, string>) {
  try {
    const out = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(testEngines())('audit log on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
    for (let i = 0; i < 3; i++) await makeUser(t.platform, { roles: ['viewer'] });
  });
  afterAll(async () => t.close());

  const db = () => t.platform.db.db;

  it('chains every record to the previous one and verifies', async () => {
    const rows = await db().selectFrom('audit_log').selectAll().orderBy('lane').orderBy('lane_seq').execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.lane === rows[i - 1]!.lane) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      else expect(rows[i]!.lane_seq).toBe(1);
    }
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, firstBad: null });
  });

  it('holds ids and metadata, never the contents of the record', async () => {
    const row = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.create')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.details).not.toMatch(/職員|ショクイン|password/);
    expect(row.target_type).toBe('user');
  });

  it('refuses UPDATE, DELETE and TRUNCATE through ordinary SQL', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(db())).rejects.toThrow(
      /AUDIT_APPEND_ONLY/,
    );
    await expect(sql`delete from audit_log where seq = 1`.execute(db())).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    if (engine === 'postgres') {
      await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    }
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });

  it('names the first altered record once the guard is dropped by hand, from the API and the CLI', async () => {
    const target = await db()
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    if (engine === 'sqlite') {
      await sql`drop trigger audit_log_no_update`.execute(db());
      await sql`update audit_log set client_ip = '203.0.113.9' where seq = ${target.seq}`.execute(db());
    } else {
      await sql`alter table audit_log disable trigger audit_log_guard`.execute(db());
      await sql`update audit_log set client_ip = '203.0.113.9' where seq = ${target.seq}`.execute(db());
      await sql`alter table audit_log enable trigger audit_log_guard`.execute(db());
    }
    const r = await verifyAuditChain(db());
    expect(r.ok).toBe(false);
    expect(r.firstBad?.seq).toBe(Number(target.seq));

    const out = await cli(['audit', 'verify'], {
      RENKEI_DATABASE_URL: t.platform.db.url,
      RENKEI_DATA_DIR: t.platform.config.dataDir,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`record ${target.seq}`);

    // Put the guard back for the tests that follow (SQLite: recreate; restore the value so the chain verifies).
    if (engine === 'sqlite') {
      await sql`update audit_log set client_ip = null where seq = ${target.seq}`.execute(db());
      await sql`create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'AUDIT_APPEND_ONLY: audit_log rows cannot be changed'); end`.execute(db());
    } else {
      await sql`alter table audit_log disable trigger audit_log_guard`.execute(db());
      await sql`update audit_log set client_ip = null where seq = ${target.seq}`.execute(db());
      await sql`alter table audit_log enable trigger audit_log_guard`.execute(db());
    }
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });

  it('archives old records to a verified file and continues the chain from the checkpoint', async () => {
    t.clock.advance(86_400_000);
    await makeUser(t.platform, { roles: ['viewer'] });
    const total = (await db().selectFrom('audit_log').select('seq').execute()).length;
    const file = join(t.platform.config.dataDir, 'audit-archive.jsonl');
    const result = await archiveAudit(t.platform, new Date(t.clock.now().getTime() - 3600_000), file);
    expect(result?.rows).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(result!.rows + 1);
    const remaining = (await db().selectFrom('audit_log').select('seq').execute()).length;
    expect(remaining).toBe(total - result!.rows + 1); // + the archive's own record
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    await makeUser(t.platform, { roles: ['viewer'] });
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    // Records after the checkpoint are still protected.
    await expect(sql`delete from audit_log where seq > ${result!.uptoSeq}`.execute(db())).rejects.toThrow(
      /AUDIT_APPEND_ONLY/,
    );
    await expect(sql`delete from audit_checkpoints`.execute(db())).rejects.toThrow(/AUDIT_APPEND_ONLY/);
  });
});
