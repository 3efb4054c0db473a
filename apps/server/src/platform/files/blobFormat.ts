import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * On-disk format of one encrypted blob (docs/adr/0006-file-store.md):
 *
 *   header  (20 bytes)  'RKBF' | version 1 | 3 zero bytes | chunk size (u32 BE) | nonce prefix (7 random bytes) | 0
 *   records            one per chunk: AES-256-GCM ciphertext (≤ chunk size) followed by its 16-byte tag
 *
 * Nonce of chunk i = prefix (7) | i (u32 BE) | final flag (1): the STREAM construction. The AAD of every chunk is
 * the header, i and the final flag, so a changed header, reordered or dropped chunks, or a cut-off end all
 * fail authentication. Every blob has its own random data key, so nonces never repeat under one key.
 * The plaintext is never emitted before its chunk's tag has been checked.
 */
export const MAGIC = Buffer.from('RKBF', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 20;
export const TAG_BYTES = 16;
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
const MAX_CHUNKS = 0xffffffff;

export class BlobIntegrityError extends Error {
  constructor(message: string) {
    super(`stored file failed its integrity check: ${message}`);
    this.name = 'BlobIntegrityError';
  }
}

function makeHeader(chunkBytes: number, prefix: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt8(FORMAT_VERSION, 4);
  h.writeUInt32BE(chunkBytes, 8);
  prefix.copy(h, 12);
  return h;
}

function parseHeader(h: Buffer): { chunkBytes: number; prefix: Buffer } {
  if (h.length !== HEADER_BYTES || !h.subarray(0, 4).equals(MAGIC)) throw new BlobIntegrityError('not a blob header');
  if (h.readUInt8(4) !== FORMAT_VERSION) throw new BlobIntegrityError(`unknown format version ${h.readUInt8(4)}`);
  const chunkBytes = h.readUInt32BE(8);
  if (chunkBytes < 1024 || chunkBytes > 16 * 1024 * 1024) throw new BlobIntegrityError('implausible chunk size');
  return { chunkBytes, prefix: h.subarray(12, 19) };
}

function nonceAndAad(header: Buffer, prefix: Buffer, index: number, final: boolean): { iv: Buffer; aad: Buffer } {
  if (index > MAX_CHUNKS) throw new Error('blob too large for its chunk counter');
  const tail = Buffer.alloc(5);
  tail.writeUInt32BE(index, 0);
  tail.writeUInt8(final ? 1 : 0, 4);
  return { iv: Buffer.concat([prefix, tail]), aad: Buffer.concat([header, tail]) };
}

/** A FIFO of buffers that hands out exact-length slices without re-concatenating everything it holds. */
class ByteQueue {
  #parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    if (b.length === 0) return;
    this.#parts.push(b);
    this.length += b.length;
  }
  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.#parts[0]!;
      const want = n - filled;
      if (head.length <= want) {
        head.copy(out, filled);
        filled += head.length;
        this.#parts.shift();
      } else {
        head.copy(out, filled, 0, want);
        this.#parts[0] = head.subarray(want);
        filled += want;
      }
    }
    this.length -= n;
    return out;
  }
}

/** Plaintext in, blob format out. Holds at most one chunk (plus what the stream hands it) in memory. */
export class EncryptStream extends Transform {
  readonly #key: Buffer;
  readonly #chunkBytes: number;
  readonly #prefix = randomBytes(7);
  readonly #header: Buffer;
  readonly #queue = new ByteQueue();
  #index = 0;

  constructor(key: Buffer, chunkBytes = DEFAULT_CHUNK_BYTES) {
    super();
    if (key.length !== 32) throw new Error('a blob key has 32 bytes');
    this.#key = key;
    this.#chunkBytes = chunkBytes;
    this.#header = makeHeader(chunkBytes, this.#prefix);
    this.push(this.#header);
  }

  #seal(plain: Buffer, final: boolean): void {
    const { iv, aad } = nonceAndAad(this.#header, this.#prefix, this.#index++, final);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(aad);
    this.push(c.update(plain));
    c.final();
    this.push(c.getAuthTag());
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#queue.push(chunk);
    // A chunk is sealed as non-final only once we know more bytes follow it.
    while (this.#queue.length > this.#chunkBytes) this.#seal(this.#queue.take(this.#chunkBytes), false);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.#seal(this.#queue.take(this.#queue.length), true);
    done();
  }
}

/**
 * Blob format in, verified plaintext out. Errors (BlobIntegrityError) on any tampering, truncation or
 * appended bytes, and when the plaintext length differs from `expectedSize`.
 */
export class DecryptStream extends Transform {
  readonly #key: Buffer;
  readonly #expectedSize: number | undefined;
  readonly #queue = new ByteQueue();
  #header: Buffer | null = null;
  #prefix: Buffer | null = null;
  #recordBytes = 0;
  #index = 0;
  #emitted = 0;

  constructor(key: Buffer, expectedSize?: number) {
    super();
    this.#key = key;
    this.#expectedSize = expectedSize;
  }

  #open(record: Buffer, final: boolean): Buffer {
    if (record.length < TAG_BYTES) throw new BlobIntegrityError('truncated record');
    const { iv, aad } = nonceAndAad(this.#header!, this.#prefix!, this.#index++, final);
    const d = createDecipheriv('aes-256-gcm', this.#key, iv);
    d.setAAD(aad);
    d.setAuthTag(record.subarray(record.length - TAG_BYTES));
    const plain = d.update(record.subarray(0, record.length - TAG_BYTES));
    try {
      d.final();
    } catch {
      throw new BlobIntegrityError(`chunk ${this.#index - 1} does not authenticate`);
    }
    this.#emitted += plain.length;
    return plain;
  }

  #readHeader(): void {
    if (this.#header || this.#queue.length < HEADER_BYTES) return;
    this.#header = this.#queue.take(HEADER_BYTES);
    const { chunkBytes, prefix } = parseHeader(this.#header);
    this.#prefix = prefix;
    this.#recordBytes = chunkBytes + TAG_BYTES;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#queue.push(chunk);
      this.#readHeader();
      if (this.#header) {
        // Strictly more than one record buffered: the record at the front is not the last one.
        while (this.#queue.length > this.#recordBytes)
          this.push(this.#open(this.#queue.take(this.#recordBytes), false));
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.#readHeader();
      if (!this.#header) throw new BlobIntegrityError('missing header');
      this.push(this.#open(this.#queue.take(this.#queue.length), true));
      if (this.#expectedSize !== undefined && this.#emitted !== this.#expectedSize) {
        throw new BlobIntegrityError(`length ${this.#emitted} differs from the recorded ${this.#expectedSize}`);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

/** Bytes a blob of `size` plaintext bytes occupies on disk. */
export function storedSize(size: number, chunkBytes = DEFAULT_CHUNK_BYTES): number {
  const chunks = Math.max(1, Math.ceil(size / chunkBytes));
  return HEADER_BYTES + size + chunks * TAG_BYTES;
}
