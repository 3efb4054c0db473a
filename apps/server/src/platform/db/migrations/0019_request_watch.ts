import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Watching a site after its takedown (issue 11; docs/adr/0020-requests.md "Watching after a takedown"): when the
 * re-check confirms the site of a taken-down item down, `site_captures.down_at` keeps that time (checked daily from
 * then on, for 30 days); a site that answers again afterwards is flagged on its item (`request_items.resurfaced_at`).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('site_captures').addColumn('down_at', 'text').execute();
  await db.schema.alterTable('request_items').addColumn('resurfaced_at', 'text').execute();
}
