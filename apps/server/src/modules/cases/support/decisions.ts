import type { Transaction } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { actorOf } from '../evidence/service.ts';
import { addTimeline } from '../timeline.ts';
import { supportClock } from './clock.ts';
import { type Row, loadVisible, present } from './read.ts';

// The life of a request after it is made: the asked unit accepts, declines, hands back or completes; the requester
// withdraws. Each step is one conditional update (the state it left), its timeline line and its audit record in one
// transaction.

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
