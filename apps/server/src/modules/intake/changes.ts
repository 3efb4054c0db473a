import { randomUUID } from 'node:crypto';
import { addWorkingMillis } from '@renkei/core/calendar/index';
import { type ClassifierModel, type IntakeCategory, isIntakeCategory } from '@renkei/core/intake/index';
import type { Selectable, Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { actorOf, readable } from './access.ts';
import { learnMany, loadModel } from './model.ts';
import { type ObservableRole, setReportObservableRole } from './observables.ts';
import { intakeSettings } from './receive.ts';
import { route } from './routingRules.ts';
import type { IntakeReportTable } from './tables.ts';

type ReportRow = Selectable<IntakeReportTable>;
type Details = Record<string, string | number | boolean | null>;

/** What one change of one report sees: the transaction, the report as read before it, the time. */
export interface ChangeContext {
  p: Platform;
  s: Subject;
  trx: Transaction<Database>;
  r: ReportRow;
  now: string;
  /** Confirmed categories to teach the model once, at the end of the transaction. */
  lessons: { text: string; label: IntakeCategory; wasSuggested: boolean }[];
}
type Op = (c: ChangeContext) => Promise<Details>;

async function applyOps(
  p: Platform,
  s: Subject,
  rows: ReportRow[],
  action: string,
  ip: string | null,
  op: Op,
  extra: Details = {},
) {
  const needsModel = action === 'intake.report.category';
  const model: ClassifierModel | null = needsModel ? await loadModel(p) : null;
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const lessons: ChangeContext['lessons'] = [];
    for (const r of rows) {
      let details: Details;
      try {
        details = await op({ p, s, trx, r, now, lessons });
      } catch (err) {
        // A bulk change is all or nothing: say which report stopped it (the user may see it).
        if (err instanceof AppError && rows.length > 1) {
          throw new AppError(err.code, `${r.receipt_number}: ${err.message}`, {
            ...err.extra,
            receiptNumber: r.receipt_number,
          });
        }
        throw err;
      }
      await trx.updateTable('intake_reports').set({ updated_at: now }).where('id', '=', r.id).execute();
      await p.audit.record(trx, {
        actor: actorOf(s),
        action,
        target: { type: 'intake_report', id: r.id },
        result: 'success',
        clientIp: ip,
        details: { receiptNumber: r.receipt_number, ...extra, ...details },
      });
    }
    if (model && lessons.length > 0) await learnMany(p, trx, model, lessons);
  });
}

/** One audited change of one report the subject may read (otherwise NOT_FOUND), in one transaction. */
export async function change(p: Platform, s: Subject, id: string, action: string, ip: string | null, op: Op) {
  const r = await readable(p, s, id);
  await applyOps(p, s, [r], action, ip, op);
}

/* ───────────────────────── the operations ───────────────────────── */

const notClosed = (r: ReportRow, msg = 'the report is closed') => {
  if (r.status === 'closed') throw new AppError('CONFLICT', msg);
};

/** Assigns an officer (of the handling unit) and/or hands the report to another unit; the assignment clock starts. */
const assignOp =
  (input: { assigneeId?: string; unitId?: string }): Op =>
  async ({ p, s, trx, r, now }) => {
    notClosed(r);
    const unit = input.unitId ?? r.owner_unit_id;
    if (input.unitId) {
      const u = await trx.selectFrom('units').select('id').where('id', '=', input.unitId).executeTakeFirst();
      if (!u) throw new AppError('VALIDATION_FAILED', 'no such unit');
    }
    const assignee = input.assigneeId ?? (input.unitId ? null : s.userId);
    if (assignee) {
      const u = await trx
        .selectFrom('users')
        .select(['id', 'unit_id', 'status'])
        .where('id', '=', assignee)
        .executeTakeFirst();
      if (u?.status !== 'active' || u.unit_id !== unit) {
        throw new AppError('VALIDATION_FAILED', 'the assignee must be an active member of the handling unit');
      }
    }
    await trx
      .updateTable('intake_reports')
      .set({
        owner_unit_id: unit,
        assignee_id: assignee,
        status: assignee ? 'assigned' : 'received',
        assigned_at: now,
        acknowledged_at: null,
        acknowledged_by: null,
      })
      .where('id', '=', r.id)
      .execute();
    await jobsOf(p).publishInTransaction(
      trx,
      'intake.ack.due',
      { reportId: r.id, dutyId: null },
      {
        runAt: addWorkingMillis(new Date(now), intakeSettings().ackWorkingHours * 3600_000),
        idempotencyKey: `intake.ack:${r.id}:${now}`,
      },
    );
    return { unitId: unit, assigneeId: assignee };
  };

/** The handling officer acknowledges the report (stops the escalation) and starts work on it. */
const acknowledgeOp: Op = async ({ s, trx, r, now }) => {
  notClosed(r);
  await trx
    .updateTable('intake_reports')
    .set({
      acknowledged_at: now,
      acknowledged_by: s.userId,
      status: r.status === 'assigned' ? 'in_progress' : r.status,
    })
    .where('id', '=', r.id)
    .execute();
  return {};
};

/** The officer confirms (or corrects) the category; the model learns it; routing is re-applied while unassigned. */
const categoryOp =
  (category: IntakeCategory): Op =>
  async ({ p, s, trx, r, lessons }) => {
    const additions = await trx.selectFrom('intake_additions').select('body').where('report_id', '=', r.id).execute();
    lessons.push({
      text: [r.narrative, ...additions.map((a) => a.body)].join('\n'),
      label: category,
      wasSuggested: r.suggested_category === category,
    });
    const set: Partial<ReportRow> = { category, category_confirmed_by: s.userId };
    if (r.status === 'received' && !r.assignee_id) {
      set.owner_unit_id = await route(p, trx, category, r.urgent === 1, r.owner_unit_id);
    }
    await trx.updateTable('intake_reports').set(set).where('id', '=', r.id).execute();
    return { category, suggested: r.suggested_category, ownerUnitId: set.owner_unit_id ?? r.owner_unit_id };
  };

const closeOp =
  (input: { outcome: string; message?: string }): Op =>
  async ({ s, trx, r, now }) => {
    notClosed(r, 'the report is closed already');
    await trx
      .updateTable('intake_reports')
      .set({
        status: 'closed',
        outcome: input.outcome,
        closed_at: now,
        public_message: input.message ?? r.public_message,
        acknowledged_at: r.acknowledged_at ?? now,
        acknowledged_by: r.acknowledged_by ?? s.userId,
      })
      .where('id', '=', r.id)
      .execute();
    return { outcome: input.outcome };
  };

/* ───────────────────────── one report ───────────────────────── */

export const assign = (
  p: Platform,
  s: Subject,
  id: string,
  input: { assigneeId?: string; unitId?: string },
  ip: string | null,
) => change(p, s, id, 'intake.report.assign', ip, assignOp(input));

export const acknowledge = (p: Platform, s: Subject, id: string, ip: string | null) =>
  change(p, s, id, 'intake.report.acknowledge', ip, acknowledgeOp);

export async function confirmCategory(
  p: Platform,
  s: Subject,
  id: string,
  category: IntakeCategory,
  ip: string | null,
) {
  if (!isIntakeCategory(category)) throw new AppError('VALIDATION_FAILED');
  await change(p, s, id, 'intake.report.category', ip, categoryOp(category));
}

export const close = (
  p: Platform,
  s: Subject,
  id: string,
  input: { outcome: string; message?: string },
  ip: string | null,
) => change(p, s, id, 'intake.report.close', ip, closeOp(input));

/** Officers correct the role of an extracted value (the reporter's own number is 被害者側, not a suspect's). */
export async function setObservableRole(
  p: Platform,
  s: Subject,
  id: string,
  observableId: string,
  role: string,
  ip: string | null,
) {
  await change(p, s, id, 'intake.observable.role', ip, async ({ trx, now }) => {
    const o = await trx
      .selectFrom('intake_observables')
      .select(['id', 'role', 'type', 'value'])
      .where('id', '=', observableId)
      .where('report_id', '=', id)
      .executeTakeFirst();
    if (!o) throw new AppError('NOT_FOUND');
    await trx
      .updateTable('intake_observables')
      .set({ role, role_decided_by: s.userId, role_decided_at: now })
      .where('id', '=', observableId)
      .execute();
    await setReportObservableRole(trx, id, o, role as ObservableRole, s.userId, now);
    return { observableId, from: o.role, to: role };
  });
}

export async function addNote(p: Platform, s: Subject, id: string, body: string, ip: string | null) {
  await change(p, s, id, 'intake.report.note', ip, async ({ trx, now }) => {
    await trx
      .insertInto('intake_notes')
      .values({ id: randomUUID(), report_id: id, author_id: s.userId, body, created_at: now })
      .execute();
    return {};
  });
}

/* ───────────────────────── several reports at once ───────────────────────── */

export interface BulkInput {
  ids: string[];
  action: 'acknowledge' | 'assign' | 'route' | 'category' | 'close';
  assigneeId?: string;
  unitId?: string;
  category?: IntakeCategory;
  outcome?: string;
  message?: string;
}

function bulkOp(input: BulkInput): { action: string; op: Op } {
  switch (input.action) {
    case 'acknowledge':
      return { action: 'intake.report.acknowledge', op: acknowledgeOp };
    case 'assign':
      if (!input.assigneeId && !input.unitId) throw new AppError('VALIDATION_FAILED', 'assigneeId or unitId');
      return { action: 'intake.report.assign', op: assignOp({ assigneeId: input.assigneeId, unitId: input.unitId }) };
    case 'route':
      if (!input.unitId) throw new AppError('VALIDATION_FAILED', 'unitId is required');
      return { action: 'intake.report.assign', op: assignOp({ unitId: input.unitId }) };
    case 'category':
      if (!input.category || !isIntakeCategory(input.category)) {
        throw new AppError('VALIDATION_FAILED', 'category is required');
      }
      return { action: 'intake.report.category', op: categoryOp(input.category) };
    case 'close':
      if (!input.outcome) throw new AppError('VALIDATION_FAILED', 'outcome is required');
      return { action: 'intake.report.close', op: closeOp({ outcome: input.outcome, message: input.message }) };
  }
}

/**
 * One action on several reports: all in one transaction, all or nothing, audited per report (with the bulk size).
 * Need-to-know first: if any report is not readable by the subject, nothing is changed and the refusal names the
 * ids given (NOT_FOUND — whether such a report exists is not revealed).
 */
export async function bulk(p: Platform, s: Subject, input: BulkInput, ip: string | null) {
  const { action, op } = bulkOp(input);
  const ids = [...new Set(input.ids)];
  const rows: ReportRow[] = [];
  const refused: string[] = [];
  for (const id of ids) {
    try {
      rows.push(await readable(p, s, id));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err;
      refused.push(id);
    }
  }
  if (refused.length > 0) {
    throw new AppError('NOT_FOUND', `${refused.length} report(s) not found`, { refused });
  }
  await applyOps(p, s, rows, action, ip, op, { bulk: rows.length });
  return { changed: rows.length, results: rows.map((r) => ({ id: r.id, receiptNumber: r.receipt_number, ok: true })) };
}
