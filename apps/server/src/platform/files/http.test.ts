import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { HEADER_BYTES } from './blobFormat.ts';
import { contentDisposition, fileStoreFor, sendFileRef } from './index.ts';

describe('serving a file reference over HTTP', () => {
  let t: TestContext;
  const app = Fastify();
  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const store = fileStoreFor(t.platform);
    app.get('/f/:id', async (request, reply) => sendFileRef(reply, store, (request.params as { id: string }).id));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('sends the detected type, never the declared one, with a Japanese file name', async () => {
    const store = fileStoreFor(t.platform);
    const html = await store.put(
      Readable.from([Buffer.from('<html><script>alert(1)</script></html>')]),
      { ownerType: 'case', ownerId: 'a', originalName: '被害者提出資料.html', declaredType: 'text/html' },
      null,
    );
    const res = await app.inject({ method: 'GET', url: `/f/${html.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(contentDisposition('attachment', '被害者提出資料.html'));
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E8%A2%AB");
    expect(res.body).toContain('<script>');

    const pdf = await store.put(
      Readable.from([Buffer.from('%PDF-1.7\n%test\n')]),
      { ownerType: 'case', ownerId: 'a', originalName: '照会書.pdf' },
      null,
    );
    const shown = await app.inject({ method: 'GET', url: `/f/${pdf.id}` });
    expect(shown.headers['content-type']).toBe('application/pdf');
    expect(shown.headers['content-disposition']).toMatch(/^inline; /);
  });

  it('never delivers a tampered file in full', async () => {
    const store = fileStoreFor(t.platform);
    const data = randomBytes(300_000);
    const ref = await store.put(
      Readable.from([data]),
      { ownerType: 'case', ownerId: 'b', originalName: 'x.bin' },
      null,
    );
    const blob = await t.platform.db.db
      .selectFrom('file_refs')
      .select('blob_id')
      .where('id', '=', ref.id)
      .executeTakeFirstOrThrow();
    const path = store.blobPath(blob.blob_id);
    const bytes = readFileSync(path);
    bytes[HEADER_BYTES + 70_000]! ^= 1;
    writeFileSync(path, bytes);
    // Headers (200, content-length) are out before the damaged chunk is reached: the only honest move left is
    // to cut the connection, which the client sees as an incomplete transfer.
    await expect(app.inject({ method: 'GET', url: `/f/${ref.id}` })).rejects.toThrow(/destroyed/);
  });
});
