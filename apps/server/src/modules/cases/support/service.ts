import { randomUUID } from 'node:crypto';
import { type Expression, type Selectable, type SqlBool, type Transaction, sql } from 'kysely';
import { hasContentRole } from '../../../platform/auth/policy.ts';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../../platform/db/cursor.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import { findUnitHead } from '../../../platform/organisation.ts';
import { cyberUnitId, readable as readableReport } from '../../intake/access.ts';
import { caseVisibleTo } from '../access.ts';
import { caseForManage, caseForRead } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import { addTimeline } from '../timeline.ts';
import { decisionDue, supportClock } from './clock.ts';
import type { CaseSupportRequestTable } from './tables.ts';
import './tables.ts';

type Row = Selectable<CaseSupportRequestTable>;

export const SUPPORT_KINDS = ['analysis', 'investigation', 'advice', 'preservation', 'other'] as const;
const KIND_JA: Record<string, string> = {
  analysis: '解析支援',
  investigation: '捜査支援',
  advice: '助言',
  preservation: '証拠保全',
  other: 'その他',
};

export interface SupportInput {
  caseId?: string | undefined;
  reportId?: string | undefined;
  toUnitId?: string | undefined;
  kind: (typeof SUPPORT_KINDS)[number];
  urgency: 'urgent' | 'normal' | 'low';
  summary: string;
  details?: string | undefined;
}

async function present(p: Platform, rows: Row[]) {
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.requested_by, r.assignee_id, r.decided_by]).filter(Boolean)),
  ] as string[];
  const unitIds = [...new Set(rows.flatMap((r) => [r.from_unit_id, r.to_unit_id]))];
  const caseIds = [...new Set(rows.map((r) => r.case_id).filter(Boolean))] as string[];
  const [users, units, cases] = await Promise.all([
    userIds.length ? p.db.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
    unitIds.length ? p.db.db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
    caseIds.length
      ? p.db.db.selectFrom('cases').select(['id', 'case_number']).where('id', 'in', caseIds).execute()
      : [],
  ]);
  const uName = new Map(users.map((u) => [u.id, u.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const caseNo = new Map(cases.map((c) => [c.id, c.case_number]));
  const now = p.clock.now();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_id ? (caseNo.get(r.case_id) ?? null) : null,
    reportId: r.report_id,
    fromUnit: { id: r.from_unit_id, name: unitName.get(r.from_unit_id) ?? '' },
    toUnit: { id: r.to_unit_id, name: unitName.get(r.to_unit_id) ?? '' },
    requestedBy: { id: r.requested_by, name: uName.get(r.requested_by) ?? '' },
    kind: r.kind,
    kindLabel: KIND_JA[r.kind] ?? r.kind,
    urgency: r.urgency,
    summary: r.summary,
    details: r.details,
    status: r.status,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by ? { id: r.decided_by, name: uName.get(r.decided_by) ?? '' } : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: uName.get(r.assignee_id) ?? '' } : null,
    reason: r.reason,
    escalatedAt: r.escalated_at,
    closedAt: r.closed_at,
    clock: supportClock(r, now),
  }));
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

/** Who may see a request: the asked unit's staff, the requester, and those who may read its case. */
function visible(s: Subject): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(case_support_requests.to_unit_id = ${s.unitId}
    or case_support_requests.requested_by = ${s.userId}
    or (case_support_requests.case_id is not null and ${caseVisibleTo(s, 'case_support_requests.case_id')}))`;
}

export interface ListQuery {
  box?: 'inbox' | 'outbox' | undefined;
  status?: string | undefined;
  cursor?: string | undefined;
  limit?: string | undefined;
}

/** Inbox: requests to my unit (newest first; keyset pages). Outbox: what I asked, or what concerns my cases. */
export async function listSupport(p: Platform, s: Subject, q: ListQuery) {
  const limit = pageLimit(q.limit);
  const after = decodeCursor<[string, string]>(q.cursor, 2);
  let query = p.db.db.selectFrom('case_support_requests').selectAll().where(visible(s));
  query =
    q.box === 'outbox'
      ? query.where((eb) =>
          eb.or([
            eb('requested_by', '=', s.userId),
            eb.and([eb('case_id', 'is not', null), caseVisibleTo(s, 'case_support_requests.case_id')]),
          ]),
        )
      : query.where('to_unit_id', '=', s.unitId);
  if (q.status === 'open') query = query.where('status', 'in', ['requested', 'accepted']);
  else if (q.status) query = query.where('status', '=', q.status);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('requested_at', '<', after[0]), eb.and([eb('requested_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  }
  const rows = await query
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await present(p, page),
    nextCursor: rows.length > limit && last ? encodeCursor([last.requested_at, last.id]) : null,
  };
}

async function loadVisible(p: Platform, s: Subject, id: string): Promise<Row> {
  const r = await p.db.db
    .selectFrom('case_support_requests')
    .selectAll()
    .where('id', '=', id)
    .where(visible(s))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function getSupport(p: Platform, s: Subject, id: string) {
  return (await present(p, [await loadVisible(p, s, id)]))[0]!;
}

async function transition(
  p: Platform,
  s: Subject,
  r: Row,
  set: Partial<Row>,
  action: string,
  ip: string | null,
  extra: (trx: Transaction<Database>, now: string) => Promise<void> = async () => {},
) {
  const now = p.clock.now().toISOString();
  const next: Row = { ...r, ...set, updated_at: now };
  await p.db.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('case_support_requests')
      .set({ ...set, updated_at: now })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
    await extra(trx, now);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action,
      target: { type: 'case_support_request', id: r.id },
      result: 'success',
      clientIp: ip,
      details: {
        caseId: r.case_id,
        reportId: r.report_id,
        from: r.status,
        to: next.status,
        reason: set.reason ?? null,
      },
    });
  });
  return (await present(p, [next]))[0]!;
}

function askedUnitOnly(s: Subject, r: Row) {
  if (s.unitId !== r.to_unit_id) throw new AppError('FORBIDDEN', 'only the asked unit decides');
}

function decision(p: Platform, r: Row) {
  const now = p.clock.now();
  return {
    decided_at: now.toISOString(),
    working_ms_to_decision: supportClock({ ...r, decided_at: now.toISOString() }, now).workingMs,
  };
}

/**
 * The asked unit accepts: the assignee (the acceptor, or a colleague of his unit he names) joins the case as a
 * member (via 'support') and his unit becomes a supporting unit. The lead's request is the invitation.
 */
export async function acceptSupport(
  p: Platform,
  s: Subject,
  id: string,
  input: { assigneeId?: string | undefined },
  ip: string | null,
) {
  const r = await loadVisible(p, s, id);
  askedUnitOnly(s, r);
  if (r.status !== 'requested') throw new AppError('CONFLICT', 'the request is not waiting for a decision');
  const assigneeId = input.assigneeId ?? s.userId;
  const assignee = await p.db.db
    .selectFrom('users')
    .select(['id', 'name', 'unit_id', 'clearance', 'status'])
    .where('id', '=', assigneeId)
    .executeTakeFirst();
  if (assignee?.status !== 'active' || assignee.unit_id !== r.to_unit_id) {
    throw new AppError('VALIDATION_FAILED', 'the assignee must be an active member of the asked unit');
  }
  if (r.case_id) {
    const c = await p.db.db
      .selectFrom('cases')
      .select('confidentiality')
      .where('id', '=', r.case_id)
      .executeTakeFirstOrThrow();
    if (assignee.clearance < c.confidentiality) throw new AppError('CASE_CLEARANCE_TOO_LOW');
  }
  return transition(
    p,
    s,
    r,
    { status: 'accepted', decided_by: s.userId, assignee_id: assigneeId, ...decision(p, r) },
    'case.support.accept',
    ip,
    async (trx, now) => {
      if (!r.case_id) return;
      const had = await trx
        .selectFrom('case_members')
        .select('role')
        .where('case_id', '=', r.case_id)
        .where('user_id', '=', assigneeId)
        .executeTakeFirst();
      if (!had) {
        await trx
          .insertInto('case_members')
          .values({
            case_id: r.case_id,
            user_id: assigneeId,
            role: 'member',
            added_by: r.requested_by,
            added_at: now,
            via: 'support',
            reason: `支援要請 ${r.id}`,
          })
          .execute();
      }
      const unit = await trx
        .selectFrom('case_units')
        .select('unit_id')
        .where('case_id', '=', r.case_id)
        .where('unit_id', '=', r.to_unit_id)
        .executeTakeFirst();
      if (!unit) {
        await trx
          .insertInto('case_units')
          .values({ case_id: r.case_id, unit_id: r.to_unit_id, added_by: r.requested_by, added_at: now })
          .execute();
      }
      await addTimeline(trx, {
        caseId: r.case_id,
        kind: 'support',
        body: `支援要請を受理（担当: ${assignee.name}）`,
        authorId: s.userId,
        now,
      });
    },
  );
}

export async function declineSupport(p: Platform, s: Subject, id: string, reason: string, ip: string | null) {
  const r = await loadVisible(p, s, id);
  askedUnitOnly(s, r);
  if (r.status !== 'requested') throw new AppError('CONFLICT', 'the request is not waiting for a decision');
  if (!reason.trim()) throw new AppError('VALIDATION_FAILED', 'a reason is required');
  return transition(
    p,
    s,
    r,
    { status: 'declined', decided_by: s.userId, reason, closed_at: p.clock.now().toISOString(), ...decision(p, r) },
    'case.support.decline',
    ip,
    async (trx, now) => {
      if (r.case_id)
        await addTimeline(trx, {
          caseId: r.case_id,
          kind: 'support',
          body: `支援要請を辞退: ${reason}`,
          authorId: s.userId,
          now,
        });
    },
  );
}

/** The supporting unit hands the work back; the support membership ends (the lead keeps what was done). */
export async function handBackSupport(p: Platform, s: Subject, id: string, reason: string, ip: string | null) {
  const r = await loadVisible(p, s, id);
  askedUnitOnly(s, r);
  if (r.status !== 'accepted') throw new AppError('CONFLICT', 'only accepted support can be handed back');
  if (!reason.trim()) throw new AppError('VALIDATION_FAILED', 'a reason is required');
  return transition(
    p,
    s,
    r,
    { status: 'handed_back', reason, closed_at: p.clock.now().toISOString() },
    'case.support.hand_back',
    ip,
    async (trx, now) => {
      if (!r.case_id || !r.assignee_id) return;
      await trx
        .deleteFrom('case_members')
        .where('case_id', '=', r.case_id)
        .where('user_id', '=', r.assignee_id)
        .where('via', '=', 'support')
        .execute();
      await addTimeline(trx, {
        caseId: r.case_id,
        kind: 'support',
        body: `支援を返還: ${reason}`,
        authorId: s.userId,
        now,
      });
    },
  );
}

export async function completeSupport(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await loadVisible(p, s, id);
  askedUnitOnly(s, r);
  if (r.status !== 'accepted') throw new AppError('CONFLICT', 'only accepted support can be completed');
  return transition(
    p,
    s,
    r,
    { status: 'completed', closed_at: p.clock.now().toISOString() },
    'case.support.complete',
    ip,
    async (trx, now) => {
      if (r.case_id)
        await addTimeline(trx, { caseId: r.case_id, kind: 'support', body: '支援を完了', authorId: s.userId, now });
    },
  );
}

export async function withdrawSupport(p: Platform, s: Subject, id: string, reason: string, ip: string | null) {
  const r = await loadVisible(p, s, id);
  if (r.requested_by !== s.userId) throw new AppError('FORBIDDEN', 'only the requester withdraws');
  if (r.status !== 'requested') throw new AppError('CONFLICT', 'only a pending request can be withdrawn');
  return transition(
    p,
    s,
    r,
    { status: 'withdrawn', reason, closed_at: p.clock.now().toISOString() },
    'case.support.withdraw',
    ip,
  );
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

/** The requests concerning a case (for the case page's panel); members only. */
export async function supportForCase(p: Platform, s: Subject, caseId: string) {
  await caseForRead(p, s, caseId);
  const rows = await p.db.db
    .selectFrom('case_support_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('requested_at')
    .execute();
  return { items: await present(p, rows) };
}
