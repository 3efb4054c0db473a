import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Case work (issue 7 items 3–7): support requests with a working-time clock, joint and mutual-assistance work,
 * international assistance, NPA reports, warrants, evidence with a hash-chained chain of custody, analysis
 * requests, business-victim profiles. Case ids refer to the cases core (0008); no foreign key, so that the
 * case-work tables can be read and written by their own modules in any order.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  /* ── support requests (支援要請) ── */
  await db.schema
    .createTable('case_support_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text')
    .addColumn('report_id', 'text')
    .addColumn('from_unit_id', 'text', (c) => c.notNull())
    .addColumn('to_unit_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('working_ms_to_decision', 'bigint')
    .addColumn('escalated_at', 'text')
    .addColumn('escalated_to', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_support_inbox')
    .on('case_support_requests')
    .columns(['to_unit_id', 'status', 'requested_at', 'id'])
    .execute();
  await db.schema
    .createIndex('case_support_outbox')
    .on('case_support_requests')
    .columns(['from_unit_id', 'requested_at', 'id'])
    .execute();
  await db.schema.createIndex('case_support_case').on('case_support_requests').column('case_id').execute();
  await db.schema.createIndex('case_support_report').on('case_support_requests').column('report_id').execute();

  /* ── evidence (証拠・電磁的記録) ── */
  await db.schema
    .createTable('case_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('case_evidence.id'))
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('item_number', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('file_ref_id', 'text')
    .addColumn('original_name', 'text')
    .addColumn('size', 'bigint')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('md5', 'text')
    .addColumn('sha1', 'text')
    .addColumn('location', 'text')
    .addColumn('seized_at', 'text')
    .addColumn('seized_from', 'text')
    .addColumn('custody_state', 'text', (c) => c.notNull())
    .addColumn('custody_seq', 'integer', (c) => c.notNull())
    .addColumn('custody_head', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_evidence_case')
    .on('case_evidence')
    .columns(['case_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('case_evidence_parent').on('case_evidence').column('parent_id').execute();

  await db.schema
    .createTable('case_custody_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('case_evidence.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('counterpart', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_custody_seq', ['evidence_id', 'seq'])
    .execute();

  await db.schema
    .createTable('case_analysis_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('evidence_ids', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('equipment', 'text', (c) => c.notNull())
    .addColumn('tools', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('analyst_id', 'text')
    .addColumn('approver_id', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_analysis_case')
    .on('case_analysis_requests')
    .columns(['case_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('case_analysis_approver')
    .on('case_analysis_requests')
    .columns(['approver_id', 'status'])
    .execute();

  /* ── warrants (令状) ── */
  await db.schema
    .createTable('case_warrants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('court', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('executed_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_warrants_case').on('case_warrants').columns(['case_id', 'created_at']).execute();
  await db.schema.createIndex('case_warrants_valid').on('case_warrants').columns(['status', 'valid_until']).execute();
  await db.schema
    .createTable('case_warrant_links')
    .addColumn('warrant_id', 'text', (c) => c.notNull().references('case_warrants.id'))
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_warrant_links_pk', ['warrant_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('case_warrant_links_target')
    .on('case_warrant_links')
    .columns(['target_type', 'target_id'])
    .execute();

  /* ── joint, mutual assistance, international, NPA reports ── */
  await db.schema
    .createTable('case_joint')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('partner_kind', 'text', (c) => c.notNull())
    .addColumn('partner_name', 'text', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_joint_case').on('case_joint').column('case_id').execute();
  await db.schema
    .createTable('case_joint_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('joint_id', 'text', (c) => c.notNull().references('case_joint.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_joint_shares_joint')
    .on('case_joint_shares')
    .columns(['joint_id', 'shared_at'])
    .execute();

  await db.schema
    .createTable('case_assistance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('counterpart', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('reference', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_on', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text')
    .addColumn('due_on', 'text')
    .addColumn('answered_on', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_assistance_list')
    .on('case_assistance')
    .columns(['owner_unit_id', 'scope', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('case_assistance_case').on('case_assistance').column('case_id').execute();

  await db.schema
    .createTable('case_npa_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text')
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('file_ref_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('case_npa_reports_list')
    .on('case_npa_reports')
    .columns(['owner_unit_id', 'created_at'])
    .execute();

  /* ── business-victim profile (NCO common template) ── */
  await db.schema
    .createTable('case_victim_profiles')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('incident_type', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('nco_consent', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
