import { type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/**
 * Durable jobs (platform/jobs), the mail outbox (platform/mail) and the OIDC subject of an account
 * (modules/auth/oidc*). Portable: text UUID keys, ISO-8601 UTC text timestamps, JSON as text.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addCheckConstraint('jobs_state', sql`state in ('queued', 'active', 'done', 'dead')`)
    .execute();
  // The claim query: due queued jobs and expired leases, oldest first.
  await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('jobs_type_state').on('jobs').columns(['type', 'state']).execute();

  await db.schema
    .createTable('job_schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_addr', 'text', (c) => c.notNull())
    .addColumn('to_addrs', 'text', (c) => c.notNull())
    .addColumn('cc_addrs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('related', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('job_id', 'text')
    .addColumn('smtp_message_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addCheckConstraint('mail_outbox_status', sql`status in ('queued', 'sent', 'failed', 'held')`)
    .execute();
  await db.schema.createIndex('mail_outbox_page').on('mail_outbox').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('mail_outbox_status').on('mail_outbox').columns(['status', 'created_at']).execute();

  // Inline attachment bytes (base64 text, portable) until the file store holds them; see docs/OPERATIONS.md § Mail.
  await db.schema
    .createTable('mail_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('mail_outbox.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_base64', 'text')
    .addColumn('file_id', 'text')
    .execute();
  await db.schema
    .createIndex('mail_attachments_message')
    .on('mail_attachments')
    .columns(['message_id', 'position'])
    .unique()
    .execute();

  // The `sub` of the account at the configured OIDC issuer; one account per subject.
  await db.schema.alterTable('users').addColumn('oidc_subject', 'text').execute();
  await db.schema.createIndex('users_oidc_subject').on('users').column('oidc_subject').unique().execute();
}
