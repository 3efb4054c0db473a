import { type Kysely, type Transaction, sql } from 'kysely';
import type { Engine } from './connect.ts';
import type { Database } from './types.ts';

/**
 * Everything that differs between SQLite and PostgreSQL lives here, so that modules never ask which
 * engine they run on (ARCHITECTURE.md principle 4).
 */
export interface Dialect {
  engine: Engine;
  /** Serialises writers of one hash chain until the transaction ends. */
  lockChain(trx: Transaction<Database>, chain: number): Promise<void>;
  /** Whether an error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** Case-insensitive LIKE operator. */
  ilike: 'like' | 'ilike';
}

export function dialectFor(engine: Engine): Dialect {
  if (engine === 'postgres') {
    return {
      engine,
      async lockChain(trx, chain) {
        await sql`select pg_advisory_xact_lock(${chain})`.execute(trx);
      },
      isUniqueViolation: (err) => (err as { code?: string } | null)?.code === '23505',
      ilike: 'ilike',
    };
  }
  return {
    engine,
    // SQLite has one writer at a time and Kysely's SQLite driver runs one transaction at a time per
    // connection; other processes wait on busy_timeout. Nothing more is needed.
    async lockChain() {},
    isUniqueViolation: (err) => {
      const code = (err as { code?: string } | null)?.code ?? '';
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    // SQLite's LIKE is case-insensitive for ASCII already.
    ilike: 'like',
  };
}

export type AnyDb = Kysely<Database> | Transaction<Database>;
