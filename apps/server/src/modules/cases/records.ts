import { randomUUID } from 'node:crypto';
import { type SqlBool, type Transaction, sql } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { cyberUnitId, reportVisible } from '../intake/access.ts';
import { recordObservables } from '../intel/index.ts';
import { type ObservableType, type OccurrenceRole, isObservableType } from '../intel/vocab.ts';
import { actorOf, assertCaseAccess } from './access.ts';
import { addTimeline } from './timeline.ts';

type Trx = Transaction<Database>;
export const tlpOf = (t: string) =>
  (['clear', 'green', 'amber', 'amber+strict', 'red'].includes(t) ? t : 'amber') as 'amber';

/** One change on a case: access checked first, then one transaction with a timeline entry and the audit record. */
export async function change<T>(
  p: Platform,
  s: Subject,
  caseId: string,
  ip: string | null,
  action: string,
  fn: (
    trx: Trx,
    now: string,
  ) => Promise<{ out: T; timeline?: { kind: string; body: string }; details?: Record<string, string | number | null> }>,
): Promise<T> {
  await assertCaseAccess(p, s, caseId, 'write', ip);
  const now = p.clock.now().toISOString();
  return p.db.db.transaction().execute(async (trx) => {
    const r = await fn(trx, now);
    if (r.timeline) await addTimeline(trx, { caseId, ...r.timeline, authorId: s.userId, now });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action,
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: r.details ?? {},
    });
    return r.out;
  });
}

/** Links a report the subject may read; its values become occurrences at the case (with their roles). */
export async function linkReport(p: Platform, trx: Trx, s: Subject, caseId: string, reportId: string, now: string) {
  const r = await trx
    .selectFrom('intake_reports')
    .select(['id', 'receipt_number', 'tlp'])
    .where('id', '=', reportId)
    .where(reportVisible(s, await cyberUnitId(p, trx)))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  const had = await trx
    .selectFrom('case_reports')
    .select('report_id')
    .where('case_id', '=', caseId)
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  if (had) return;
  await trx
    .insertInto('case_reports')
    .values({ case_id: caseId, report_id: reportId, linked_by: s.userId, linked_at: now })
    .execute();
  const values = await trx
    .selectFrom('intake_observables')
    .select(['type', 'value', 'display', 'role'])
    .where('report_id', '=', reportId)
    .execute();
  // The report's values are canonical already (intake records them the same way at the report place).
  const items = values
    .filter((v) => isObservableType(v.type))
    .map((v) => ({
      type: v.type as ObservableType,
      value: v.value,
      display: v.display,
      role: v.role as OccurrenceRole,
      firstSeen: now,
      lastSeen: now,
    }));
  if (items.length)
    await recordObservables(trx, { type: 'case', id: caseId }, items, { tlp: tlpOf(r.tlp), now, decidedBy: s.userId });
  await addTimeline(trx, {
    caseId,
    kind: 'report',
    body: `通報・相談 ${r.receipt_number} を関連付け`,
    authorId: s.userId,
    now,
  });
}

export async function addReport(p: Platform, s: Subject, caseId: string, reportId: string, ip: string | null) {
  return change(p, s, caseId, ip, 'case.report.link', async (trx, now) => {
    await linkReport(p, trx, s, caseId, reportId, now);
    return { out: { ok: true }, details: { reportId } };
  });
}

export async function listTimeline(
  p: Platform,
  s: Subject,
  caseId: string,
  f: { cursor?: string; limit?: string },
  ip: string | null,
) {
  await assertCaseAccess(p, s, caseId, 'read', ip);
  const limit = pageLimit(f.limit, 50, 200);
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  let q = p.db.db
    .selectFrom('case_timeline')
    .leftJoin('users', 'users.id', 'case_timeline.author_id')
    .select([
      'case_timeline.id',
      'case_timeline.at',
      'case_timeline.kind',
      'case_timeline.body',
      'users.name as author',
    ])
    .where('case_timeline.case_id', '=', caseId);
  if (after)
    q = q.where(
      sql<SqlBool>`(case_timeline.at < ${after[0]} or (case_timeline.at = ${after[0]} and case_timeline.id < ${after[1]}))`,
    );
  const rows = await q
    .orderBy('case_timeline.at', 'desc')
    .orderBy('case_timeline.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, at: r.at, kind: r.kind, body: r.body, author: r.author ?? null })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

export async function addNote(
  p: Platform,
  s: Subject,
  caseId: string,
  body: string,
  at: string | undefined,
  ip: string | null,
) {
  return change(p, s, caseId, ip, 'case.timeline.add', async (trx, now) => {
    const id = await addTimeline(trx, { caseId, kind: 'note', body, authorId: s.userId, at: at ?? now, now });
    return { out: { id }, details: { entryId: id } };
  });
}

async function assertMember(trx: Trx, caseId: string, userId: string | null | undefined) {
  if (!userId) return;
  const m = await trx
    .selectFrom('case_members')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!m) throw new AppError('VALIDATION_FAILED', 'the assignee must be a member of the case');
}

export async function addTask(
  p: Platform,
  s: Subject,
  caseId: string,
  t: { title: string; assigneeId?: string | null; dueOn?: string },
  ip: string | null,
) {
  return change(p, s, caseId, ip, 'case.task.add', async (trx, now) => {
    await assertMember(trx, caseId, t.assigneeId);
    const id = randomUUID();
    await trx
      .insertInto('case_tasks')
      .values({
        id,
        case_id: caseId,
        title: t.title,
        assignee_id: t.assigneeId ?? null,
        due_on: t.dueOn ?? null,
        status: 'open',
        created_by: s.userId,
        created_at: now,
        done_at: null,
      })
      .execute();
    return {
      out: { id },
      timeline: { kind: 'task', body: `タスク「${t.title}」を登録${t.dueOn ? `（期限 ${t.dueOn}）` : ''}` },
      details: { taskId: id },
    };
  });
}

export async function updateTask(
  p: Platform,
  s: Subject,
  caseId: string,
  taskId: string,
  ch: { status?: 'open' | 'done'; assigneeId?: string | null; dueOn?: string | null },
  ip: string | null,
) {
  return change(p, s, caseId, ip, 'case.task.update', async (trx, now) => {
    const t = await trx
      .selectFrom('case_tasks')
      .select(['id', 'title', 'status'])
      .where('id', '=', taskId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!t) throw new AppError('NOT_FOUND');
    await assertMember(trx, caseId, ch.assigneeId);
    await trx
      .updateTable('case_tasks')
      .set({
        ...(ch.status ? { status: ch.status, done_at: ch.status === 'done' ? now : null } : {}),
        ...(ch.assigneeId !== undefined ? { assignee_id: ch.assigneeId } : {}),
        ...(ch.dueOn !== undefined ? { due_on: ch.dueOn } : {}),
      })
      .where('id', '=', taskId)
      .execute();
    const done = ch.status === 'done' && t.status !== 'done';
    return {
      out: { ok: true },
      ...(done ? { timeline: { kind: 'task', body: `タスク「${t.title}」を完了` } } : {}),
      details: { taskId },
    };
  });
}

export interface PersonInput {
  kind: 'suspect' | 'victim' | 'witness';
  label: string;
  name?: string;
  nameKana?: string;
  birthDate?: string;
  address?: string;
  contact?: string;
  note?: string;
}
const personContext = (id: string) => `case_person:${id}`;

/** Persons (被疑者・被害者・参考人): identifying data sealed with the master key (要配慮個人情報). */
export async function addPerson(p: Platform, s: Subject, caseId: string, input: PersonInput, ip: string | null) {
  return change(p, s, caseId, ip, 'case.person.add', async (trx, now) => {
    const id = randomUUID();
    const { kind, label, ...personal } = input;
    await trx
      .insertInto('case_persons')
      .values({
        id,
        case_id: caseId,
        kind,
        label,
        sealed: p.secrets.seal(JSON.stringify(personal), personContext(id)),
        created_by: s.userId,
        created_at: now,
      })
      .execute();
    return {
      out: { id },
      timeline: { kind: 'person', body: `関係者「${label}」を登録` },
      details: { personId: id, kind },
    };
  });
}

/** Reading a person's identifying data is audited every time (要配慮個人情報). */
export async function readPerson(p: Platform, s: Subject, caseId: string, personId: string, ip: string | null) {
  await assertCaseAccess(p, s, caseId, 'read', ip);
  const row = await p.db.db
    .selectFrom('case_persons')
    .selectAll()
    .where('id', '=', personId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.person.read',
      target: { type: 'case_person', id: personId },
      result: 'success',
      clientIp: ip,
      details: { caseId },
    }),
  );
  const personal = JSON.parse(p.secrets.open(row.sealed, personContext(row.id))) as Omit<PersonInput, 'kind' | 'label'>;
  return { id: row.id, kind: row.kind, label: row.label, ...personal, createdAt: row.created_at };
}

export async function addDamage(
  p: Platform,
  s: Subject,
  caseId: string,
  d: { amountYen: number; method: string; occurredOn?: string; note?: string },
  ip: string | null,
) {
  return change(p, s, caseId, ip, 'case.damage.add', async (trx, now) => {
    const id = randomUUID();
    await trx
      .insertInto('case_damages')
      .values({
        id,
        case_id: caseId,
        amount_yen: d.amountYen,
        method: d.method,
        occurred_on: d.occurredOn ?? null,
        note: d.note ?? '',
        created_by: s.userId,
        created_at: now,
      })
      .execute();
    return {
      out: { id },
      timeline: { kind: 'damage', body: `被害 ${d.amountYen.toLocaleString('ja-JP')}円 を登録` },
      details: { damageId: id },
    };
  });
}

export { addAttachment, addObservables, attachmentForDownload, listObservables } from './attachments.ts';
