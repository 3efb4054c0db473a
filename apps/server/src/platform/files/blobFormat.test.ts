import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BlobIntegrityError, DecryptStream, EncryptStream, HEADER_BYTES, TAG_BYTES, storedSize } from './blobFormat.ts';

const CHUNK = 1024;
const RECORD = CHUNK + TAG_BYTES;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `data` in uneven pieces, as sockets and files do. */
function pieces(data: Buffer, size = 333): Readable {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return Readable.from(out);
}

async function seal(key: Buffer, plain: Buffer): Promise<Buffer> {
  return collect(pieces(plain).pipe(new EncryptStream(key, CHUNK)));
}

async function unseal(key: Buffer, sealed: Buffer, expected?: number): Promise<{ out: Buffer; err: unknown }> {
  const parts: Buffer[] = [];
  const dec = new DecryptStream(key, expected);
  dec.on('data', (p: Buffer) => parts.push(p));
  let err: unknown = null;
  await pipeline(pieces(sealed, 777), dec).catch((e: unknown) => {
    err = e;
  });
  return { out: Buffer.concat(parts), err };
}

describe('blob format (chunked AES-256-GCM)', () => {
  const key = randomBytes(32);

  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 17])('round-trips %i bytes', async (n) => {
    const plain = randomBytes(n);
    const sealed = await seal(key, plain);
    expect(sealed.length).toBe(storedSize(n, CHUNK));
    const { out, err } = await unseal(key, sealed, n);
    expect(err).toBeNull();
    expect(out.equals(plain)).toBe(true);
  });

  it('does not hold the plaintext in the clear, and two sealings of the same bytes differ', async () => {
    const plain = Buffer.from('被害者 山田花子 090-1234-5678 '.repeat(100));
    const a = await seal(key, plain);
    const b = await seal(key, plain);
    expect(a.includes(Buffer.from('山田花子'))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a flipped bit and emits nothing from the forged chunk onwards', async () => {
    const plain = randomBytes(4 * CHUNK);
    const sealed = await seal(key, plain);
    sealed[HEADER_BYTES + 2 * RECORD + 10]! ^= 1;
    const { out, err } = await unseal(key, sealed);
    expect(err).toBeInstanceOf(BlobIntegrityError);
    expect(out.length).toBeLessThanOrEqual(2 * CHUNK);
    expect(out.equals(plain.subarray(0, out.length))).toBe(true);
  });

  it('refuses a cut-off end (dropping whole final chunks) and appended bytes', async () => {
    const plain = randomBytes(4 * CHUNK);
    const sealed = await seal(key, plain);
    const cut = await unseal(key, sealed.subarray(0, HEADER_BYTES + 3 * RECORD));
    expect(cut.err).toBeInstanceOf(BlobIntegrityError);
    const appended = await unseal(key, Buffer.concat([sealed, Buffer.from([0])]));
    expect(appended.err).toBeInstanceOf(BlobIntegrityError);
    const empty = await unseal(key, Buffer.alloc(0));
    expect(empty.err).toBeInstanceOf(BlobIntegrityError);
  });

  it('refuses reordered chunks, a changed header, another key and a wrong recorded length', async () => {
    const plain = randomBytes(3 * CHUNK + 5);
    const sealed = await seal(key, plain);
    const r0 = sealed.subarray(HEADER_BYTES, HEADER_BYTES + RECORD);
    const r1 = sealed.subarray(HEADER_BYTES + RECORD, HEADER_BYTES + 2 * RECORD);
    const swapped = Buffer.concat([
      sealed.subarray(0, HEADER_BYTES),
      r1,
      r0,
      sealed.subarray(HEADER_BYTES + 2 * RECORD),
    ]);
    expect((await unseal(key, swapped)).err).toBeInstanceOf(BlobIntegrityError);
    const header = Buffer.from(sealed);
    header[15]! ^= 1; // nonce prefix
    expect((await unseal(key, header)).err).toBeInstanceOf(BlobIntegrityError);
    expect((await unseal(randomBytes(32), sealed)).err).toBeInstanceOf(BlobIntegrityError);
    expect((await unseal(key, sealed, plain.length + 1)).err).toBeInstanceOf(BlobIntegrityError);
  });
});
