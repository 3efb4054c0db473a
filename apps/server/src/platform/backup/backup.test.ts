import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { makeUser } from '../../testing/factories.ts';
import { type TestDatabase, createTestDatabase } from '../../testing/testDatabase.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { fileStoreFor } from '../files/index.ts';
import { BACKUP_MARKER } from '../files/store.ts';
import { loadMasterKey } from '../keys.ts';
import { openPlatform } from '../open.ts';
import { createBackup, restoreBackup, tableDigests } from './index.ts';

describe.each(testEngines())('backup and restore on %s', (engine) => {
  let t: TestContext;
  let work: string;
  const targets: TestDatabase[] = [];
  const contents = new Map<string, Buffer>();

  async function emptyTarget(withKey = true) {
    const tdb = await createTestDatabase(engine);
    targets.push(tdb);
    if (withKey) cpSync(join(t.platform.config.dataDir, 'keys'), join(tdb.dataDir, 'keys'), { recursive: true });
    const config = loadConfig({ RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url }, tdb.dataDir);
    return { tdb, config, masterKey: loadMasterKey(tdb.dataDir) };
  }

  beforeAll(async () => {
    t = await createTestContext(engine);
    work = mkdtempSync(join(tmpdir(), 'renkei-backup-test-'));
    await makeUser(t.platform, { roles: ['investigator'], login: 'yamada.taro' });
    await makeUser(t.platform, { roles: ['station_officer'] });
    const store = fileStoreFor(t.platform);
    const shared = randomBytes(200_000);
    for (const [i, data] of [shared, shared, randomBytes(10), Buffer.alloc(0)].entries()) {
      const ref = await store.put(
        Readable.from([data]),
        { ownerType: 'case', ownerId: `c${i}`, originalName: `証拠${i}.bin` },
        null,
      );
      contents.set(ref.id, data);
    }
  });
  afterAll(async () => {
    await t.close();
    for (const tdb of targets) await tdb.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('round-trips every table (rows and checksums) and every file byte into an empty installation', async () => {
    const out = join(work, 'full.rkb');
    const summary = await createBackup({
      config: t.platform.config,
      masterKey: loadMasterKey(t.platform.config.dataDir),
      out,
    });
    expect(summary).toMatchObject({ engine, files: 3 });
    expect(summary.rows).toBeGreaterThan(10);
    // The archive is encrypted: neither a login nor a file name is readable in it.
    const raw = readFileSync(out);
    expect(raw.includes(Buffer.from('yamada.taro'))).toBe(false);
    expect(raw.includes(Buffer.from('証拠0.bin'))).toBe(false);
    expect(existsSync(join(t.platform.config.dataDir, 'files', BACKUP_MARKER))).toBe(false);

    const target = await emptyTarget();
    const restored = await restoreBackup({ config: target.config, masterKey: target.masterKey, input: out });
    expect(restored).toMatchObject({ engine, files: 3, migrationsApplied: [], previousFiles: null });

    const source = await tableDigests(t.platform.db.db, engine);
    const db = connect(target.config.databaseUrl);
    try {
      expect(await tableDigests(db.db, engine)).toEqual(source);
    } finally {
      await db.close();
    }
    expect(Object.keys(source)).toEqual(expect.arrayContaining(['users', 'audit_log', 'blobs', 'file_refs']));

    const p = await openPlatform(target.config, { log: pino({ level: 'silent' }) });
    try {
      for (const [id, data] of contents) expect((await fileStoreFor(p).readAll(id)).equals(data)).toBe(true);
    } finally {
      await p.db.close();
    }

    // Restoring over data needs --force; the replaced file store is kept aside.
    await expect(restoreBackup({ config: target.config, masterKey: target.masterKey, input: out })).rejects.toThrow(
      /already holds data/,
    );
    const forced = await restoreBackup({ config: target.config, masterKey: target.masterKey, input: out, force: true });
    expect(forced.previousFiles).toMatch(/files\.before-restore-/);
  });

  it('refuses another master key, and a damaged archive before changing anything', async () => {
    const out = join(work, 'check.rkb');
    await createBackup({ config: t.platform.config, masterKey: loadMasterKey(t.platform.config.dataDir), out });
    const stranger = await emptyTarget(false);
    await expect(restoreBackup({ config: stranger.config, masterKey: stranger.masterKey, input: out })).rejects.toThrow(
      /another master key/,
    );

    const damaged = join(work, 'damaged.rkb');
    const bytes = readFileSync(out);
    bytes[bytes.length - 5000]! ^= 1;
    writeFileSync(damaged, bytes);
    const target = await emptyTarget();
    await expect(restoreBackup({ config: target.config, masterKey: target.masterKey, input: damaged })).rejects.toThrow(
      /integrity/,
    );
    const db = connect(target.config.databaseUrl);
    try {
      expect(await db.db.introspection.getTables()).toEqual([]);
    } finally {
      await db.close();
    }
    await expect(
      createBackup({ config: t.platform.config, masterKey: loadMasterKey(t.platform.config.dataDir), out }),
    ).rejects.toThrow(/exists/);
  });

  it('keeps blob files while a backup runs, so the snapshot it copies stays complete', async () => {
    const store = fileStoreFor(t.platform);
    const ref = await store.put(
      Readable.from([randomBytes(100)]),
      { ownerType: 'case', ownerId: 'x', originalName: 'a' },
      null,
    );
    const blob = await t.platform.db.db
      .selectFrom('file_refs')
      .select('blob_id')
      .where('id', '=', ref.id)
      .executeTakeFirstOrThrow();
    const marker = join(store.dir, BACKUP_MARKER);
    writeFileSync(marker, 'test');
    await store.release(ref.id, null);
    expect(existsSync(store.blobPath(blob.blob_id))).toBe(true);
    rmSync(marker);
    await store.sweep(new Date(Date.now() + 60_000));
    expect(existsSync(store.blobPath(blob.blob_id))).toBe(false);
  });
});
