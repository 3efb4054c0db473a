import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { AppError } from '../errors.ts';
import { BlobIntegrityError, HEADER_BYTES } from './blobFormat.ts';
import { FileStore, fileStoreFor } from './index.ts';

const CHUNK = 1024;
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from('0000000100000001080600000' + '01f15c4890000000d4944415478', 'hex'),
]);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe.each(testEngines())('file store on %s', (engine) => {
  let t: TestContext;
  let store: FileStore;
  const owner = (id: string) => ({ ownerType: 'case', ownerId: id, originalName: '証拠写真.png' });

  beforeAll(async () => {
    t = await createTestContext(engine);
    const p = t.platform;
    store = new FileStore({
      db: p.db.db,
      dialect: p.dialect,
      clock: p.clock,
      audit: p.audit,
      secrets: p.secrets,
      dir: join(p.config.dataDir, 'files'),
      maxBytes: 64 * CHUNK,
      chunkBytes: CHUNK,
    });
  });
  afterAll(async () => t.close());

  it('stores encrypted under <data dir>/files, reads back the same bytes, and detects the type by magic bytes', async () => {
    const data = Buffer.concat([PNG, randomBytes(5 * CHUNK)]);
    const ref = await store.put(Readable.from([data]), { ...owner('A'), declaredType: 'image/jpeg' }, null);
    expect(ref).toMatchObject({ size: data.length, declaredType: 'image/jpeg', detectedType: 'image/png' });
    expect((await store.readAll(ref.id)).equals(data)).toBe(true);
    await store.verify(ref.id);
    const onDisk = filesUnder(join(t.platform.config.dataDir, 'files', 'blobs'));
    expect(onDisk).toHaveLength(1);
    const raw = readFileSync(onDisk[0]!);
    expect(raw.includes(data.subarray(100, 200))).toBe(false);
    expect(onDisk[0]).not.toContain(ref.sha256);
    await store.release(ref.id, null);
    expect(filesUnder(join(t.platform.config.dataDir, 'files', 'blobs'))).toHaveLength(0);
  });

  it('stores equal content once, but each item is its own reference that survives the release of another', async () => {
    const data = randomBytes(3 * CHUNK + 7);
    const a = await store.put(Readable.from([data]), owner('case-A'), null);
    const b = await store.put(Readable.from([data]), { ...owner('case-B'), originalName: 'copy.bin' }, null);
    expect(a.id).not.toBe(b.id);
    const blobs = await t.platform.db.db.selectFrom('blobs').selectAll().execute();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.ref_count).toBe(2);
    // What case B sees says nothing about case A.
    expect(JSON.stringify(b)).not.toContain(a.id);
    expect(JSON.stringify(b)).not.toContain('case-A');
    await store.release(a.id, null, '返還');
    expect(await store.get(a.id)).toBeNull();
    expect((await store.readAll(b.id)).equals(data)).toBe(true);
    await store.release(b.id, null, '廃棄');
    expect(await t.platform.db.db.selectFrom('blobs').selectAll().execute()).toHaveLength(0);
    expect(filesUnder(join(store.dir, 'blobs'))).toHaveLength(0);
    await expect(store.open(b.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps one blob when equal uploads race, and a release racing an upload breaks neither', async () => {
    const data = randomBytes(5000);
    const refs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.put(Readable.from([data]), owner(`race-${i}`), null)),
    );
    const blobs = await t.platform.db.db.selectFrom('blobs').selectAll().execute();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.ref_count).toBe(4);
    expect(filesUnder(join(store.dir, 'blobs'))).toHaveLength(1);
    expect(filesUnder(join(store.dir, 'tmp'))).toHaveLength(0);
    const [, , , again] = await Promise.all([
      store.release(refs[0]!.id, null),
      store.release(refs[1]!.id, null),
      store.release(refs[2]!.id, null),
      store.put(Readable.from([data]), owner('race-late'), null),
    ]);
    for (const id of [refs[3]!.id, again.id]) expect((await store.readAll(id)).equals(data)).toBe(true);
    await store.release(refs[3]!.id, null);
    await store.release(again.id, null);
    expect(await t.platform.db.db.selectFrom('blobs').selectAll().execute()).toHaveLength(0);
    expect(filesUnder(join(store.dir, 'blobs'))).toHaveLength(0);
  });

  it('audits attach and release with ids and sizes only, never the content hash', async () => {
    const ref = await store.put(Readable.from([Buffer.from('memo')]), owner('case-C'), null);
    await store.release(ref.id, null, '削除');
    const rows = await t.platform.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', ref.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['file.attach', 'file.release']);
    for (const r of rows) expect(r.details).not.toContain(ref.sha256);
  });

  it('refuses a file over the limit with PAYLOAD_TOO_LARGE and leaves nothing behind', async () => {
    const before = await t.platform.db.db.selectFrom('blobs').select('id').execute();
    const big = Readable.from(Array.from({ length: 70 }, () => randomBytes(CHUNK)));
    const err = await store.put(big, owner('case-D'), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PAYLOAD_TOO_LARGE');
    expect(filesUnder(join(store.dir, 'tmp'))).toHaveLength(0);
    expect(filesUnder(join(store.dir, 'blobs'))).toHaveLength(before.length);
    expect(await t.platform.db.db.selectFrom('blobs').select('id').execute()).toHaveLength(before.length);
    // A per-call limit overrides the store's default.
    const small = await store.put(Readable.from([randomBytes(100)]), owner('case-D'), null, { maxBytes: 100 });
    await expect(
      store.put(Readable.from([randomBytes(101)]), owner('case-D'), null, { maxBytes: 100 }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await store.release(small.id, null);
  });

  it('never serves a tampered or truncated blob', async () => {
    const data = randomBytes(6 * CHUNK);
    const ref = await store.put(Readable.from([data]), owner('case-E'), null);
    const [path] = filesUnder(join(store.dir, 'blobs'));
    const original = readFileSync(path!);
    const forged = Buffer.from(original);
    forged[HEADER_BYTES + 3 * (CHUNK + 16) + 5]! ^= 0x40;
    writeFileSync(path!, forged);
    const { stream } = await store.open(ref.id);
    const got: Buffer[] = [];
    const err = await (async () => {
      for await (const p of stream) got.push(p as Buffer);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobIntegrityError);
    const served = Buffer.concat(got);
    expect(served.length).toBeLessThanOrEqual(3 * CHUNK);
    expect(served.equals(data.subarray(0, served.length))).toBe(true);
    writeFileSync(path!, original.subarray(0, original.length - CHUNK - 16));
    await expect(store.verify(ref.id)).rejects.toBeInstanceOf(BlobIntegrityError);
    writeFileSync(path!, original);
    await store.verify(ref.id);
    await store.release(ref.id, null);
  });

  it('attaches inside a caller transaction; a rollback leaves no blob or file once settled', async () => {
    const staged = await store.stage(Readable.from([randomBytes(2000)]));
    await t.platform.db.db
      .transaction()
      .execute(async (trx) => {
        await store.attach(trx, staged, owner('case-F'), null);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await store.settle(staged);
    expect(existsSync(staged.path)).toBe(false);
    expect(await store.listByOwner('case', 'case-F')).toEqual([]);
  });

  it('sweeps orphaned files left by a crash, and only old ones', async () => {
    const staged = await store.stage(Readable.from([randomBytes(10)]));
    expect(await store.sweep(new Date(Date.now() - 60_000))).toBe(0);
    expect(existsSync(staged.path)).toBe(true);
    // Other tests of this file may have left their own temporary files; what matters is that this one goes.
    expect(await store.sweep(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(existsSync(staged.path)).toBe(false);
  });

  it('is reachable from the platform with the default limit, under <data dir>/files', async () => {
    const s = fileStoreFor(t.platform);
    expect(s).toBe(fileStoreFor(t.platform));
    expect(s.dir).toBe(join(t.platform.config.dataDir, 'files'));
    const ref = await s.put(Readable.from([Buffer.from('%PDF-1.7\n')]), owner('case-G'), null);
    expect(ref.detectedType).toBe('application/pdf');
    expect((await s.listByOwner('case', 'case-G')).map((r) => r.id)).toEqual([ref.id]);
    await s.release(ref.id, null);
  });

  it("lists several owners' files in one call, each owner only his own", async () => {
    const a1 = await store.put(Readable.from([Buffer.from('a1')]), owner('case-H'), null);
    const b1 = await store.put(Readable.from([Buffer.from('b1')]), owner('case-I'), null);
    const a2 = await store.put(Readable.from([Buffer.from('a2')]), owner('case-H'), null);
    const got = await store.listByOwners('case', ['case-H', 'case-I', 'case-none']);
    expect(
      got
        .get('case-H')
        ?.map((r) => r.id)
        .sort(),
    ).toEqual([a1.id, a2.id].sort());
    expect(got.get('case-I')?.map((r) => r.id)).toEqual([b1.id]);
    expect(got.has('case-none')).toBe(false);
    expect((await store.listByOwners('case', [])).size).toBe(0);
  });
});
