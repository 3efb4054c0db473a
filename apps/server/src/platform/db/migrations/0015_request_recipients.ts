import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Recipients look-up, notices and site captures (issue 11 items 3 and 5; modules/requests/recipients/README.md):
 * the RDAP answer cache (TTL), ASN → recipient mapping, notices grouping many items per recipient under one
 * reference, per-recipient sending limits, and captured sites with their re-check history.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('rdap_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('request_recipient_asns')
    .addColumn('asn', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('request_recipient_limits')
    .addColumn('recipient_id', 'text', (c) => c.primaryKey())
    .addColumn('max_per_hour', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('request_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('request_notices_recipient_created')
    .on('request_notices')
    .columns(['recipient_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('site_captures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('final_url', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('html_file_id', 'text')
    .addColumn('html_sha256', 'text')
    .addColumn('screenshot_file_id', 'text')
    .addColumn('screenshot_sha256', 'text')
    .addColumn('screenshot_note', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('recheck', 'integer', (c) => c.notNull())
    .addColumn('last_outcome', 'text', (c) => c.notNull())
    .addColumn('last_checked_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('site_captures_recheck')
    .on('site_captures')
    .columns(['recheck', 'last_checked_at'])
    .execute();

  await db.schema
    .createTable('site_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('capture_id', 'text', (c) => c.notNull().references('site_captures.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('site_checks_capture_at').on('site_checks').columns(['capture_id', 'at']).execute();
}
