import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../db/connect.ts';
import type { AnyDb } from '../db/dialect.ts';
import type { Database } from '../db/types.ts';

export interface TableDigest {
  rows: number;
  /** SHA-256 over the table's rows, each as canonical JSON, in a stable order. */
  sha256: string;
}

const PAGE = 5000;

function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return JSON.stringify({ $bytes: v.toString('hex') });
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'bigint') return JSON.stringify(v.toString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Row count and checksum of every table (migration bookkeeping included): written into each backup's
 * manifest and checked again after a restore. Rows are read in pages in a stable order (all columns on SQLite,
 * the row's text form on PostgreSQL), so memory stays bounded.
 */
export async function tableDigests(
  db: Kysely<Database>,
  engine: Engine,
  /** Where rows are read: a transaction holding the snapshot being backed up, or `db` itself. */
  rowsFrom: AnyDb = db,
): Promise<Record<string, TableDigest>> {
  const tables = (await db.introspection.getTables({ withInternalKyselyTables: true }))
    .filter((t) => !t.isView)
    .map((t) => (t.schema && t.schema !== 'public' ? `${t.schema}.${t.name}` : t.name))
    .sort();
  const out: Record<string, TableDigest> = {};
  for (const name of tables) {
    const hash = createHash('sha256');
    let rows = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page =
        engine === 'postgres'
          ? await sql<
              Record<string, unknown>
            >`select t.* from ${sql.table(name)} as t order by t::text limit ${PAGE} offset ${offset}`.execute(rowsFrom)
          : await sql<Record<string, unknown>>`select * from ${sql.table(name)} order by ${sql.raw(
              Array.from({ length: await columnCount(rowsFrom, name) }, (_, i) => String(i + 1)).join(', '),
            )} limit ${PAGE} offset ${offset}`.execute(rowsFrom);
      for (const row of page.rows) hash.update(`${canonical(row)}\n`);
      rows += page.rows.length;
      if (page.rows.length < PAGE) break;
    }
    out[name] = { rows, sha256: hash.digest('hex') };
  }
  return out;
}

async function columnCount(db: AnyDb, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from pragma_table_info(${table})`.execute(db);
  return Number(r.rows[0]?.n ?? 1);
}
