import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/** Intake (通報・相談, issue 6, docs/adr/0009-intake.md): reports, their extracted values, duty desk, routing, clusters. */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('intake_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receipt_number', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_year', 'integer', (c) => c.notNull())
    .addColumn('receipt_seq', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('receiving_unit_id', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('members_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('narrative', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text')
    .addColumn('amount_yen', 'bigint')
    .addColumn('reporter_type', 'text', (c) => c.notNull())
    .addColumn('reporter_sealed', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('category_confirmed_by', 'text')
    .addColumn('suggested_category', 'text')
    .addColumn('suggested_score', 'real')
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('cluster_id', 'text')
    .addColumn('person_key', 'text')
    .addColumn('status_token_hash', 'text')
    .addColumn('outcome', 'text')
    .addColumn('public_message', 'text')
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('escalated_to', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('intake_reports_queue')
    .on('intake_reports')
    .columns(['owner_unit_id', 'received_at', 'id'])
    .execute();
  await db.schema.createIndex('intake_reports_received').on('intake_reports').columns(['received_at', 'id']).execute();
  await db.schema.createIndex('intake_reports_cluster').on('intake_reports').column('cluster_id').execute();
  await db.schema.createIndex('intake_reports_person').on('intake_reports').column('person_key').execute();

  await db.schema
    .createTable('intake_report_members')
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intake_report_members_pk', ['report_id', 'user_id'])
    .execute();

  for (const t of ['intake_notes', 'intake_additions'] as const) {
    let b = db.schema
      .createTable(t)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull());
    if (t === 'intake_notes') b = b.addColumn('author_id', 'text', (c) => c.notNull());
    await b.execute();
    await db.schema.createIndex(`${t}_report`).on(t).columns(['report_id', 'created_at']).execute();
  }

  await db.schema
    .createTable('intake_attachments')
    .addColumn('file_ref_id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text')
    .addColumn('detected_type', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('intake_attachments_report').on('intake_attachments').column('report_id').execute();

  await db.schema
    .createTable('intake_observables')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('found_in', 'text', (c) => c.notNull())
    .addColumn('role_decided_by', 'text')
    .addColumn('role_decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('intake_observables_uq', ['report_id', 'type', 'value'])
    .execute();
  await db.schema.createIndex('intake_observables_value').on('intake_observables').columns(['type', 'value']).execute();

  await db.schema
    .createTable('intake_duty')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('escalated_to', 'text')
    .execute();
  await db.schema.createIndex('intake_duty_created').on('intake_duty').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('intake_routing_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text')
    .addColumn('urgent', 'integer')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('target_unit_id', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('intake_models')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('confirmations', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('intake_clusters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('latest_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('intake_signatures')
    .addColumn('report_id', 'text', (c) => c.primaryKey())
    .addColumn('cluster_id', 'text', (c) => c.notNull())
    .addColumn('minhash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('intake_lsh_bands')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intake_lsh_bands_pk', ['band', 'report_id'])
    .execute();

  await db.schema
    .createTable('intake_sequences')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
}
