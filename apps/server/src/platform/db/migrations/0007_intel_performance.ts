import { type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Intel performance (issue 5, docs/adr/0011-occurrence-storage-and-bulk-writes.md): the occurrence table is the one that grows to
 * tens of millions of rows, so its first and last seen become integer epoch seconds (SQLite: 4-byte integers instead
 * of two 24-byte ISO strings; PostgreSQL: `bigint`). The modules still speak ISO-8601 (`ingest.ts` converts).
 * Existing rows are converted in place.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`alter table observable_occurrences
      alter column first_seen type bigint using floor(extract(epoch from first_seen::timestamptz))::bigint,
      alter column last_seen type bigint using floor(extract(epoch from last_seen::timestamptz))::bigint`.execute(db);
    return;
  }
  // SQLite cannot change a column's type: the table is rebuilt (WITHOUT ROWID, same key and reverse index).
  await sql`drop index observable_occurrences_place`.execute(db);
  await sql`alter table observable_occurrences rename to observable_occurrences_0005`.execute(db);
  await sql`create table observable_occurrences (
      observable_num bigint not null,
      place_num bigint not null,
      role text not null,
      role_decided_by text,
      role_decided_at text,
      first_seen integer not null,
      last_seen integer not null,
      seen_count integer not null,
      source_id text,
      reason text,
      constraint observable_occurrences_pk primary key (observable_num, place_num)
    ) without rowid`.execute(db);
  await sql`insert into observable_occurrences
    select observable_num, place_num, role, role_decided_by, role_decided_at,
      cast(strftime('%s', first_seen) as integer), cast(strftime('%s', last_seen) as integer),
      seen_count, source_id, reason
    from observable_occurrences_0005`.execute(db);
  await sql`drop table observable_occurrences_0005`.execute(db);
  await sql`create index observable_occurrences_place on observable_occurrences (place_num, observable_num)`.execute(
    db,
  );
}
