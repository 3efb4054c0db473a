import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * The retention purge walks `observables` by primary-key windows now (docs/adr/0012-detection.md, "Retention"), so
 * the (type, expires_at, num) index of 0011 is read by nothing; dropping it saves an index update on every import,
 * sighting and purge.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.dropIndex('detection_observables_expiry').ifExists().execute();
}
