import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract as extractTar } from 'tar';
import type { Config } from '../config.ts';
import { type Db, connect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DecryptStream } from '../files/blobFormat.ts';
import { SecretBox } from '../keys.ts';
import type { BackupManifest } from './backup.ts';
import { tableDigests } from './digest.ts';
import { openArchiveKey, readHeader } from './envelope.ts';
import { fileDigests, runPgTool, sqlitePath } from './tools.ts';

export interface RestoreInput {
  config: Config;
  masterKey: Buffer;
  input: string;
  /** Replace a database and file store that already hold data (the old files folder is kept aside). */
  force?: boolean;
}

export interface RestoreSummary {
  engine: 'sqlite' | 'postgres';
  createdAt: string;
  tables: number;
  rows: number;
  files: number;
  migrationsApplied: string[];
  /** Where the replaced file store was moved, with --force. */
  previousFiles: string | null;
}

async function databaseHasTables(db: Db): Promise<boolean> {
  return (await db.db.introspection.getTables({ withInternalKyselyTables: true })).length > 0;
}

function hasBlobFiles(filesDir: string): boolean {
  const blobs = join(filesDir, 'blobs');
  return existsSync(blobs) && readdirSync(blobs, { recursive: true }).length > 0;
}

/**
 * `renkei restore IN`: with the server stopped, puts a backup back — database and file store — and proves it:
 * every table's row count and checksum and every file's hash must equal the manifest. Refuses to overwrite an
 * installation that holds data unless `force`. Needs the master key the backup was made with.
 */
export async function restoreBackup(input: RestoreInput): Promise<RestoreSummary> {
  const { config } = input;
  const file = resolve(input.input);
  const { header, offset } = await readHeader(file);
  const key = openArchiveKey(new SecretBox(input.masterKey), header, input.masterKey);
  const filesDir = join(config.dataDir, 'files');
  const db = connect(config.databaseUrl, { poolSize: 2 });
  const stage = join(config.dataDir, `.restore-${randomBytes(6).toString('hex')}`);
  try {
    if (db.engine !== header.engine) {
      throw new Error(`this is a ${header.engine} backup; RENKEI_DATABASE_URL points to ${db.engine}`);
    }
    if (!input.force && ((await databaseHasTables(db)) || hasBlobFiles(filesDir))) {
      throw new Error('the database or the file store already holds data (restore into an empty one, or use --force)');
    }
    await mkdir(stage, { recursive: true, mode: 0o700 });
    // Every chunk is authenticated before tar sees it: a damaged or altered backup stops here, before any change.
    await pipeline(
      createReadStream(file, { start: offset }),
      new DecryptStream(key),
      extractTar({ cwd: stage, strict: true }),
    );
    const manifest = JSON.parse(await readFile(join(stage, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== 'renkei-backup' || manifest.version !== 1) throw new Error('unknown backup format');
    const stagedFiles = join(stage, 'files');
    const got = await fileDigests(stagedFiles);
    for (const [path, f] of Object.entries(manifest.files)) {
      const g = got[path];
      if (!g || g.sha256 !== f.sha256 || g.size !== f.size) throw new Error(`file ${path} differs from the manifest`);
    }

    if (db.engine === 'sqlite') {
      const target = sqlitePath(config.databaseUrl);
      await db.close();
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.restore-${randomBytes(4).toString('hex')}`;
      await copyFile(join(stage, manifest.database), tmp);
      for (const suffix of ['-wal', '-shm']) await rm(`${target}${suffix}`, { force: true });
      await rename(tmp, target);
    } else {
      await runPgTool('pg_restore', config.databaseUrl, [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        ...(input.force ? ['--clean', '--if-exists'] : []),
        join(stage, manifest.database),
      ]);
      await db.close();
    }

    const restored = connect(config.databaseUrl, { poolSize: 2 });
    let migrationsApplied: string[] = [];
    try {
      const now = await tableDigests(restored.db, restored.engine);
      for (const [table, d] of Object.entries(manifest.tables)) {
        const n = now[table];
        if (!n || n.rows !== d.rows || n.sha256 !== d.sha256) {
          throw new Error(`table ${table} differs from the backup after restore (${n?.rows ?? 0} of ${d.rows} rows)`);
        }
      }
      // A backup from an older version is brought up to this version's schema.
      migrationsApplied = await migrateToLatest(restored);
    } finally {
      await restored.close();
    }

    let previousFiles: string | null = null;
    if (hasBlobFiles(filesDir)) {
      previousFiles = `${filesDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(filesDir, previousFiles);
    } else {
      await rm(filesDir, { recursive: true, force: true });
    }
    if (existsSync(stagedFiles)) await rename(stagedFiles, filesDir);
    else await mkdir(filesDir, { recursive: true, mode: 0o700 });
    const tables = Object.values(manifest.tables);
    return {
      engine: manifest.engine,
      createdAt: manifest.createdAt,
      tables: tables.length,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      files: Object.keys(manifest.files).length,
      migrationsApplied,
      previousFiles,
    };
  } finally {
    key.fill(0);
    await rm(stage, { recursive: true, force: true });
    await db.close().catch(() => undefined);
  }
}
