import { type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Case search documents (issue 7 §9, ADR 0013): `case_search(key, part, body)` holds each case's searchable text,
 * lower-cased, `key` being the case id:
 *   - part 0: title, summary and case number (rewritten when they change);
 *   - parts 1…: the timeline, 16 entries a part, entries joined by a newline (appended as entries are written).
 * Kept by triggers on both engines, so every writer of cases and timelines (joint, support, evidence…) is covered.
 * A trigram index over the documents (`createCaseSearchIndex`: FTS5 external-content table `case_search_fts` on
 * SQLite, pg_trgm GIN on PostgreSQL; read through `dialect.textSearchKeys`) finds the few cases holding a rare term.
 * The timeline's own trigram index (FTS5 / GIN per entry) is dropped: the documents replace it.
 */
export const CASE_SEARCH_PER_PART = 16;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('case_search')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_search_pk', ['key', 'part'])
    .execute();

  const nl = engine === 'sqlite' ? 'char(10)' : 'chr(10)';
  const head = (r: string) =>
    `lower(${r}.title || ${nl} || coalesce(${r}.summary, '') || ${nl} || coalesce(${r}.case_number, ''))`;
  // The part of a new timeline entry follows from how many entries its case has (index case_timeline_case).
  const part = `1 + ((select count(*) from case_timeline where case_id = new.case_id) - 1) / ${CASE_SEARCH_PER_PART}`;
  if (engine === 'sqlite') {
    await sql
      .raw(`create trigger case_search_case_ins after insert on cases begin
        insert into case_search (key, part, body) values (new.id, 0, ${head('new')}); end`)
      .execute(db);
    await sql
      .raw(`create trigger case_search_case_upd after update of title, summary, case_number on cases begin
        update case_search set body = ${head('new')} where key = new.id and part = 0; end`)
      .execute(db);
    await sql
      .raw(`create trigger case_search_timeline_ins after insert on case_timeline begin
        insert into case_search (key, part, body) values (new.case_id, ${part}, lower(new.body))
          on conflict (key, part) do update set body = body || char(10) || excluded.body; end`)
      .execute(db);
    await sql`drop trigger if exists case_timeline_fts_ins`.execute(db);
    await sql`drop table if exists case_timeline_fts`.execute(db);
  } else {
    await sql
      .raw(`create function case_search_case() returns trigger language plpgsql as $$
      begin
        insert into case_search (key, part, body) values (new.id, 0, ${head('new')})
          on conflict (key, part) do update set body = excluded.body;
        return null;
      end $$`)
      .execute(db);
    await sql`create trigger case_search_case_ins after insert on cases
      for each row execute function case_search_case()`.execute(db);
    await sql`create trigger case_search_case_upd after update of title, summary, case_number on cases
      for each row execute function case_search_case()`.execute(db);
    await sql
      .raw(`create function case_search_timeline() returns trigger language plpgsql as $$
      begin
        insert into case_search (key, part, body) values (new.case_id, ${part}, lower(new.body))
          on conflict (key, part) do update set body = case_search.body || chr(10) || excluded.body;
        return null;
      end $$`)
      .execute(db);
    await sql`create trigger case_search_timeline_ins after insert on case_timeline
      for each row execute function case_search_timeline()`.execute(db);
    await sql`drop index if exists case_timeline_body_trgm`.execute(db);
  }

  // Existing rows: the same documents the triggers would have written.
  const agg =
    engine === 'sqlite' ? `group_concat(lower(body), ${nl} order by n)` : `string_agg(lower(body), ${nl} order by n)`;
  await sql.raw(`insert into case_search (key, part, body) select c.id, 0, ${head('c')} from cases c`).execute(db);
  await sql
    .raw(`insert into case_search (key, part, body)
      select case_id, 1 + (n - 1) / ${CASE_SEARCH_PER_PART}, ${agg}
      from (select case_id, body, row_number() over (partition by case_id order by created_at, id) as n
            from case_timeline) t
      group by case_id, 1 + (n - 1) / ${CASE_SEARCH_PER_PART}`)
    .execute(db);
  await createCaseSearchIndex(db, engine);
}

/**
 * The trigram index over the documents, built from what `case_search` holds. Exported for bulk loads (the cases
 * bench): drop it, load, create it again — one build instead of one update per row.
 */
export async function createCaseSearchIndex(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`create index if not exists case_search_body_trgm on case_search using gin (body gin_trgm_ops)`.execute(
      db,
    );
    return;
  }
  // External content: the index only; `key` and `body` are read from case_search by rowid.
  await sql`create virtual table case_search_fts using fts5(key unindexed, body,
    content='case_search', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`create trigger case_search_fts_ins after insert on case_search begin
    insert into case_search_fts (rowid, key, body) values (new.rowid, new.key, new.body); end`.execute(db);
  await sql`create trigger case_search_fts_upd after update of body on case_search begin
    insert into case_search_fts (case_search_fts, rowid, key, body) values ('delete', old.rowid, old.key, old.body);
    insert into case_search_fts (rowid, key, body) values (new.rowid, new.key, new.body); end`.execute(db);
  await sql`create trigger case_search_fts_del after delete on case_search begin
    insert into case_search_fts (case_search_fts, rowid, key, body) values ('delete', old.rowid, old.key, old.body); end`.execute(
    db,
  );
  await sql`insert into case_search_fts (case_search_fts) values ('rebuild')`.execute(db);
}

export async function dropCaseSearchIndex(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`drop index if exists case_search_body_trgm`.execute(db);
    return;
  }
  await sql`drop trigger if exists case_search_fts_ins`.execute(db);
  await sql`drop trigger if exists case_search_fts_upd`.execute(db);
  await sql`drop trigger if exists case_search_fts_del`.execute(db);
  await sql`drop table if exists case_search_fts`.execute(db);
}
