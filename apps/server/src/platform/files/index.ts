import { join } from 'node:path';
import type { Platform } from '../context.ts';
import { FileStore } from './store.ts';

export { BlobIntegrityError } from './blobFormat.ts';
export { contentDisposition, sendFileRef } from './http.ts';
export { FileStore, type FileRef, type NewFileRef, type StagedFile } from './store.ts';

/** Default per-file limit (8 GiB); RENKEI_FILE_MAX_BYTES overrides it, and each call may pass its own. */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 ** 3;

export function maxFileBytesFrom(env: Record<string, string | undefined> = process.env): number {
  const raw = env.RENKEI_FILE_MAX_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_FILE_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`RENKEI_FILE_MAX_BYTES is not a positive integer: ${raw}`);
  return n;
}

const stores = new WeakMap<Platform, FileStore>();

/** The platform's file store under `<data dir>/files` (one per platform object). */
export function fileStoreFor(p: Platform): FileStore {
  let store = stores.get(p);
  if (!store) {
    store = new FileStore({
      db: p.db.db,
      dialect: p.dialect,
      clock: p.clock,
      audit: p.audit,
      secrets: p.secrets,
      dir: join(p.config.dataDir, 'files'),
      maxBytes: maxFileBytesFrom(),
    });
    stores.set(p, store);
  }
  return store;
}
