import { randomUUID } from 'node:crypto';
import { isCalendarDate } from '@renkei/core/calendar/index';
import type { Selectable, Transaction } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { addTimeline } from '../timeline.ts';
import { caseForRead, caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import type { CaseJointShareTable, CaseJointTable } from './tables.ts';
import './tables.ts';

export const JOINT_KINDS = ['joint', 'cooperative'] as const;
export const PARTNER_KINDS = ['prefecture', 'national', 'other'] as const;
const KIND_JA: Record<string, string> = { joint: '合同捜査', cooperative: '共同捜査' };

export interface JointInput {
  kind: (typeof JOINT_KINDS)[number];
  partnerKind: (typeof PARTNER_KINDS)[number];
  partnerName: string;
  startedOn: string;
  endedOn?: string | undefined;
  notes?: string | undefined;
}

function presentJoint(j: Selectable<CaseJointTable>, shares: Selectable<CaseJointShareTable>[]) {
  return {
    id: j.id,
    caseId: j.case_id,
    kind: j.kind,
    kindLabel: KIND_JA[j.kind] ?? j.kind,
    partnerKind: j.partner_kind,
    partnerName: j.partner_name,
    startedOn: j.started_on,
    endedOn: j.ended_on,
    notes: j.notes,
    shares: shares.map((x) => ({
      id: x.id,
      direction: x.direction,
      sharedAt: x.shared_at,
      what: x.what,
      channel: x.channel,
      recordedBy: x.recorded_by,
    })),
  };
}

export async function createJoint(p: Platform, s: Subject, caseId: string, input: JointInput, ip: string | null) {
  await caseForWrite(p, s, caseId, undefined, ip);
  if (!isCalendarDate(input.startedOn) || (input.endedOn && !isCalendarDate(input.endedOn))) {
    throw new AppError('VALIDATION_FAILED', 'dates are YYYY-MM-DD');
  }
  const now = p.clock.now().toISOString();
  const row: Selectable<CaseJointTable> = {
    id: randomUUID(),
    case_id: caseId,
    kind: input.kind,
    partner_kind: input.partnerKind,
    partner_name: input.partnerName,
    started_on: input.startedOn,
    ended_on: input.endedOn ?? null,
    notes: input.notes ?? '',
    created_by: s.userId,
    created_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_joint').values(row).execute();
    await addTimeline(trx, {
      caseId,
      kind: 'joint',
      body: `${KIND_JA[row.kind]}を開始（${row.partner_name}）`,
      authorId: s.userId,
      now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.joint.create',
      target: { type: 'case_joint', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { caseId, kind: row.kind, partnerKind: row.partner_kind },
    });
  });
  return presentJoint(row, []);
}

export async function listJoint(p: Platform, s: Subject, caseId: string, ip: string | null) {
  await caseForRead(p, s, caseId, undefined, ip);
  const rows = await p.db.db
    .selectFrom('case_joint')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
  const shares = rows.length
    ? await p.db.db
        .selectFrom('case_joint_shares')
        .selectAll()
        .where(
          'joint_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('shared_at')
        .execute()
    : [];
  return {
    items: rows.map((r) =>
      presentJoint(
        r,
        shares.filter((x) => x.joint_id === r.id),
      ),
    ),
  };
}

/** What was shared with (or received from) the partner, and when. */
export async function recordShare(
  p: Platform,
  s: Subject,
  caseId: string,
  jointId: string,
  input: { direction: 'sent' | 'received'; sharedAt?: string | undefined; what: string; channel?: string | undefined },
  ip: string | null,
) {
  await caseForWrite(p, s, caseId, undefined, ip);
  const j = await p.db.db
    .selectFrom('case_joint')
    .select(['id', 'case_id', 'partner_name'])
    .where('id', '=', jointId)
    .executeTakeFirst();
  if (!j || j.case_id !== caseId) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  if (input.sharedAt && Date.parse(input.sharedAt) > Date.parse(now))
    throw new AppError('VALIDATION_FAILED', 'sharedAt is in the future');
  const row = await p.db.db
    .transaction()
    .execute((trx) => insertShare(trx, p, s, { caseId, jointId, partnerName: j.partner_name }, input, now, ip));
  return row;
}

/**
 * Records one share inside the caller's transaction (a package export or import records its own in the same
 * transaction as the rest): the row, a timeline entry and the audit record.
 */
export async function insertShare(
  trx: Transaction<Database>,
  p: Platform,
  s: Subject,
  to: { caseId: string; jointId: string; partnerName: string },
  input: { direction: 'sent' | 'received'; sharedAt?: string | undefined; what: string; channel?: string | undefined },
  now: string,
  ip: string | null,
): Promise<Selectable<CaseJointShareTable>> {
  const row: Selectable<CaseJointShareTable> = {
    id: randomUUID(),
    joint_id: to.jointId,
    direction: input.direction,
    shared_at: input.sharedAt ? new Date(input.sharedAt).toISOString() : now,
    what: input.what,
    channel: input.channel ?? null,
    recorded_by: s.userId,
    recorded_at: now,
  };
  await trx.insertInto('case_joint_shares').values(row).execute();
  await addTimeline(trx, {
    caseId: to.caseId,
    kind: 'joint',
    body: `${to.partnerName}${row.direction === 'sent' ? 'へ提供' : 'から受領'}: ${row.what}`,
    authorId: s.userId,
    at: row.shared_at,
    now,
  });
  await p.audit.record(trx, {
    actor: actorOf(s),
    action: 'case.joint.share',
    target: { type: 'case_joint', id: to.jointId },
    result: 'success',
    clientIp: ip,
    details: { caseId: to.caseId, direction: row.direction },
  });
  return row;
}
