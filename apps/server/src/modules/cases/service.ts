import { randomUUID } from 'node:crypto';
import { renderDocumentNumber, todayJst } from '@renkei/core/calendar/index';
import type { Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { cyberUnitId, reportVisible } from '../intake/access.ts';
import { type CaseAction, actorOf, assertCaseAccess } from './access.ts';
import { linkReport } from './records.ts';
import type { CaseTable, CaseStage, CaseStatus, CaseType } from './tables.ts';
import { addTimeline } from './timeline.ts';

/** 事件番号: 令和8年サ対第12号 (packages/core documentNumber; the lead unit's abbreviation, numbered per year). */
export const CASE_NUMBER_TEMPLATE = '{year:wareki}年{abbrev}第{seq}号';
const STAGE_DAY: Record<CaseStage, 'recognised_on' | 'cleared_on' | 'referred_on' | null> = {
  recognised: 'recognised_on',
  investigating: null,
  cleared: 'cleared_on',
  referred: 'referred_on',
};

export interface NewCaseInput {
  title: string;
  summary?: string;
  type: CaseType;
  classificationCode?: string | null;
  confidentiality?: 1 | 2 | 3;
  handling?: string[];
  tlp?: string;
  recognisedOn?: string;
  reportId?: string;
}

async function checkClassification(db: AnyDb, code: string | null | undefined): Promise<void> {
  if (!code) return;
  const row = await db.selectFrom('case_classifications').select('code').where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('VALIDATION_FAILED', `unknown classification ${code}`);
}

async function nextCaseNumber(trx: Transaction<Database>, unitId: string, today: string) {
  const year = Number(today.slice(0, 4));
  const seqRow = await trx.selectFrom('case_sequences').select('last').where('year', '=', year).executeTakeFirst();
  const seq = (seqRow?.last ?? 0) + 1;
  if (seqRow) await trx.updateTable('case_sequences').set({ last: seq }).where('year', '=', year).execute();
  else await trx.insertInto('case_sequences').values({ year, last: seq }).execute();
  const unit = await trx.selectFrom('units').select('abbreviation').where('id', '=', unitId).executeTakeFirst();
  const number = renderDocumentNumber(CASE_NUMBER_TEMPLATE, {
    abbrevs: [unit?.abbreviation || '事'],
    seq,
    date: today as Parameters<typeof renderDocumentNumber>[1]['date'],
  });
  return { year, seq, number };
}

/** Opens a case; the creator is its lead and his unit the lead unit (主管課). From a report: linked and its values copied. */
export async function createCase(p: Platform, s: Subject, input: NewCaseInput, ip: string | null) {
  await checkClassification(p.db.db, input.classificationCode);
  const conf = input.confidentiality ?? 2;
  if (conf > s.clearance) throw new AppError('CASE_CLEARANCE_TOO_LOW');
  if (input.reportId) {
    const visible = await p.db.db
      .selectFrom('intake_reports')
      .select('id')
      .where('id', '=', input.reportId)
      .where(reportVisible(s, await cyberUnitId(p)))
      .executeTakeFirst();
    if (!visible) throw new AppError('NOT_FOUND');
  }
  const now = p.clock.now().toISOString();
  const today = todayJst(p.clock.now());
  const id = randomUUID();
  const number = await p.db.db.transaction().execute(async (trx) => {
    const n = await nextCaseNumber(trx, s.unitId, today);
    await trx
      .insertInto('cases')
      .values({
        id,
        case_number: n.number,
        number_year: n.year,
        number_seq: n.seq,
        title: input.title,
        summary: input.summary ?? '',
        type: input.type,
        classification_code: input.classificationCode ?? null,
        lead_unit_id: s.unitId,
        status: 'open',
        stage: 'recognised',
        confidentiality: conf,
        handling: JSON.stringify(input.handling ?? []),
        tlp: input.tlp ?? 'amber',
        recognised_on: input.recognisedOn ?? today,
        cleared_on: null,
        referred_on: null,
        closed_at: null,
        created_by: s.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('case_members')
      .values({
        case_id: id,
        user_id: s.userId,
        role: 'lead',
        added_by: s.userId,
        added_at: now,
        via: 'creator',
        reason: null,
      })
      .execute();
    await addTimeline(trx, { caseId: id, kind: 'system', body: `事件を登録（${n.number}）`, authorId: s.userId, now });
    if (input.reportId) await linkReport(p, trx, s, id, input.reportId, now);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.create',
      target: { type: 'case', id },
      result: 'success',
      clientIp: ip,
      details: { caseNumber: n.number, reportId: input.reportId ?? null },
    });
    return n.number;
  });
  return { id, caseNumber: number };
}

export function presentCase(c: CaseTable) {
  return {
    id: c.id,
    caseNumber: c.case_number,
    title: c.title,
    summary: c.summary,
    type: c.type,
    classificationCode: c.classification_code,
    leadUnitId: c.lead_unit_id,
    status: c.status,
    stage: c.stage,
    confidentiality: c.confidentiality,
    handling: JSON.parse(c.handling) as string[],
    tlp: c.tlp,
    recognisedOn: c.recognised_on,
    clearedOn: c.cleared_on,
    referredOn: c.referred_on,
    closedAt: c.closed_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

export interface CaseChange {
  title?: string;
  summary?: string;
  classificationCode?: string | null;
  type?: CaseType;
  status?: CaseStatus;
  stage?: CaseStage;
  stageOn?: string;
  confidentiality?: 1 | 2 | 3;
  handling?: string[];
  tlp?: string;
}

/** Title, summary, classification: any writer. Type, stage, status, 格付, 取扱制限, TLP: the lead. */
export async function updateCase(p: Platform, s: Subject, id: string, ch: CaseChange, ip: string | null) {
  const leadOnly = ['type', 'status', 'stage', 'stageOn', 'confidentiality', 'handling', 'tlp'] as const;
  const need: CaseAction = leadOnly.some((k) => ch[k] !== undefined) ? 'manage' : 'write';
  const { case: c } = await assertCaseAccess(p, s, id, need, ip);
  await checkClassification(p.db.db, ch.classificationCode);
  if (ch.confidentiality && ch.confidentiality > s.clearance) throw new AppError('CASE_CLEARANCE_TOO_LOW');
  const now = p.clock.now().toISOString();
  const set: Partial<CaseTable> = { updated_at: now };
  if (ch.title !== undefined) set.title = ch.title;
  if (ch.summary !== undefined) set.summary = ch.summary;
  if (ch.classificationCode !== undefined) set.classification_code = ch.classificationCode;
  if (ch.type !== undefined) set.type = ch.type;
  if (ch.confidentiality !== undefined) set.confidentiality = ch.confidentiality;
  if (ch.handling !== undefined) set.handling = JSON.stringify(ch.handling);
  if (ch.tlp !== undefined) set.tlp = ch.tlp;
  if (ch.status !== undefined) {
    set.status = ch.status;
    set.closed_at = ch.status === 'closed' ? now : null;
  }
  if (ch.stage !== undefined && ch.stage !== c.stage) {
    set.stage = ch.stage;
    const col = STAGE_DAY[ch.stage];
    if (col) set[col] = ch.stageOn ?? todayJst(p.clock.now());
  }
  await p.db.db.transaction().execute(async (trx) => {
    // Raising 格付: members whose clearance no longer reaches it keep their row but lose access (access.ts).
    await trx.updateTable('cases').set(set).where('id', '=', id).execute();
    if (set.stage)
      await addTimeline(trx, {
        caseId: id,
        kind: 'stage',
        body: `段階を「${stageLabel(set.stage)}」に変更`,
        authorId: s.userId,
        now,
      });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.update',
      target: { type: 'case', id },
      result: 'success',
      clientIp: ip,
      details: { fields: Object.keys(ch) },
    });
  });
  return getCase(p, s, id, ip);
}

export const STAGE_LABELS: Record<string, string> = {
  recognised: '認知',
  investigating: '捜査',
  cleared: '検挙',
  referred: '送致',
};
const stageLabel = (st: string) => STAGE_LABELS[st] ?? st;

/** The case page: the case, members, supporting units, linked reports, tasks, damages, persons (labels only). */
export async function getCase(p: Platform, s: Subject, id: string, ip: string | null) {
  const { case: c, role } = await assertCaseAccess(p, s, id, 'read', ip);
  const db = p.db.db;
  const [members, units, reports, tasks, damages, persons, attachments, leadUnit] = await Promise.all([
    db
      .selectFrom('case_members')
      .innerJoin('users', 'users.id', 'case_members.user_id')
      .select([
        'users.id',
        'users.name',
        'users.unit_id',
        'case_members.role',
        'case_members.via',
        'case_members.added_at',
      ])
      .where('case_members.case_id', '=', id)
      .orderBy('case_members.added_at')
      .execute(),
    db
      .selectFrom('case_units')
      .innerJoin('units', 'units.id', 'case_units.unit_id')
      .select(['units.id', 'units.name'])
      .where('case_units.case_id', '=', id)
      .execute(),
    db
      .selectFrom('case_reports')
      .innerJoin('intake_reports', 'intake_reports.id', 'case_reports.report_id')
      .select([
        'intake_reports.id',
        'intake_reports.receipt_number',
        'intake_reports.summary',
        'case_reports.linked_at',
      ])
      .where('case_reports.case_id', '=', id)
      .execute(),
    db.selectFrom('case_tasks').selectAll().where('case_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('case_damages').selectAll().where('case_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('case_persons').select(['id', 'kind', 'label', 'created_at']).where('case_id', '=', id).execute(),
    db.selectFrom('case_attachments').selectAll().where('case_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('units').select(['id', 'name']).where('id', '=', c.lead_unit_id).executeTakeFirst(),
  ]);
  return {
    ...presentCase(c),
    leadUnitName: leadUnit?.name ?? null,
    myRole: role,
    members: members.map((m) => ({
      userId: m.id,
      name: m.name,
      unitId: m.unit_id,
      role: m.role,
      via: m.via,
      addedAt: m.added_at,
    })),
    supportingUnits: units.map((u) => ({ id: u.id, name: u.name })),
    reports: reports.map((r) => ({
      id: r.id,
      receiptNumber: r.receipt_number,
      summary: r.summary,
      linkedAt: r.linked_at,
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      assigneeId: t.assignee_id,
      dueOn: t.due_on,
      status: t.status,
      doneAt: t.done_at,
    })),
    damages: damages.map((d) => ({
      id: d.id,
      amountYen: Number(d.amount_yen),
      method: d.method,
      occurredOn: d.occurred_on,
      note: d.note,
    })),
    persons: persons.map((x) => ({ id: x.id, kind: x.kind, label: x.label })),
    attachments: attachments.map((a) => ({
      id: a.file_ref_id,
      name: a.name,
      size: Number(a.size),
      createdAt: a.created_at,
    })),
  };
}

export { type ListFilter, arrestStatistics, classifications, listCases, registry } from './lists.ts';
