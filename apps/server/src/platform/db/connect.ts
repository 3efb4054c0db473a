import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  engine: Engine;
  url: string;
  close(): Promise<void>;
}

// int8 (bigint, e.g. audit sequence numbers and counts) arrives as a string by default; our values stay
// far below 2^53, so numbers are exact and both engines return the same type.
pg.types.setTypeParser(20, (v) => Number(v));

export function engineOf(url: string): Engine {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`RENKEI_DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
}

export interface ConnectOptions {
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export function connect(url: string, options: ConnectOptions = {}): Db {
  const engine = engineOf(url);
  if (engine === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, engine, url, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine, url, close: () => db.destroy() };
}
