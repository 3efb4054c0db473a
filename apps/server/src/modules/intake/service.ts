import { randomUUID } from 'node:crypto';
import { addWorkingMillis } from '@renkei/core/calendar/index';
import { type IntakeCategory, isIntakeCategory } from '@renkei/core/intake/index';
import type { Selectable, Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { renderStoredTemplate } from '../../platform/documents/index.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findUnitHead } from '../../platform/organisation.ts';
import { actorOf, canReadReport, cyberUnitId, reportVisible } from './access.ts';
import { learn, loadModel } from './model.ts';
import { type ObservableRole, setReportObservableRole } from './observables.ts';
import { type Contact, intakeSettings, route } from './receive.ts';
import type { IntakeReportTable } from './tables.ts';

type ReportRow = Selectable<IntakeReportTable>;

// Split by responsibility; re-exported so callers keep one entry point.
export * from './labels.ts';
export * from './publicReports.ts';
export * from './queue.ts';
export * from './routingRules.ts';
import { CHANNEL_LABELS, OUTCOME_LABELS } from './labels.ts';
import { type QueueRow, baseQuery, queueItem } from './queue.ts';

async function memberIds(p: Platform, id: string): Promise<string[]> {
  const rows = await p.db.db
    .selectFrom('intake_report_members')
    .select('user_id')
    .where('report_id', '=', id)
    .execute();
  return rows.map((r) => r.user_id);
}

/** The report if the subject may read it; otherwise NOT_FOUND (its existence is not revealed). */
export async function readable(p: Platform, s: Subject, id: string): Promise<ReportRow> {
  const row = await p.db.db.selectFrom('intake_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  if (!canReadReport(s, { ...row, memberIds: await memberIds(p, id) }, await cyberUnitId(p))) {
    throw new AppError('NOT_FOUND');
  }
  return row;
}

function openReporter(p: Platform, r: ReportRow): { contact?: Contact; victim?: Contact } | null {
  if (!r.reporter_sealed) return null;
  return JSON.parse(p.secrets.open(r.reporter_sealed, `intake_report:${r.id}`)) as {
    contact?: Contact;
    victim?: Contact;
  };
}

/** The whole report, with reporter and victim data; the read is audited (要配慮個人情報). */
export async function getReport(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await readable(p, s, id);
  const cyber = await cyberUnitId(p);
  const db = p.db.db;
  const [row] = (await baseQuery(p, s, cyber).where('intake_reports.id', '=', id).execute()) as QueueRow[];
  const [observables, attachments, additions, notes, duty, history] = await Promise.all([
    db
      .selectFrom('intake_observables')
      .selectAll()
      .where('report_id', '=', id)
      .orderBy('type')
      .orderBy('value')
      .execute(),
    db.selectFrom('intake_attachments').selectAll().where('report_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('intake_additions').selectAll().where('report_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('intake_notes')
      .innerJoin('users', 'users.id', 'intake_notes.author_id')
      .select(['intake_notes.id', 'intake_notes.body', 'intake_notes.created_at', 'users.name as author'])
      .where('report_id', '=', id)
      .orderBy('intake_notes.created_at')
      .execute(),
    db.selectFrom('intake_duty').selectAll().where('report_id', '=', id).execute(),
    r.person_key
      ? db
          .selectFrom('intake_reports')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('person_key', '=', r.person_key)
          .where('id', '<>', id)
          .where(reportVisible(s, cyber))
          .executeTakeFirstOrThrow()
      : Promise.resolve({ n: 0 }),
  ]);
  const reporter = openReporter(p, r);
  await db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.report.read',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number, personalData: reporter !== null },
    });
  });
  const details = JSON.parse(r.details) as Record<string, unknown>;
  return {
    ...queueItem(row!, p.clock.now()),
    narrative: r.narrative,
    occurredOn: r.occurred_on,
    amountYen: r.amount_yen === null ? null : Number(r.amount_yen),
    reporterType: r.reporter_type,
    reporter: reporter?.contact ?? null,
    victim: reporter?.victim ?? null,
    details,
    consent: JSON.parse(r.consent) as Record<string, boolean>,
    urgency: JSON.parse(r.urgency) as unknown,
    receivingUnitId: r.receiving_unit_id,
    confidentiality: r.confidentiality,
    publicMessage: r.public_message,
    observables: observables.map((o) => ({
      id: o.id,
      type: o.type,
      value: o.value,
      display: o.display,
      role: o.role,
      foundIn: o.found_in,
      roleDecidedBy: o.role_decided_by,
      roleDecidedAt: o.role_decided_at,
    })),
    attachments: attachments.map((a) => ({
      id: a.file_ref_id,
      name: a.name,
      declaredType: a.declared_type,
      detectedType: a.detected_type,
      size: Number(a.size),
      flags: JSON.parse(a.flags) as string[],
    })),
    additions: additions.map((a) => ({ id: a.id, text: a.body, createdAt: a.created_at })),
    notes: notes.map((n) => ({ id: n.id, body: n.body, author: n.author, createdAt: n.created_at })),
    duty: duty.map((d) => ({
      id: d.id,
      createdAt: d.created_at,
      acknowledgedAt: d.acknowledged_at,
      escalatedAt: d.escalated_at,
    })),
    personHistoryCount: Number(history.n),
  };
}

/** Earlier and later reports of the same person that the subject may see; the look-up is audited. */
export async function personHistory(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await readable(p, s, id);
  const cyber = await cyberUnitId(p);
  const rows = r.person_key
    ? ((await baseQuery(p, s, cyber)
        .where('intake_reports.person_key', '=', r.person_key)
        .where('intake_reports.id', '<>', id)
        .orderBy('intake_reports.received_at', 'desc')
        .limit(100)
        .execute()) as QueueRow[])
    : [];
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.person_history.read',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { shown: rows.length },
    });
  });
  const now = p.clock.now();
  return { items: rows.map((x) => queueItem(x, now)) };
}

/* ───────────────────────── staff: changes ───────────────────────── */

async function change(
  p: Platform,
  s: Subject,
  id: string,
  action: string,
  ip: string | null,
  fn: (
    trx: Transaction<Database>,
    r: ReportRow,
    now: string,
  ) => Promise<Record<string, string | number | boolean | null>>,
) {
  const r = await readable(p, s, id);
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const details = await fn(trx, r, now);
    await trx.updateTable('intake_reports').set({ updated_at: now }).where('id', '=', id).execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action,
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number, ...details },
    });
  });
}

/** Assigns an officer (of the handling unit) and/or hands the report to another unit; the assignment clock starts. */
export async function assign(
  p: Platform,
  s: Subject,
  id: string,
  input: { assigneeId?: string; unitId?: string },
  ip: string | null,
) {
  await change(p, s, id, 'intake.report.assign', ip, async (trx, r, now) => {
    if (r.status === 'closed') throw new AppError('CONFLICT', 'the report is closed');
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
      .where('id', '=', id)
      .execute();
    await jobsOf(p).publishInTransaction(
      trx,
      'intake.ack.due',
      { reportId: id, dutyId: null },
      {
        runAt: addWorkingMillis(new Date(now), intakeSettings().ackWorkingHours * 3600_000),
        idempotencyKey: `intake.ack:${id}:${now}`,
      },
    );
    return { unitId: unit, assigneeId: assignee };
  });
}

/** The handling officer acknowledges the report (stops the escalation) and starts work on it. */
export async function acknowledge(p: Platform, s: Subject, id: string, ip: string | null) {
  await change(p, s, id, 'intake.report.acknowledge', ip, async (trx, r, now) => {
    if (r.status === 'closed') throw new AppError('CONFLICT', 'the report is closed');
    await trx
      .updateTable('intake_reports')
      .set({
        acknowledged_at: now,
        acknowledged_by: s.userId,
        status: r.status === 'assigned' ? 'in_progress' : r.status,
      })
      .where('id', '=', id)
      .execute();
    return {};
  });
}

/** The officer confirms (or corrects) the category; the model learns it; routing is re-applied while unassigned. */
export async function confirmCategory(
  p: Platform,
  s: Subject,
  id: string,
  category: IntakeCategory,
  ip: string | null,
) {
  if (!isIntakeCategory(category)) throw new AppError('VALIDATION_FAILED');
  const model = await loadModel(p);
  await change(p, s, id, 'intake.report.category', ip, async (trx, r) => {
    const additions = await trx.selectFrom('intake_additions').select('body').where('report_id', '=', id).execute();
    const text = [r.narrative, ...additions.map((a) => a.body)].join('\n');
    await learn(p, trx, model, text, category, r.suggested_category === category);
    const set: Partial<ReportRow> = { category, category_confirmed_by: s.userId };
    if (r.status === 'received' && !r.assignee_id) {
      set.owner_unit_id = await route(p, trx, category, r.urgent === 1, r.owner_unit_id);
    }
    await trx.updateTable('intake_reports').set(set).where('id', '=', id).execute();
    return { category, suggested: r.suggested_category, ownerUnitId: set.owner_unit_id ?? r.owner_unit_id };
  });
}

/** Officers correct the role of an extracted value (the reporter's own number is 被害者側, not a suspect's). */
export async function setObservableRole(
  p: Platform,
  s: Subject,
  id: string,
  observableId: string,
  role: string,
  ip: string | null,
) {
  await change(p, s, id, 'intake.observable.role', ip, async (trx, _r, now) => {
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

export async function close(
  p: Platform,
  s: Subject,
  id: string,
  input: { outcome: string; message?: string },
  ip: string | null,
) {
  await change(p, s, id, 'intake.report.close', ip, async (trx, r, now) => {
    if (r.status === 'closed') throw new AppError('CONFLICT', 'the report is closed already');
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
      .where('id', '=', id)
      .execute();
    return { outcome: input.outcome };
  });
}

export async function addNote(p: Platform, s: Subject, id: string, body: string, ip: string | null) {
  await change(p, s, id, 'intake.report.note', ip, async (trx, _r, now) => {
    await trx
      .insertInto('intake_notes')
      .values({ id: randomUUID(), report_id: id, author_id: s.userId, body, created_at: now })
      .execute();
    return {};
  });
}

export async function bulk(
  p: Platform,
  s: Subject,
  input: { ids: string[]; action: string; assigneeId?: string; unitId?: string; outcome?: string },
  ip: string | null,
) {
  const results: { id: string; ok: boolean; error: string | null }[] = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      if (input.action === 'acknowledge') await acknowledge(p, s, id, ip);
      else if (input.action === 'assign')
        await assign(p, s, id, { assigneeId: input.assigneeId, unitId: input.unitId }, ip);
      else if (input.action === 'close') {
        if (!input.outcome) throw new AppError('VALIDATION_FAILED', 'outcome is required');
        await close(p, s, id, { outcome: input.outcome }, ip);
      }
      results.push({ id, ok: true, error: null });
    } catch (err) {
      results.push({ id, ok: false, error: err instanceof AppError ? err.code : 'INTERNAL' });
    }
  }
  return { results };
}

/* ───────────────────────── duty desk and escalation ───────────────────────── */

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
  await change(p, s, d.report_id, 'intake.duty.acknowledge', ip, async (trx, _r, now) => {
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

/* ───────────────────────── routing rules, suggestion, PDF ───────────────────────── */

const JST = (iso: string) => new Date(new Date(iso).getTime() + 9 * 3600_000);

/** The 相談受理票 as a PDF (documents engine, seeded template `sodan-juri-hyo`); printing is audited. */
export async function juriHyo(p: Platform, s: Subject, id: string, ip: string | null): Promise<Buffer> {
  const r = await readable(p, s, id);
  const db = p.db.db;
  const unit = await db.selectFrom('units').select('name').where('id', '=', r.receiving_unit_id).executeTakeFirst();
  const creator = r.created_by
    ? await db.selectFrom('users').select('name').where('id', '=', r.created_by).executeTakeFirst()
    : undefined;
  const reporter = openReporter(p, r);
  const c = reporter?.contact ?? {};
  const received = JST(r.received_at);
  const observables = await db
    .selectFrom('intake_observables')
    .select(['display', 'role'])
    .where('report_id', '=', id)
    .execute();
  const roleJa: Record<string, string> = { suspect: '加害者側', victim: '被害者側', unknown: '不明' };
  const data = {
    受理番号: r.receipt_number,
    受理日: received.toISOString().slice(0, 10),
    受理時刻: `${received.getUTCHours()}時${String(received.getUTCMinutes()).padStart(2, '0')}分`,
    受理所属: unit?.name ?? '',
    受理者: creator?.name ?? '（ウェブ受付）',
    受理方法: CHANNEL_LABELS[r.channel] ?? r.channel,
    相談者: {
      氏名: r.reporter_type === 'anonymous' ? '匿名' : (c.name ?? ''),
      フリガナ: c.nameKana ?? '',
      生年月日: c.birthDate ?? '',
      住所: c.address ?? '',
      電話番号: c.phone ?? '',
    },
    相談種別: r.category ?? `${r.suggested_category ?? 'その他'}（候補・未確認）`,
    発生日: r.occurred_on ?? '',
    相談概要: r.narrative,
    被害: r.amount_yen !== null ? [{ 日付: r.occurred_on ?? '', 内容: '被害額', 金額: Number(r.amount_yen) }] : [],
    措置: [
      r.outcome ? `結果: ${OUTCOME_LABELS[r.outcome] ?? r.outcome}` : '',
      observables.length > 0
        ? `抽出された値: ${observables.map((o) => `${o.display}（${roleJa[o.role] ?? o.role}）`).join('、')}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  };
  const pdf = await renderStoredTemplate(p, 'sodan-juri-hyo', data, {
    marking: { confidentiality: Math.max(2, r.confidentiality) as 2 | 3, handling: ['複製禁止'] },
  });
  await db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.report.print',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number, document: 'sodan-juri-hyo' },
    });
  });
  return pdf;
}
