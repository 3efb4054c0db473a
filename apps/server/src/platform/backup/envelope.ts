import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { SecretBox } from '../keys.ts';

/**
 * A backup file: two text lines, then the archive (a tar) in the file store's chunked AES-256-GCM format.
 *
 *   RENKEI-BACKUP 1
 *   {"createdAt":"…","engine":"sqlite","keyFingerprint":"…","wrappedKey":"v1.…"}
 *   <encrypted tar>
 *
 * The archive key is random per backup and sealed by the master key, which is NOT in the backup: without the
 * master key a backup yields nothing, not even the database (統一基準 6.2.5: encrypted data → encrypted backups).
 */
export const BACKUP_MAGIC = 'RENKEI-BACKUP 1';

export interface BackupHeader {
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** Identifies the master key the backup was made with (not the key itself). */
  keyFingerprint: string;
  wrappedKey: string;
}

export function keyFingerprint(masterKey: Buffer): string {
  return createHash('sha256').update('renkei master key fingerprint\0').update(masterKey).digest('hex').slice(0, 16);
}

export function newArchiveKey(secrets: SecretBox, createdAt: string): { key: Buffer; wrappedKey: string } {
  const key = randomBytes(32);
  return { key, wrappedKey: secrets.seal(key.toString('hex'), `backup:${createdAt}`) };
}

export function headerBytes(h: BackupHeader): Buffer {
  return Buffer.from(`${BACKUP_MAGIC}\n${JSON.stringify(h)}\n`, 'utf8');
}

/** Reads the two header lines of a backup file; returns the header and where the encrypted archive starts. */
export async function readHeader(path: string): Promise<{ header: BackupHeader; offset: number }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead);
    const first = text.indexOf(10);
    const second = first < 0 ? -1 : text.indexOf(10, first + 1);
    if (first < 0 || second < 0 || text.subarray(0, first).toString('utf8') !== BACKUP_MAGIC) {
      throw new Error(`${path} is not a Renkei backup`);
    }
    const header = JSON.parse(text.subarray(first + 1, second).toString('utf8')) as BackupHeader;
    if (!header.createdAt || !header.wrappedKey || !header.keyFingerprint) throw new Error(`${path}: damaged header`);
    return { header, offset: second + 1 };
  } finally {
    await fh.close();
  }
}

export function openArchiveKey(secrets: SecretBox, header: BackupHeader, masterKey: Buffer): Buffer {
  if (keyFingerprint(masterKey) !== header.keyFingerprint) {
    throw new Error(
      `this backup was made with another master key (fingerprint ${header.keyFingerprint}, this installation has ${keyFingerprint(masterKey)}); put that key in <data dir>/keys/master.key or RENKEI_MASTER_KEY first`,
    );
  }
  return Buffer.from(secrets.open(header.wrappedKey, `backup:${header.createdAt}`), 'hex');
}
