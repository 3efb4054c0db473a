import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { type PersonInUnit, findUnitHead, isSuperior, nextSuperior } from '../../../platform/organisation.ts';
import { caseForRead, caseForWrite } from './caseGate.ts';
import { actorOf } from './service.ts';
import type { CaseAnalysisRequestTable } from './tables.ts';

type Row = Selectable<CaseAnalysisRequestTable>;

export interface Tool {
  name: string;
  version: string;
}
export interface CheckItem {
  item: string;
  done: boolean;
}

/** 解析手続の適正化: the procedure checklist every analysis request starts with (the requester may add items). */
export const DEFAULT_CHECKLIST: readonly string[] = [
  '原本（押収品）を保全し、解析は複製（イメージ）に対して行う',
  '取得時のハッシュ値と解析前のハッシュ値が一致することを確認した',
  '書込み防止装置（ライトブロッカー）を使用する',
  '使用する解析機材・ツールとそのバージョンを記録した',
  '解析手順を記録し、第三者が再現できるようにする',
  '解析結果の保存先と保管責任者を定めた',
];

export interface AnalysisInput {
  evidenceIds: string[];
  purpose: string;
  equipment: string[];
  tools: Tool[];
  checklist?: CheckItem[] | undefined;
}

function present(r: Row, names: Map<string, string>) {
  return {
    id: r.id,
    caseId: r.case_id,
    evidenceIds: JSON.parse(r.evidence_ids) as string[],
    purpose: r.purpose,
    equipment: JSON.parse(r.equipment) as string[],
    tools: JSON.parse(r.tools) as Tool[],
    checklist: JSON.parse(r.checklist) as CheckItem[],
    status: r.status,
    requestedBy: r.requested_by,
    requestedByName: names.get(r.requested_by) ?? null,
    approverId: r.approver_id,
    approverName: r.approver_id ? (names.get(r.approver_id) ?? null) : null,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    result: r.result,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function names(p: Platform, rows: Row[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => [r.requested_by, r.approver_id]).filter((x): x is string => !!x))];
  if (ids.length === 0) return new Map();
  const us = await p.db.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(us.map((u) => [u.id, u.name]));
}

async function person(p: Platform, userId: string): Promise<PersonInUnit> {
  const u = await p.db.db
    .selectFrom('users')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select(['users.id', 'users.unit_id', 'positions.rank'])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return { id: u.id, unitId: u.unit_id, rank: u.rank ?? null };
}

async function checkEvidence(p: Platform, caseId: string, ids: string[]) {
  if (ids.length === 0) throw new AppError('VALIDATION_FAILED', 'name at least one evidence item');
  const found = await p.db.db
    .selectFrom('case_evidence')
    .select('id')
    .where('case_id', '=', caseId)
    .where('id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size)
    throw new AppError('VALIDATION_FAILED', 'evidenceIds must be items of this case');
}

export async function createAnalysis(p: Platform, s: Subject, caseId: string, input: AnalysisInput, ip: string | null) {
  await caseForWrite(p, s, caseId);
  if (!input.purpose.trim()) throw new AppError('VALIDATION_FAILED', 'purpose is required');
  await checkEvidence(p, caseId, input.evidenceIds);
  const now = p.clock.now().toISOString();
  const checklist = input.checklist ?? DEFAULT_CHECKLIST.map((item) => ({ item, done: false }));
  const row: Row = {
    id: randomUUID(),
    case_id: caseId,
    evidence_ids: JSON.stringify([...new Set(input.evidenceIds)]),
    purpose: input.purpose,
    equipment: JSON.stringify(input.equipment),
    tools: JSON.stringify(input.tools),
    checklist: JSON.stringify(checklist),
    status: 'draft',
    requested_by: s.userId,
    analyst_id: s.userId,
    approver_id: null,
    decided_at: null,
    decision_note: null,
    result: null,
    created_at: now,
    updated_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_analysis_requests').values(row).execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.analysis.create',
      target: { type: 'case_analysis_request', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { caseId, evidence: JSON.parse(row.evidence_ids) as string[] },
    });
  });
  return present(row, await names(p, [row]));
}

/**
 * The request may be read by anyone who may read the case, and by the superior asked to approve it (who sees the
 * request — purpose, equipment, tools, checklist — but not the case's other contents).
 */
async function readable(p: Platform, s: Subject, caseId: string, id: string): Promise<Row> {
  const r = await p.db.db.selectFrom('case_analysis_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || r.case_id !== caseId) throw new AppError('NOT_FOUND');
  if (r.approver_id === s.userId && r.status === 'submitted') return r;
  await caseForRead(p, s, caseId);
  return r;
}

export async function getAnalysis(p: Platform, s: Subject, caseId: string, id: string) {
  const r = await readable(p, s, caseId, id);
  return present(r, await names(p, [r]));
}

export async function listAnalysis(p: Platform, s: Subject, caseId: string) {
  await caseForRead(p, s, caseId);
  const rows = await p.db.db
    .selectFrom('case_analysis_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const n = await names(p, rows);
  return { items: rows.map((r) => present(r, n)) };
}

/** Requests waiting for my approval, across cases (case number and title shown only as the request's context). */
export async function myApprovals(p: Platform, s: Subject) {
  const rows = await p.db.db
    .selectFrom('case_analysis_requests')
    .selectAll()
    .where('approver_id', '=', s.userId)
    .where('status', '=', 'submitted')
    .orderBy('updated_at')
    .limit(200)
    .execute();
  const n = await names(p, rows);
  return { items: rows.map((r) => present(r, n)) };
}

async function change(
  p: Platform,
  s: Subject,
  r: Row,
  set: Partial<Row>,
  action: string,
  ip: string | null,
  details: Record<string, string | number | boolean | null> = {},
) {
  const now = p.clock.now().toISOString();
  const next = { ...r, ...set, updated_at: now };
  await p.db.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('case_analysis_requests')
      .set({ ...set, updated_at: now })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
    await p.audit.record(trx, {
      actor: actorOf(s),
      action,
      target: { type: 'case_analysis_request', id: r.id },
      result: 'success',
      clientIp: ip,
      details: { caseId: r.case_id, from: r.status, to: next.status, ...details },
    });
  });
  return present(next, await names(p, [next]));
}

/** The requester edits a draft or a returned request (equipment, tools, the ticked checklist). */
export async function updateAnalysis(
  p: Platform,
  s: Subject,
  caseId: string,
  id: string,
  input: Partial<AnalysisInput>,
  ip: string | null,
) {
  await caseForWrite(p, s, caseId);
  const r = await readable(p, s, caseId, id);
  if (r.requested_by !== s.userId) throw new AppError('FORBIDDEN');
  if (r.status !== 'draft' && r.status !== 'returned') throw new AppError('CONFLICT', 'only a draft can be edited');
  if (input.evidenceIds) await checkEvidence(p, caseId, input.evidenceIds);
  const set: Partial<Row> = {};
  if (input.purpose !== undefined) set.purpose = input.purpose;
  if (input.evidenceIds) set.evidence_ids = JSON.stringify([...new Set(input.evidenceIds)]);
  if (input.equipment) set.equipment = JSON.stringify(input.equipment);
  if (input.tools) set.tools = JSON.stringify(input.tools);
  if (input.checklist) set.checklist = JSON.stringify(input.checklist);
  return change(p, s, r, set, 'case.analysis.update', ip);
}

/** Submission: every checklist item ticked, equipment and tools named; the approver is the requester's superior. */
export async function submitAnalysis(p: Platform, s: Subject, caseId: string, id: string, ip: string | null) {
  await caseForWrite(p, s, caseId);
  const r = await readable(p, s, caseId, id);
  if (r.requested_by !== s.userId) throw new AppError('FORBIDDEN');
  if (r.status !== 'draft' && r.status !== 'returned') throw new AppError('CONFLICT', 'already submitted');
  const checklist = JSON.parse(r.checklist) as CheckItem[];
  if (checklist.some((c) => !c.done))
    throw new AppError('CONFLICT', 'every item of the procedure checklist must be ticked');
  if ((JSON.parse(r.equipment) as string[]).length === 0 || (JSON.parse(r.tools) as Tool[]).length === 0) {
    throw new AppError('CONFLICT', 'name the equipment and the tools used');
  }
  const me = await person(p, s.userId);
  const approver = (await nextSuperior(p.db.db, me)) ?? (await findUnitHead(p.db.db, me.unitId));
  if (!approver || approver.id === s.userId) throw new AppError('CONFLICT', 'no superior to approve this request');
  return change(p, s, r, { status: 'submitted', approver_id: approver.id }, 'case.analysis.submit', ip, {
    approver: approver.id,
  });
}

/** A superior of the requester approves or returns the request (never the requester himself). */
export async function decideAnalysis(
  p: Platform,
  s: Subject,
  caseId: string,
  id: string,
  input: { decision: 'approve' | 'return'; note?: string | undefined },
  ip: string | null,
) {
  const r = await readable(p, s, caseId, id);
  if (r.status !== 'submitted') throw new AppError('CONFLICT', 'the request is not waiting for approval');
  const superior =
    r.requested_by !== s.userId &&
    (await isSuperior(p.db.db, await person(p, s.userId), await person(p, r.requested_by)));
  if (!superior) throw new AppError('FORBIDDEN', 'only a superior of the requester may decide');
  if (input.decision === 'return' && !input.note?.trim()) {
    throw new AppError('VALIDATION_FAILED', 'say why the request is returned');
  }
  return change(
    p,
    s,
    r,
    {
      status: input.decision === 'approve' ? 'approved' : 'returned',
      approver_id: s.userId,
      decided_at: p.clock.now().toISOString(),
      decision_note: input.note ?? null,
    },
    input.decision === 'approve' ? 'case.analysis.approve' : 'case.analysis.return',
    ip,
  );
}

export async function completeAnalysis(
  p: Platform,
  s: Subject,
  caseId: string,
  id: string,
  result: string,
  ip: string | null,
) {
  await caseForWrite(p, s, caseId);
  const r = await readable(p, s, caseId, id);
  if (r.status !== 'approved') throw new AppError('CONFLICT', 'only an approved analysis can be completed');
  if (!result.trim()) throw new AppError('VALIDATION_FAILED', 'result is required');
  return change(p, s, r, { status: 'completed', result }, 'case.analysis.complete', ip);
}
