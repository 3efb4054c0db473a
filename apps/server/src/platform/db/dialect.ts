import { type Kysely, PostgresAdapter, type RawBuilder, type Transaction, sql } from 'kysely';
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
  /**
   * Japanese full-text "contains": the keys of rows of `index.table` whose `columns` contain `q`. SQLite reads the
   * FTS5 trigram table `<table>_fts` (columns `key` + the indexed ones, kept by triggers); PostgreSQL reads the table
   * itself with pg_trgm GIN indexes on the columns. Use as `ref in (<this>)`.
   */
  textSearchKeys(index: TextIndex, q: string): RawBuilder<unknown>;
  /**
   * A derived table over a JSON array of row arrays bound as ONE parameter: `(select … as c0, … as cN from …)`.
   * The statement text does not depend on the number of rows, so a bulk statement is short to parse and prepare
   * whatever its size (SQLite `json_each`, PostgreSQL `json_array_elements`).
   */
  jsonRows(rows: readonly (readonly unknown[])[], columns: readonly JsonColumn[]): RawBuilder<unknown>;
}

/** A column of `jsonRows`: its name and SQL type. */
export type JsonColumn = readonly [name: string, type: 'text' | 'bigint'];

function jsonRowsOf(engine: Engine): Dialect['jsonRows'] {
  return (rows, columns) => {
    const json = JSON.stringify(rows);
    const cols = columns.map(([name, type], i) =>
      engine === 'postgres'
        ? sql`(j.e ->> ${sql.lit(i)})::${sql.raw(type)} as ${sql.ref(name)}`
        : sql`j.value ->> ${sql.lit(i)} as ${sql.ref(name)}`,
    );
    return engine === 'postgres'
      ? sql`(select ${sql.join(cols)} from json_array_elements(${json}::json) as j(e))`
      : sql`(select ${sql.join(cols)} from json_each(${json}) as j)`;
  };
}

/** A table searchable by `textSearchKeys` (see migrations 0008 for an example). */
export interface TextIndex {
  table: string;
  /** The column returned (SQLite: the FTS table's `key`, which mirrors it). */
  key: string;
  columns: readonly string[];
}

const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function likeAny(table: string, key: string, columns: readonly string[], q: string, op: 'like' | 'ilike') {
  const pat = likePattern(q);
  const conds = columns.map((c) => sql`${sql.ref(c)} ${sql.raw(op)} ${pat} escape '\\'`);
  return sql`select ${sql.ref(key)} from ${sql.table(table)} where ${sql.join(conds, sql` or `)}`;
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
      textSearchKeys: (index, q) => likeAny(index.table, index.key, index.columns, q, 'ilike'),
      jsonRows: jsonRowsOf(engine),
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
    // The trigram tokenizer needs three characters; shorter queries scan the FTS table with LIKE.
    textSearchKeys: (index, q) =>
      [...q].length >= 3
        ? sql`select key from ${sql.table(`${index.table}_fts`)} where ${sql.table(`${index.table}_fts`)} match ${`"${q.replace(/"/g, '""')}"`}`
        : likeAny(`${index.table}_fts`, 'key', index.columns, q, 'like'),
    jsonRows: jsonRowsOf(engine),
  };
}

export type AnyDb = Kysely<Database> | Transaction<Database>;

const dialects = { sqlite: dialectFor('sqlite'), postgres: dialectFor('postgres') };

/** The dialect of a connection or transaction, for code that is handed only a `trx` (e.g. `recordObservables`). */
export function dialectOf(db: AnyDb): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? dialects.postgres : dialects.sqlite;
}
