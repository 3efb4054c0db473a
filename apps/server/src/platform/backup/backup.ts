import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { create as createTar } from 'tar';
import type { Config } from '../config.ts';
import { connect } from '../db/connect.ts';
import { BACKUP_MARKER } from '../files/store.ts';
import { EncryptStream } from '../files/blobFormat.ts';
import { SecretBox } from '../keys.ts';
import { type TableDigest, tableDigests } from './digest.ts';
import { headerBytes, keyFingerprint, newArchiveKey } from './envelope.ts';
import { fileDigests, openSqliteReadonly, runPgTool, sqlitePath } from './tools.ts';

/** manifest.json inside the archive. */
export interface BackupManifest {
  format: 'renkei-backup';
  version: 1;
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** `database/renkei.db` (SQLite online backup) or `database/renkei.pgdump` (pg_dump -Fc). */
  database: string;
  migrations: string[];
  tables: Record<string, TableDigest>;
  /** Encrypted blob files of the file store, relative to `files/`, with the SHA-256 of their stored bytes. */
  files: Record<string, { size: number; sha256: string }>;
  keyFingerprint: string;
  keys: string;
}

export interface BackupSummary {
  path: string;
  engine: 'sqlite' | 'postgres';
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
  archiveBytes: number;
}

export interface BackupInput {
  config: Config;
  masterKey: Buffer;
  out: string;
  /** Replace OUT if it exists. */
  force?: boolean;
  now?: Date;
}

/**
 * `renkei backup OUT`: a consistent online backup of the database and the file store in one encrypted archive
 * (docs/OPERATIONS.md § Backup and restore). The master key is not included.
 */
export async function createBackup(input: BackupInput): Promise<BackupSummary> {
  const { config } = input;
  const out = resolve(input.out);
  if (existsSync(out) && !input.force) throw new Error(`${out} exists (use --force to replace it)`);
  const createdAt = (input.now ?? new Date()).toISOString();
  const secrets = new SecretBox(input.masterKey);
  const filesDir = join(config.dataDir, 'files');
  const stage = join(config.dataDir, `.backup-${randomBytes(6).toString('hex')}`);
  const marker = join(filesDir, BACKUP_MARKER);
  const db = connect(config.databaseUrl, { poolSize: 2 });
  await mkdir(join(stage, 'database'), { recursive: true, mode: 0o700 });
  await mkdir(filesDir, { recursive: true, mode: 0o700 });
  try {
    // While the marker exists the file store deletes no blob file, so every file the snapshot names is kept.
    await writeFile(marker, `${process.pid} ${createdAt}\n`);
    let tables: Record<string, TableDigest>;
    let database: string;
    if (db.engine === 'sqlite') {
      database = 'database/renkei.db';
      const copy = join(stage, database);
      const live = new SQLite(sqlitePath(config.databaseUrl), { readonly: true, fileMustExist: true });
      try {
        await live.backup(copy);
      } finally {
        live.close();
      }
      const snap = openSqliteReadonly(copy);
      try {
        tables = await tableDigests(snap.db, 'sqlite');
      } finally {
        await snap.close();
      }
    } else {
      database = 'database/renkei.pgdump';
      const dump = join(stage, database);
      // pg_dump and the checksums read one exported snapshot, so they describe the same data.
      tables = await db.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const snap = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
          const id = snap.rows[0]!.id;
          const [digests] = await Promise.all([
            tableDigests(db.db, 'postgres', trx),
            runPgTool('pg_dump', config.databaseUrl, ['--format=custom', `--snapshot=${id}`, `--file=${dump}`]),
          ]);
          return digests;
        });
    }
    const migrations = tables.kysely_migration
      ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db.db)).rows.map(
          (r) => r.name,
        )
      : [];
    const files = await fileDigests(filesDir);
    const manifest: BackupManifest = {
      format: 'renkei-backup',
      version: 1,
      createdAt,
      engine: db.engine,
      database,
      migrations,
      tables,
      files,
      keyFingerprint: keyFingerprint(input.masterKey),
      keys: 'not included: restore needs the master key this backup was made with (keys/master.key or RENKEI_MASTER_KEY)',
    };
    await writeFile(join(stage, 'manifest.json'), JSON.stringify(manifest, null, 1));
    await symlink(filesDir, join(stage, 'files'));

    const { key, wrappedKey } = newArchiveKey(secrets, createdAt);
    const tmp = `${out}.part-${randomBytes(4).toString('hex')}`;
    await mkdir(dirname(out), { recursive: true });
    try {
      await writeFile(
        tmp,
        headerBytes({ createdAt, engine: db.engine, keyFingerprint: manifest.keyFingerprint, wrappedKey }),
        {
          mode: 0o600,
        },
      );
      const tar = createTar(
        {
          cwd: stage,
          follow: true,
          portable: true,
          filter: (path) => !path.endsWith(BACKUP_MARKER) && !path.startsWith('files/tmp'),
        },
        ['manifest.json', 'database', 'files'],
      );
      await pipeline(tar, new EncryptStream(key), createWriteStream(tmp, { flags: 'a' }));
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, out);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      key.fill(0);
    }
    const values = Object.values(tables);
    return {
      path: out,
      engine: db.engine,
      tables: values.length,
      rows: values.reduce((n, t) => n + t.rows, 0),
      files: Object.keys(files).length,
      fileBytes: Object.values(files).reduce((n, f) => n + f.size, 0),
      archiveBytes: (await stat(out)).size,
    };
  } finally {
    await rm(marker, { force: true });
    await rm(stage, { recursive: true, force: true });
    await db.close();
  }
}
