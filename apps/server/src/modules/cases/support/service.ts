import { randomUUID } from 'node:crypto';
import type { Subject } from '../../../platform/auth/subject.ts';
import { hasContentRole } from '../../../platform/auth/policy.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import { findUnitHead } from '../../../platform/organisation.ts';
import { cyberUnitId, readable as readableReport } from '../../intake/access.ts';
import { caseForManage } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import { addTimeline } from '../timeline.ts';
import { decisionDue, supportClock } from './clock.ts';
import { KIND_JA, type Row, present } from './read.ts';

// Making a request, escalating one nobody decided in time, and the asked unit's workload. Reading requests is in
// read.ts, deciding them in decisions.ts.

export const SUPPORT_KINDS = ['analysis', 'investigation', 'advice', 'preservation', 'other'] as const;

export interface SupportInput {
  caseId?: string | undefined;
  reportId?: string | undefined;
  toUnitId?: string | undefined;
  kind: (typeof SUPPORT_KINDS)[number];
  urgency: 'urgent' | 'normal' | 'low';
  summary: string;
  details?: string | undefined;
}

/** Any unit asks another (by default the cyber division) for support on a case it leads or a report it may read. */
export async function createSupport(p: Platform, s: Subject, input: SupportInput, ip: string | null) {
  if ((input.caseId ? 1 : 0) + (input.reportId ? 1 : 0) !== 1) {
    throw new AppError('VALIDATION_FAILED', 'name exactly one of caseId and reportId');
  }
  if (!input.summary.trim()) throw new AppError('VALIDATION_FAILED', 'summary is required');
  // Support brings new people onto the case: only its lead may ask (the same right as adding members).
  if (input.caseId) await caseForManage(p, s, input.caseId, undefined, ip);
  if (input.reportId) await readableReport(p, s, input.reportId);
  const toUnitId = input.toUnitId ?? (await cyberUnitId(p));
  const unit = await p.db.db.selectFrom('units').select('id').where('id', '=', toUnitId).executeTakeFirst();
  if (!unit) throw new AppError('VALIDATION_FAILED', 'no such unit');
  if (toUnitId === s.unitId) throw new AppError('VALIDATION_FAILED', 'support is asked of another unit');
  const nowDate = p.clock.now();
  const now = nowDate.toISOString();
  const row: Row = {
    id: randomUUID(),
    case_id: input.caseId ?? null,
    report_id: input.reportId ?? null,
    from_unit_id: s.unitId,
    to_unit_id: toUnitId,
    requested_by: s.userId,
    kind: input.kind,
    urgency: input.urgency,
    summary: input.summary,
    details: input.details ?? '',
    status: 'requested',
    requested_at: now,
    due_at: decisionDue(nowDate, input.urgency).toISOString(),
    decided_at: null,
    decided_by: null,
    assignee_id: null,
    reason: null,
    working_ms_to_decision: null,
    escalated_at: null,
    escalated_to: null,
    closed_at: null,
    updated_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_support_requests').values(row).execute();
    await jobsOf(p).publishInTransaction(
      trx,
      'case.support.due',
      { requestId: row.id },
      {
        runAt: new Date(row.due_at),
        idempotencyKey: `support-due:${row.id}`,
      },
    );
    if (row.case_id) {
      await addTimeline(trx, {
        caseId: row.case_id,
        kind: 'support',
        body: `支援要請（${KIND_JA[row.kind]}）: ${row.summary}`,
        authorId: s.userId,
        now,
      });
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.support.request',
      target: { type: 'case_support_request', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { caseId: row.case_id, reportId: row.report_id, toUnitId, urgency: row.urgency },
    });
  });
  return (await present(p, [row]))[0]!;
}

/** Job: no decision within the working-time budget → escalate to the head of the asked unit (record, mail, audit). */
export async function escalateSupport(p: Platform, payload: { requestId: string }) {
  const db = p.db.db;
  const r = await db
    .selectFrom('case_support_requests')
    .selectAll()
    .where('id', '=', payload.requestId)
    .executeTakeFirst();
  if (r?.status !== 'requested' || r.escalated_at) return;
  if (p.clock.now().getTime() < new Date(r.due_at).getTime()) return;
  const head = await findUnitHead(db, r.to_unit_id);
  const user = head
    ? await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', head.id).executeTakeFirst()
    : undefined;
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('case_support_requests')
      .set({ escalated_at: now, escalated_to: user?.id ?? null, updated_at: now })
      .where('id', '=', r.id)
      .execute();
    if (user?.email) {
      // No contents in mail: kind, urgency and a link.
      await queueMail(p, trx, {
        to: [user.email],
        subject: `【要対応】支援要請（${KIND_JA[r.kind] ?? r.kind}）が期限内に受理されていません`,
        text: `${user.name} 様\n\n所属宛ての支援要請が、受理・辞退の期限（${r.due_at}）を過ぎています。\n${p.config.baseUrl}/support/${r.id}\n`,
      });
    }
    await p.audit.record(trx, {
      actor: null,
      action: 'case.support.escalate',
      target: { type: 'case_support_request', id: r.id },
      result: 'success',
      details: { to: user?.id ?? null, toUnitId: r.to_unit_id },
    });
  });
}

/**
 * The asked unit's workload: open requests by state, overdue ones, open support per assignee, and the working time
 * to a decision over the last 90 days. Only that unit's staff see it.
 */
export async function workload(p: Platform, s: Subject, unitId?: string) {
  const unit = unitId ?? (await cyberUnitId(p));
  if (s.unitId !== unit || !hasContentRole(s)) throw new AppError('NOT_FOUND');
  const db = p.db.db;
  const now = p.clock.now();
  const since = new Date(now.getTime() - 90 * 86400_000).toISOString();
  const [byStatus, open, byAssignee, decided, byUnit] = await Promise.all([
    db
      .selectFrom('case_support_requests')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('to_unit_id', '=', unit)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('case_support_requests')
      .selectAll()
      .where('to_unit_id', '=', unit)
      .where('status', '=', 'requested')
      .execute(),
    db
      .selectFrom('case_support_requests')
      .innerJoin('users', 'users.id', 'case_support_requests.assignee_id')
      .select(['users.id', 'users.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('to_unit_id', '=', unit)
      .where('case_support_requests.status', '=', 'accepted')
      .groupBy(['users.id', 'users.name'])
      .orderBy('n', 'desc')
      .execute(),
    db
      .selectFrom('case_support_requests')
      .select(['working_ms_to_decision', 'due_at', 'decided_at'])
      .where('to_unit_id', '=', unit)
      .where('decided_at', '>=', since)
      .execute(),
    db
      .selectFrom('case_support_requests')
      .innerJoin('units', 'units.id', 'case_support_requests.from_unit_id')
      .select(['units.id', 'units.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('to_unit_id', '=', unit)
      .where('requested_at', '>=', since)
      .groupBy(['units.id', 'units.name'])
      .orderBy('n', 'desc')
      .execute(),
  ]);
  const times = decided.map((d) => Number(d.working_ms_to_decision ?? 0)).sort((a, b) => a - b);
  const median = times.length ? times[Math.floor((times.length - 1) / 2)]! : null;
  return {
    unitId: unit,
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    waiting: open.length,
    overdue: open.filter((r) => supportClock(r, now).overdue).length,
    byAssignee: byAssignee.map((a) => ({ id: a.id, name: a.name, open: Number(a.n) })),
    byRequestingUnit: byUnit.map((u) => ({ id: u.id, name: u.name, requests: Number(u.n) })),
    last90Days: {
      decided: times.length,
      medianWorkingMsToDecision: median,
      decidedLate: decided.filter((d) => d.decided_at && d.decided_at > d.due_at).length,
    },
  };
}
