import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Takedown captures in the background (issue 11; docs/adr/0020-requests.md "Captures in the background"): one row per
 * drafted URL item to capture, its state (queued → done | failed) and what came of it, so the job is resumable and
 * the request shows its progress.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('request_capture_queue')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('screenshot', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('capture_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('request_capture_queue_request')
    .on('request_capture_queue')
    .columns(['request_id', 'state'])
    .execute();
}
