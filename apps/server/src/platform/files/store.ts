import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Audit, AuditActor } from '../audit/audit.ts';
import type { Clock } from '../clock.ts';
import type { Dialect } from '../db/dialect.ts';
import type { Database } from '../db/types.ts';
import { AppError } from '../errors.ts';
import type { SecretBox } from '../keys.ts';
import { BlobIntegrityError, DEFAULT_CHUNK_BYTES, DecryptStream, EncryptStream, storedSize } from './blobFormat.ts';
import { SNIFF_BYTES, detectType } from './detect.ts';
import './types.ts';

/** One attachment or evidence item as modules see it. `id` is the only handle that ever leaves the server. */
export interface FileRef {
  id: string;
  ownerType: string;
  ownerId: string;
  originalName: string;
  declaredType: string | null;
  detectedType: string | null;
  size: number;
  /** SHA-256 of this item's own bytes (for 証拠 integrity records); not a handle, never used to look anything up. */
  sha256: string;
  createdAt: string;
  createdBy: string | null;
}

export interface NewFileRef {
  ownerType: string;
  ownerId: string;
  originalName: string;
  declaredType?: string | null;
}

/** Content written to disk but not yet referenced; becomes a blob row in `attach`, or is removed in `settle`. */
export interface StagedFile {
  readonly blobId: string;
  readonly sha256: string;
  readonly size: number;
  readonly detectedType: string | null;
  readonly wrappedKey: string;
  readonly path: string;
}

export interface FileStoreDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  audit: Audit;
  secrets: SecretBox;
  /** Root folder: `<data dir>/files`. */
  dir: string;
  /** Largest file accepted by default, in bytes; each call may set a smaller (or larger) one. */
  maxBytes: number;
  chunkBytes?: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Hashes, counts and samples the plaintext on its way to the cipher; refuses more than `limit` bytes. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  readonly #sample: Buffer[] = [];
  #sampled = 0;
  constructor(private readonly limit: number) {
    super();
  }
  get sample(): Buffer {
    return Buffer.concat(this.#sample);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(new AppError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${this.limit} bytes`));
      return;
    }
    this.hash.update(chunk);
    if (this.#sampled < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.#sampled);
      this.#sample.push(Buffer.from(part));
      this.#sampled += part.length;
    }
    done(null, chunk);
  }
}

/** Present in the store's folder while `renkei backup` copies it (platform/backup). */
export const BACKUP_MARKER = '.backup-in-progress';

/** A marker older than a day (by the file system's clock) is a crashed backup's and holds nothing back. */
async function backupRunning(dir: string, now: Date): Promise<boolean> {
  const st = await stat(join(dir, BACKUP_MARKER)).catch(() => null);
  return st !== null && now.getTime() - st.mtime.getTime() < 24 * 3600 * 1000;
}

async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/**
 * The encrypted, content-addressed, reference-counted file store (docs/adr/0006-file-store.md).
 *
 * Dedup is internal: equal content is stored once, but every attachment or evidence item is its own reference
 * with its own id, and nothing a caller can see or time tells it whether another reference holds the same bytes
 * (each upload is streamed, hashed and encrypted in full before the store looks for an equal blob).
 */
export class FileStore {
  readonly #d: FileStoreDeps;
  readonly #chunkBytes: number;

  constructor(deps: FileStoreDeps) {
    this.#d = deps;
    this.#chunkBytes = deps.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  get dir(): string {
    return this.#d.dir;
  }

  blobPath(blobId: string): string {
    return join(this.#d.dir, 'blobs', blobId.slice(0, 2), blobId);
  }

  /**
   * Streams `input` through hashing, type sniffing and encryption into a temporary file, then renames it into
   * place. Over the limit → PAYLOAD_TOO_LARGE and nothing is left behind. Memory stays bounded by the chunk size.
   */
  async stage(input: Readable, options: { maxBytes?: number } = {}): Promise<StagedFile> {
    const blobId = randomUUID();
    const key = randomBytes(32);
    const tmpDir = join(this.#d.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${blobId}.part`);
    const meter = new Meter(options.maxBytes ?? this.#d.maxBytes);
    try {
      await pipelineAsync(
        input,
        meter,
        new EncryptStream(key, this.#chunkBytes),
        createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
      );
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      const path = this.blobPath(blobId);
      await mkdir(join(this.#d.dir, 'blobs', blobId.slice(0, 2)), { recursive: true, mode: 0o700 });
      await rename(tmp, path);
      return {
        blobId,
        sha256: meter.hash.digest('hex'),
        size: meter.size,
        detectedType: await detectType(meter.sample),
        wrappedKey: this.#d.secrets.seal(key.toString('hex'), `blob:${blobId}`),
        path,
      };
    } catch (err) {
      await unlinkQuietly(tmp);
      throw err;
    } finally {
      key.fill(0);
    }
  }

  /**
   * Inside the caller's transaction: adds a reference to staged content, reusing an equal blob if one exists.
   * The caller audits its own action; after the transaction ends (committed or not) it calls `settle(staged)`.
   */
  async attach(trx: Transaction<Database>, staged: StagedFile, ref: NewFileRef, createdBy: string | null) {
    const now = this.#d.clock.now().toISOString();
    const bumped = await trx
      .updateTable('blobs')
      .set((eb) => ({ ref_count: eb('ref_count', '+', 1) }))
      .where('sha256', '=', staged.sha256)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) === 0) {
      await trx
        .insertInto('blobs')
        .values({
          id: staged.blobId,
          sha256: staged.sha256,
          size: staged.size,
          stored_size: storedSize(staged.size, this.#chunkBytes),
          detected_type: staged.detectedType,
          wrapped_key: staged.wrappedKey,
          ref_count: 1,
          created_at: now,
        })
        .execute();
    }
    const blob = await trx
      .selectFrom('blobs')
      .select('id')
      .where('sha256', '=', staged.sha256)
      .executeTakeFirstOrThrow();
    const row = {
      id: randomUUID(),
      blob_id: blob.id,
      owner_type: ref.ownerType,
      owner_id: ref.ownerId,
      original_name: ref.originalName,
      declared_type: ref.declaredType ?? null,
      detected_type: staged.detectedType,
      size: staged.size,
      created_at: now,
      created_by: createdBy,
    };
    await trx.insertInto('file_refs').values(row).execute();
    return present(row, staged.sha256);
  }

  /** Removes staged content that did not become a blob (a duplicate, or a transaction that rolled back). */
  async settle(staged: StagedFile): Promise<void> {
    await this.collect([staged.blobId]);
  }

  /** Stages, attaches and audits `file.attach` in one transaction. */
  async put(input: Readable, ref: NewFileRef, actor: AuditActor | null, options: { maxBytes?: number } = {}) {
    const staged = await this.stage(input, options);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#d.db.transaction().execute(async (trx) => {
            const out = await this.attach(trx, staged, ref, actor?.id ?? null);
            await this.#d.audit.record(trx, {
              actor,
              action: 'file.attach',
              target: { type: 'file_ref', id: out.id },
              result: 'success',
              details: {
                ownerType: ref.ownerType,
                ownerId: ref.ownerId,
                size: out.size,
                detectedType: out.detectedType,
              },
            });
            return out;
          });
        } catch (err) {
          // Two uploads of equal content raced to create the blob: the loser retries and reuses it.
          if (attempt < 3 && this.#d.dialect.isUniqueViolation(err)) continue;
          throw err;
        }
      }
    } finally {
      await this.settle(staged);
    }
  }

  async get(refId: string, db: Db = this.#d.db): Promise<FileRef | null> {
    const row = await db
      .selectFrom('file_refs')
      .innerJoin('blobs', 'blobs.id', 'file_refs.blob_id')
      .selectAll('file_refs')
      .select('blobs.sha256')
      .where('file_refs.id', '=', refId)
      .executeTakeFirst();
    return row ? present(row, row.sha256) : null;
  }

  async listByOwner(ownerType: string, ownerId: string, db: Db = this.#d.db): Promise<FileRef[]> {
    return (await this.listByOwners(ownerType, [ownerId], db)).get(ownerId) ?? [];
  }

  /** The files of several owners in one query (a list page), each owner's in upload order. */
  async listByOwners(ownerType: string, ownerIds: string[], db: Db = this.#d.db): Promise<Map<string, FileRef[]>> {
    const out = new Map<string, FileRef[]>();
    if (ownerIds.length === 0) return out;
    const rows = await db
      .selectFrom('file_refs')
      .innerJoin('blobs', 'blobs.id', 'file_refs.blob_id')
      .selectAll('file_refs')
      .select('blobs.sha256')
      .where('file_refs.owner_type', '=', ownerType)
      .where('file_refs.owner_id', 'in', ownerIds)
      .orderBy('file_refs.created_at')
      .orderBy('file_refs.id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.owner_id) ?? [];
      list.push(present(r, r.sha256));
      out.set(r.owner_id, list);
    }
    return out;
  }

  /**
   * The verified plaintext of a reference as a stream. Each chunk is authenticated before it is emitted; a
   * tampered, truncated or missing blob makes the stream error (BlobIntegrityError), never yield forged bytes.
   */
  async open(refId: string): Promise<{ ref: FileRef; stream: Readable }> {
    const row = await this.#d.db
      .selectFrom('file_refs')
      .innerJoin('blobs', 'blobs.id', 'file_refs.blob_id')
      .selectAll('file_refs')
      .select(['blobs.sha256', 'blobs.wrapped_key'])
      .where('file_refs.id', '=', refId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND');
    return { ref: present(row, row.sha256), stream: this.#decrypt(row.blob_id, row.wrapped_key, row.size) };
  }

  #decrypt(blobId: string, wrappedKey: string, size: number): Readable {
    const key = Buffer.from(this.#d.secrets.open(wrappedKey, `blob:${blobId}`), 'hex');
    const source = createReadStream(this.blobPath(blobId), { highWaterMark: this.#chunkBytes + 16 });
    const plain = new DecryptStream(key, size);
    // Errors anywhere reach `plain`'s reader; a reader that stops early closes the file.
    pipeline(source, plain, () => key.fill(0));
    return plain;
  }

  /** The whole plaintext in memory: for small files (documents, mail attachments) only. */
  async readAll(refId: string): Promise<Buffer> {
    const { stream } = await this.open(refId);
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  /** Decrypts a reference's blob in full and checks its SHA-256 (完全性 check); throws BlobIntegrityError. */
  async verify(refId: string): Promise<void> {
    const { ref, stream } = await this.open(refId);
    const hash = createHash('sha256');
    for await (const part of stream) hash.update(part as Buffer);
    if (hash.digest('hex') !== ref.sha256) throw new BlobIntegrityError('content hash differs from the recorded one');
  }

  /**
   * Inside the caller's transaction: removes one reference (返還/廃棄/削除 of one item). Other references to the
   * same content are untouched; the blob row goes with its last reference. Returns blob ids to `collect` after
   * the commit.
   */
  async removeRef(trx: Transaction<Database>, refId: string): Promise<string[]> {
    const ref = await trx.selectFrom('file_refs').select('blob_id').where('id', '=', refId).executeTakeFirst();
    if (!ref) throw new AppError('NOT_FOUND');
    await trx.deleteFrom('file_refs').where('id', '=', refId).execute();
    await trx
      .updateTable('blobs')
      .set((eb) => ({ ref_count: eb('ref_count', '-', 1) }))
      .where('id', '=', ref.blob_id)
      .execute();
    const left = await trx
      .selectFrom('blobs')
      .select('ref_count')
      .where('id', '=', ref.blob_id)
      .executeTakeFirstOrThrow();
    if (left.ref_count > 0) return [];
    await trx.deleteFrom('blobs').where('id', '=', ref.blob_id).execute();
    return [ref.blob_id];
  }

  /** Removes one reference in its own transaction, audited as `file.release`, and collects its blob if unused. */
  async release(refId: string, actor: AuditActor | null, reason: string | null = null): Promise<void> {
    const gone = await this.#d.db.transaction().execute(async (trx) => {
      const out = await this.removeRef(trx, refId);
      await this.#d.audit.record(trx, {
        actor,
        action: 'file.release',
        target: { type: 'file_ref', id: refId },
        result: 'success',
        details: { reason },
      });
      return out;
    });
    await this.collect(gone);
  }

  /**
   * Deletes the files of blobs that have no row (any more). Safe to call with any ids, any time. While a backup
   * runs (a recent BACKUP_MARKER exists) nothing is deleted, so that the files of its database snapshot stay
   * complete; `sweep` removes the leftovers later.
   */
  async collect(blobIds: readonly string[]): Promise<void> {
    if (blobIds.length === 0 || (await backupRunning(this.#d.dir, new Date()))) return;
    const alive = new Set(
      (
        await this.#d.db
          .selectFrom('blobs')
          .select('id')
          .where('id', 'in', [...blobIds])
          .execute()
      ).map((r) => r.id),
    );
    for (const id of blobIds) if (!alive.has(id)) await unlinkQuietly(this.blobPath(id));
  }

  /**
   * Removes what a crash can leave behind: temporary files and blob files without a row, both only when last
   * modified before `before` (so that uploads in flight are never touched). Returns how many files went.
   */
  async sweep(before: Date): Promise<number> {
    if (await backupRunning(this.#d.dir, new Date())) return 0;
    let removed = 0;
    const old = async (path: string) => (await stat(path)).mtime < before;
    const tmpDir = join(this.#d.dir, 'tmp');
    for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
      const path = join(tmpDir, name);
      if (await old(path)) {
        await unlinkQuietly(path);
        removed++;
      }
    }
    const blobsDir = join(this.#d.dir, 'blobs');
    for (const shard of await readdir(blobsDir).catch(() => [] as string[])) {
      const names = await readdir(join(blobsDir, shard));
      const known = new Set<string>();
      for (let i = 0; i < names.length; i += 500) {
        const batch = names.slice(i, i + 500);
        const rows = await this.#d.db.selectFrom('blobs').select('id').where('id', 'in', batch).execute();
        for (const r of rows) known.add(r.id);
      }
      for (const name of names) {
        const path = join(blobsDir, shard, name);
        if (!known.has(name) && (await old(path))) {
          await unlinkQuietly(path);
          removed++;
        }
      }
    }
    return removed;
  }
}

function present(
  r: {
    id: string;
    owner_type: string;
    owner_id: string;
    original_name: string;
    declared_type: string | null;
    detected_type: string | null;
    size: number;
    created_at: string;
    created_by: string | null;
  },
  sha256: string,
): FileRef {
  return {
    id: r.id,
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    originalName: r.original_name,
    declaredType: r.declared_type,
    detectedType: r.detected_type,
    size: Number(r.size),
    sha256,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
