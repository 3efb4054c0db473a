import { type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Sharing (issue 9, docs/adr/0010-sharing-egress.md): partner organisations with their TLP ceiling and
 * official-body flag, each with at most one machine account (a `users` row without roles, holding API tokens);
 * release markings (格付 and named recipients set on an intel object for egress); STIX objects kept as received so
 * that what we do not model natively is re-emitted unchanged, and the map between STIX/MISP ids and our records.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('sharing_partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tlp_max', 'text', (c) => c.notNull())
    .addColumn('official', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agreement', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('agreement_signed_on', 'text')
    .addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('machine_user_id', 'text', (c) => c.references('users.id').unique())
    .addColumn('stix_identity_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('disabled_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'sharing_partners_kind',
      sql`kind in ('npa', 'jc3', 'prefecture', 'vendor', 'council', 'bank', 'telecom', 'isp', 'other')`,
    )
    .addCheckConstraint('sharing_partners_tlp', sql`tlp_max in ('clear', 'green', 'amber', 'amber+strict')`)
    .addCheckConstraint('sharing_partners_official', sql`official in (0, 1)`)
    .execute();

  await db.schema
    .createTable('sharing_markings')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('personal', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sharing_markings_pk', ['object_type', 'object_id'])
    .addCheckConstraint('sharing_markings_conf', sql`confidentiality between 1 and 3`)
    .execute();

  await db.schema
    .createTable('sharing_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('source_id', 'text')
    .addColumn('objects', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('observables', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('sharing_stix_objects')
    .addColumn('stix_id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('modified', 'text')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sharing_stix_objects_received')
    .on('sharing_stix_objects')
    .columns(['received_at', 'stix_id'])
    .execute();
  await db.schema.createIndex('sharing_stix_objects_import').on('sharing_stix_objects').column('import_id').execute();

  await db.schema
    .createTable('sharing_object_map')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('foreign_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sharing_object_map_pk', ['format', 'foreign_id', 'object_type', 'object_id'])
    .execute();
  await db.schema
    .createIndex('sharing_object_map_object')
    .on('sharing_object_map')
    .columns(['object_type', 'object_id'])
    .execute();
}
