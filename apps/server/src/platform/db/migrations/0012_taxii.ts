import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * TAXII 2.1 (issue 10, docs/adr/0012-taxii.md): collections under API roots, read/write grants per partner,
 * the objects of each collection (one row per object version and audience, with a strictly increasing
 * `date_added` per collection so `added_after` paging never skips), status resources of POSTs, and the client's
 * subscriptions to remote collections with their health.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const serial = engine === 'postgres' ? 'bigserial' : 'integer';
  const pk = (c: ColumnDefinitionBuilder) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema
    .createTable('taxii_collections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_root', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('alias', 'text')
    .addColumn('last_added_us', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('taxii_collections_root', sql`api_root <> ''`)
    .execute();
  await db.schema
    .createIndex('taxii_collections_alias')
    .on('taxii_collections')
    .columns(['api_root', 'alias'])
    .unique()
    .execute();

  await db.schema
    .createTable('taxii_grants')
    .addColumn('collection_id', 'text', (c) => c.notNull().references('taxii_collections.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('sharing_partners.id'))
    .addColumn('can_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('can_write', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('granted_by', 'text')
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('taxii_grants_pk', ['collection_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('taxii_objects')
    .addColumn('seq', serial, pk)
    .addColumn('collection_id', 'text', (c) => c.notNull().references('taxii_collections.id'))
    // Who may receive this row: a partner id when it was built for that partner through the egress policy
    // (published from our model), '*' when it was posted by a partner (then checked against its facts when served).
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('version_us', 'bigint', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('added_us', 'bigint', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('posted_by', 'text')
    // The publish run that last produced this row (rows of an audience not produced by its latest run are removed:
    // what is no longer releasable to a partner stops being served to them).
    .addColumn('run_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('taxii_objects_page')
    .on('taxii_objects')
    .columns(['collection_id', 'audience', 'added_us'])
    .execute();
  await db.schema
    .createIndex('taxii_objects_version')
    .on('taxii_objects')
    .columns(['collection_id', 'audience', 'stix_id', 'version_us'])
    .unique()
    .execute();

  await db.schema
    .createTable('taxii_status')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_root', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_timestamp', 'text', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.references('sharing_partners.id'))
    .addColumn('api_root_url', 'text', (c) => c.notNull())
    .addColumn('collection_id', 'text', (c) => c.notNull())
    .addColumn('token_enc', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('added_after', 'text')
    .addColumn('pushed_until', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_ok_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('objects_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('taxii_subscriptions_direction', sql`direction in ('pull', 'push')`)
    .execute();
}
