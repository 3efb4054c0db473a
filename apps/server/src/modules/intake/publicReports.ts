import { randomUUID, timingSafeEqual } from 'node:crypto';
import { extractIocs } from '@renkei/core/ioc/index';
import type { Selectable } from 'kysely';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type ExtractedValue, fromFindings, linkReportObservables } from './observables.ts';
import { hashToken } from './receive.ts';
import type { IntakeReportTable } from './tables.ts';

type ReportRow = Selectable<IntakeReportTable>;

import { STATUS_LABELS } from './labels.ts';

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The report a receipt number and status token open; NOT_FOUND for any mismatch (nothing to enumerate). */
async function byReceipt(p: Platform, receiptNumber: string, token: string | undefined): Promise<ReportRow> {
  const row = await p.db.db
    .selectFrom('intake_reports')
    .selectAll()
    .where('receipt_number', '=', receiptNumber.normalize('NFKC').trim().toUpperCase())
    .executeTakeFirst();
  const given = hashToken(typeof token === 'string' ? token.trim() : '');
  if (!row?.status_token_hash || !sameHash(row.status_token_hash, given)) throw new AppError('NOT_FOUND');
  return row;
}

/** What a reporter may see: the status, a message meant for them, when they added information. Never staff notes. */
export async function publicStatus(p: Platform, receiptNumber: string, token: string | undefined, locale: 'ja' | 'en') {
  const r = await byReceipt(p, receiptNumber, token);
  const additions = await p.db.db
    .selectFrom('intake_additions')
    .select('created_at')
    .where('report_id', '=', r.id)
    .orderBy('created_at')
    .execute();
  const files = await p.db.db
    .selectFrom('intake_attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('report_id', '=', r.id)
    .executeTakeFirstOrThrow();
  return {
    receiptNumber: r.receipt_number,
    receivedAt: r.received_at,
    status: r.status,
    statusLabel: (STATUS_LABELS[r.status] ?? STATUS_LABELS.received!)[locale],
    message: r.public_message,
    additions: additions.map((a) => ({ createdAt: a.created_at })),
    attachments: Number(files.n),
    updatedAt: r.updated_at,
  };
}

/** The reporter adds information later (anonymous reporters too): text, extracted and linked like the report's. */
export async function addInformation(
  p: Platform,
  receiptNumber: string,
  token: string | undefined,
  text: string,
  ip: string | null,
  locale: 'ja' | 'en',
) {
  const r = await byReceipt(p, receiptNumber, token);
  if (r.status === 'closed') throw new AppError('CONFLICT', 'the report is closed');
  const now = p.clock.now().toISOString();
  let values: ExtractedValue[] = [];
  try {
    values = fromFindings(extractIocs(text, { snippets: false }), 'addition');
  } catch {
    values = [];
  }
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('intake_additions')
      .values({ id: randomUUID(), report_id: r.id, body: text, created_at: now })
      .execute();
    await linkReportObservables(trx, r.id, values, now, null);
    await trx.updateTable('intake_reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await p.audit.record(trx, {
      actor: null,
      action: 'intake.report.addition',
      target: { type: 'intake_report', id: r.id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number },
    });
  });
  return publicStatus(p, receiptNumber, token, locale);
}

/* ───────────────────────── staff: reading ───────────────────────── */
