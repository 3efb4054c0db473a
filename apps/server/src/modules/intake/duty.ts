import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findUnitHead } from '../../platform/organisation.ts';
import { cyberUnitId, reportVisible } from './access.ts';
import { change } from './changes.ts';

/** The duty desk (当直): urgent reports waiting for an acknowledgement, and the escalation job. */
export async function dutyList(p: Platform, s: Subject, open: boolean) {
  const cyber = await cyberUnitId(p);
  let q = p.db.db
    .selectFrom('intake_duty')
    .innerJoin('intake_reports', 'intake_reports.id', 'intake_duty.report_id')
    .select([
      'intake_duty.id',
      'intake_duty.report_id',
      'intake_duty.reasons',
      'intake_duty.created_at',
      'intake_duty.acknowledged_at',
      'intake_duty.escalated_at',
      'intake_reports.receipt_number',
      'intake_reports.summary',
      'intake_reports.channel',
    ])
    .where(reportVisible(s, cyber));
  if (open) q = q.where('intake_duty.acknowledged_at', 'is', null);
  const rows = await q.orderBy('intake_duty.created_at', 'desc').limit(200).execute();
  const now = p.clock.now();
  return {
    items: rows.map((d) => ({
      id: d.id,
      reportId: d.report_id,
      receiptNumber: d.receipt_number,
      summary: d.summary,
      channel: d.channel,
      reasons: (JSON.parse(d.reasons) as { reason: string; matched: string[] }[]).map((x) => ({
        reason: x.reason,
        matched: x.matched,
      })),
      createdAt: d.created_at,
      acknowledgedAt: d.acknowledged_at,
      escalatedAt: d.escalated_at,
      waitingMs: d.acknowledged_at ? null : now.getTime() - new Date(d.created_at).getTime(),
    })),
  };
}

export async function acknowledgeDuty(p: Platform, s: Subject, dutyId: string, ip: string | null) {
  const d = await p.db.db.selectFrom('intake_duty').selectAll().where('id', '=', dutyId).executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND');
  await change(p, s, d.report_id, 'intake.duty.acknowledge', ip, async ({ trx, now }) => {
    if (d.acknowledged_at) return { dutyId, already: true };
    await trx
      .updateTable('intake_duty')
      .set({ acknowledged_at: now, acknowledged_by: s.userId })
      .where('id', '=', dutyId)
      .execute();
    return { dutyId, already: false };
  });
}

/** Job: acknowledgement overdue → escalate to the head of the handling unit (record, audit and mail). */
export async function escalateIfOverdue(p: Platform, payload: { reportId: string; dutyId: string | null }) {
  const db = p.db.db;
  const r = await db.selectFrom('intake_reports').selectAll().where('id', '=', payload.reportId).executeTakeFirst();
  if (!r || r.status === 'closed') return;
  if (payload.dutyId) {
    const d = await db.selectFrom('intake_duty').selectAll().where('id', '=', payload.dutyId).executeTakeFirst();
    if (!d || d.acknowledged_at || d.escalated_at) return;
  } else if (r.acknowledged_at || r.escalated_at) {
    return;
  }
  const head = (await findUnitHead(db, r.owner_unit_id)) ?? (await findUnitHead(db, await cyberUnitId(p)));
  const user = head
    ? await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', head.id).executeTakeFirst()
    : undefined;
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (payload.dutyId) {
      await trx
        .updateTable('intake_duty')
        .set({ escalated_at: now, escalated_to: user?.id ?? null })
        .where('id', '=', payload.dutyId)
        .execute();
    }
    await trx
      .updateTable('intake_reports')
      .set({ escalated_at: now, escalated_to: user?.id ?? null })
      .where('id', '=', r.id)
      .execute();
    if (user?.email) {
      // Only the receipt number and a link: no contents in mail (要配慮個人情報).
      await queueMail(p, trx, {
        to: [user.email],
        subject: `【要確認】受理番号 ${r.receipt_number} の受理確認が期限を過ぎています`,
        text: `${user.name} 様\n\n${payload.dutyId ? '緊急（当直）案件' : '通報・相談'} ${r.receipt_number} の受理確認が期限内に行われていません。\n${p.config.baseUrl}/intake/reports/${r.id}\n`,
      });
    }
    await p.audit.record(trx, {
      actor: null,
      action: 'intake.escalate',
      target: { type: 'intake_report', id: r.id },
      result: 'success',
      details: { receiptNumber: r.receipt_number, to: user?.id ?? null, duty: payload.dutyId !== null },
    });
  });
}
