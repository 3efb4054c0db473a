import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface IntakeHashes {
  sha256: string;
  sha1: string;
  md5: string;
  size: number;
}

/**
 * A pass-through stream that computes SHA-256, SHA-1 and MD5 of what flows through it, in one pass, so an
 * upload is hashed for 証拠 records on its way into the file store and never held in memory.
 */
export class IntakeHasher extends Transform {
  readonly #sha256 = createHash('sha256');
  readonly #sha1 = createHash('sha1');
  readonly #md5 = createHash('md5');
  #size = 0;
  #result: IntakeHashes | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#sha256.update(chunk);
    this.#sha1.update(chunk);
    this.#md5.update(chunk);
    this.#size += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.#result = {
      sha256: this.#sha256.digest('hex'),
      sha1: this.#sha1.digest('hex'),
      md5: this.#md5.digest('hex'),
      size: this.#size,
    };
    done();
  }

  /** Available once the stream has ended. */
  get hashes(): IntakeHashes {
    if (!this.#result) throw new Error('IntakeHasher: the stream has not ended');
    return this.#result;
  }
}

const HEX = { sha256: /^[0-9a-f]{64}$/, sha1: /^[0-9a-f]{40}$/, md5: /^[0-9a-f]{32}$/ } as const;

/** Lower-cases and checks a hash typed in for a registered (not uploaded) item; null when malformed. */
export function normaliseHash(kind: keyof typeof HEX, value: string): string | null {
  const v = value.trim().toLowerCase();
  return HEX[kind].test(v) ? v : null;
}
