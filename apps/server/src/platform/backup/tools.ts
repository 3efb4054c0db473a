import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../db/types.ts';

/**
 * Runs pg_dump / pg_restore with the password in the environment rather than on the command line (where
 * other users of the machine could read it).
 */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', url: string, args: string[]): Promise<void> {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${u.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 10_000) stderr += b.toString('utf8');
    });
    child.on('error', (err) => reject(new Error(`${tool} could not be started: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:' || path === '') throw new Error('an in-memory SQLite database cannot be backed up');
  return path;
}

/** A read-only Kysely over a SQLite file (a snapshot being checked). */
export function openSqliteReadonly(path: string): { db: Kysely<Database>; close(): Promise<void> } {
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(path, { readonly: true, fileMustExist: true }) }),
  });
  return { db, close: () => db.destroy() };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every blob file under `<files>/blobs`, as paths relative to `<files>`, with size and SHA-256 of its bytes. */
export async function fileDigests(filesDir: string): Promise<Record<string, { size: number; sha256: string }>> {
  const out: Record<string, { size: number; sha256: string }> = {};
  const blobs = join(filesDir, 'blobs');
  if (!existsSync(blobs)) return out;
  const entries = await readdir(blobs, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  files.sort();
  for (const path of files) {
    const { size } = await stat(path);
    out[relative(filesDir, path).split('\\').join('/')] = { size, sha256: await sha256File(path) };
  }
  return out;
}
