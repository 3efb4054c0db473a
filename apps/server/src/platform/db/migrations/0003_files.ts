import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/** The encrypted file store: one row per stored content (blobs) and one per attachment or evidence item (file_refs). */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('stored_size', 'bigint', (c) => c.notNull())
    .addColumn('detected_type', 'text')
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('ref_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('file_refs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('blob_id', 'text', (c) => c.notNull().references('blobs.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text')
    .addColumn('detected_type', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('file_refs_owner').on('file_refs').columns(['owner_type', 'owner_id']).execute();
  await db.schema.createIndex('file_refs_blob').on('file_refs').column('blob_id').execute();
}
