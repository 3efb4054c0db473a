import type { Kysely } from 'kysely';
import { REQUEST_TYPES } from '../../../modules/requests/vocab.ts';
import type { Engine } from '../connect.ts';

/**
 * Outgoing requests and countermeasures (issue 11, docs/adr/0020-requests.md): the request-type vocabulary
 * (seeded from domain.md §4–§6, per-type fields and rules as JSON), the recipients directory, requests with their
 * items (one row per URL, account or number, each with its recipient and outcome), status history and the documents
 * kept as the record of what was sent.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('request_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('recipient_kinds', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('template_code', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('request_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('abuse_email', 'text')
    .addColumn('legal_email', 'text')
    .addColumn('fax', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('bank_code', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_recipients_kind').on('request_recipients').columns(['kind', 'name']).execute();

  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type_code', 'text', (c) => c.notNull().references('request_types.code'))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('request_recipients.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('report_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('document_number', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_until', 'text')
    .addColumn('period_days', 'integer')
    .addColumn('warned_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('requests_unit_created')
    .on('requests')
    .columns(['owner_unit_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('requests_status_due').on('requests').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('requests_case').on('requests').column('case_id').execute();

  await db.schema
    .createTable('request_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('observable_id', 'text')
    .addColumn('recipient_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_at', 'text')
    .execute();
  await db.schema
    .createIndex('request_items_request')
    .on('request_items')
    .columns(['request_id', 'position'])
    .execute();
  await db.schema.createIndex('request_items_observable').on('request_items').column('observable_id').execute();

  await db.schema
    .createTable('request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('request_events_request')
    .on('request_events')
    .columns(['request_id', 'seq'])
    .unique()
    .execute();

  await db.schema
    .createTable('request_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('document_number', 'text', (c) => c.notNull())
    .addColumn('mail_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_documents_request').on('request_documents').column('request_id').execute();

  await db.schema
    .createTable('request_doc_sequences')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_doc_sequences_pk', ['unit_id', 'year'])
    .execute();

  const types = REQUEST_TYPES.map((r, i) => ({
    code: r.code,
    name: r.name,
    legal_basis: r.legalBasis,
    recipient_kinds: JSON.stringify(r.recipientKinds),
    fields: JSON.stringify(r.fields),
    rules: JSON.stringify(r.rules),
    template_code: r.template,
    sort: i + 1,
    active: 1,
  }));
  await (db as Kysely<{ request_types: (typeof types)[number] }>).insertInto('request_types').values(types).execute();
}
