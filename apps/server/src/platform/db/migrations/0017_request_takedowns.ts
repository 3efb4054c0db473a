import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Takedowns from grouped URLs (issue 11; modules/requests/recipients/README.md): a capture names the request item
 * it is evidence for (re-check outcomes flow back onto that item), and captures and notices are found by request.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('site_captures').addColumn('request_item_id', 'text').execute();
  await db.schema
    .createIndex('site_captures_request')
    .on('site_captures')
    .columns(['request_id', 'created_at'])
    .execute();
  await db.schema.createIndex('site_captures_item').on('site_captures').column('request_item_id').execute();
  await db.schema.createIndex('request_notices_request').on('request_notices').column('request_id').execute();
}
