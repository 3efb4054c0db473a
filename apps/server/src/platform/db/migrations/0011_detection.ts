import type { Kysely } from 'kysely';
import { EXPIRY_DAYS, OBSERVABLE_TYPES } from '../../../modules/intel/vocab.ts';
import type { Engine } from '../connect.ts';

/** Purge delay after expiry, in days, seeded per type (editable): technical indicators from feeds go after 180 days. */
export const DEFAULT_PURGE_AFTER_DAYS = 180;

/**
 * Detection network (issue 8, docs/adr/0012-detection.md): configured feeds with their conditional-request state and
 * health, one row per collection run (the error history), hunts (places of sightings), retention policy per type.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('detection_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('reliability', 'text')
    .addColumn('interval_minutes', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('last_checked_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_changed_at', 'text')
    .addColumn('last_outcome', 'text')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('detection_feeds_due')
    .on('detection_feeds')
    .columns(['enabled', 'next_run_at'])
    .execute();

  await db.schema
    .createTable('detection_feed_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('feed_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('bad_lines', 'integer', (c) => c.notNull())
    .addColumn('new_observables', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('detection_feed_runs_feed')
    .on('detection_feed_runs')
    .columns(['feed_id', 'started_at', 'id'])
    .execute();

  await db.schema
    .createTable('detection_hunts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addColumn('matches', 'bigint', (c) => c.notNull())
    .addColumn('recorded', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('detection_retention')
    .addColumn('type', 'text', (c) => c.primaryKey())
    .addColumn('purge_after_days', 'integer')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('detection_retention' as never)
    .values(
      OBSERVABLE_TYPES.map((type) => ({
        type,
        // Types that never expire (hashes, CVE, ASN) are never purged by default.
        purge_after_days: EXPIRY_DAYS[type] === null ? null : DEFAULT_PURGE_AFTER_DAYS,
        updated_by: null,
        updated_at: now,
      })) as never,
    )
    .execute();

  // The purge walks expired observables by (type, expiry); the observables table is intel's, the index is ours.
  await db.schema
    .createIndex('detection_observables_expiry')
    .on('observables')
    .columns(['type', 'expires_at', 'num'])
    .execute();
}
