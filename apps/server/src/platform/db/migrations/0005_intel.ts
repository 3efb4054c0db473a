import { randomUUID } from 'node:crypto';
import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { SEED_WARNING_LISTS, sharingRows } from '../../../modules/intel/vocab.ts';
import type { Engine } from '../connect.ts';

/**
 * Observables and correlation (issue 5, docs/adr/0007-correlation.md). Correlation is stored once per occurrence
 * — (observable, place) — never per pair. Observables and places carry an internal integer `num` so that the
 * occurrence table and its reverse index stay small; public ids remain text UUIDs.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const serial = engine === 'postgres' ? 'bigserial' : 'integer';
  const pk = (c: ColumnDefinitionBuilder) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  // SQLite: tables keyed by their primary key only (the table is the index).
  const withoutRowid = engine === 'sqlite' ? sql`without rowid` : sql``;

  await db.schema
    .createTable('intel_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reliability', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('observables')
    .addColumn('num', serial, pk)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('pap', 'text')
    .addColumn('confidence', 'integer')
    .addColumn('reliability', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('observables_type_value', ['type', 'value'])
    .execute();
  await db.schema.createIndex('observables_last_seen').on('observables').columns(['last_seen', 'num']).execute();

  await db.schema
    .createTable('observable_places')
    .addColumn('num', serial, pk)
    .addColumn('place_type', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('observable_places_key', ['place_type', 'place_id'])
    .execute();

  await db.schema
    .createTable('observable_occurrences')
    .addColumn('observable_num', 'bigint', (c) => c.notNull())
    .addColumn('place_num', 'bigint', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('role_decided_by', 'text')
    .addColumn('role_decided_at', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('seen_count', 'integer', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('observable_occurrences_pk', ['observable_num', 'place_num'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createIndex('observable_occurrences_place')
    .on('observable_occurrences')
    .columns(['place_num', 'observable_num'])
    .execute();

  await db.schema
    .createTable('observable_counts')
    .addColumn('observable_num', 'bigint', (c) => c.notNull())
    .addColumn('place_type', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('observable_counts_pk', ['observable_num', 'place_type'])
    .modifyEnd(withoutRowid)
    .execute();

  await db.schema
    .createTable('observable_links')
    .addColumn('from_num', 'bigint', (c) => c.notNull())
    .addColumn('to_num', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('observable_links_pk', ['from_num', 'to_num'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('observable_links_to').on('observable_links').columns(['to_num', 'from_num']).execute();

  await db.schema
    .createTable('observable_tags')
    .addColumn('observable_num', 'bigint', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('observable_tags_pk', ['observable_num', 'tag'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('observable_tags_tag').on('observable_tags').columns(['tag', 'observable_num']).execute();

  await db.schema
    .createTable('warning_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('warning_list_entries')
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('warning_list_entries_pk', ['list_id', 'type', 'value'])
    .execute();
  await db.schema
    .createIndex('warning_list_entries_value')
    .on('warning_list_entries')
    .columns(['type', 'value'])
    .execute();

  await db.schema
    .createTable('asn_prefixes')
    .addColumn('family', 'integer', (c) => c.notNull())
    .addColumn('prefix_len', 'integer', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('asn', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('asn_prefixes_pk', ['family', 'prefix_len', 'network'])
    .execute();

  await db.schema
    .createTable('intel_entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('intel_entities_kind_name', ['kind', 'name'])
    .execute();
  await db.schema
    .createTable('intel_entity_links')
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('place_type', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_entity_links_pk', ['entity_id', 'place_type', 'place_id'])
    .execute();
  await db.schema
    .createIndex('intel_entity_links_place')
    .on('intel_entity_links')
    .columns(['place_type', 'place_id'])
    .execute();

  await db.schema
    .createTable('intel_sharing_rules')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_sharing_rules_pk', ['type', 'role', 'recipient_kind'])
    .execute();

  const k = db as Kysely<Record<string, Record<string, unknown>>>;
  for (const row of sharingRows()) await k.insertInto('intel_sharing_rules').values(row).execute();
  const now = new Date().toISOString();
  for (const list of SEED_WARNING_LISTS) {
    const id = randomUUID();
    await k
      .insertInto('warning_lists')
      .values({
        id,
        code: list.code,
        name: list.name,
        description: list.description,
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await k
      .insertInto('warning_list_entries')
      .values(list.entries.map(([type, value]) => ({ list_id: id, type, value })))
      .execute();
  }
}
