import { randomUUID } from 'node:crypto';
import {
  addDays,
  calendarDateOf,
  daysBetween,
  isCalendarDate,
  parseCalendarDate,
  startOfDayJst,
} from '@renkei/core/calendar/index';
import type { Selectable, Transaction } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import { caseForRead, caseForWrite } from './caseGate.ts';
import { actorOf } from './service.ts';
import type { CaseWarrantTable } from './tables.ts';

declare module '../../../platform/jobs/types.ts' {
  interface DomainEvents {
    /** A warrant's reminder day (remind) or the day after its validity (expire) has come. */
    'case.warrant.due': { warrantId: string; kind: 'remind' | 'expire' };
  }
}

type Row = Selectable<CaseWarrantTable>;

/** 令状の種類 (vocabulary; codes stored, labels shown). */
export const WARRANT_KINDS: Record<string, string> = {
  search_seizure: '捜索差押許可状',
  seizure: '差押許可状',
  record_order_seizure: '記録命令付差押許可状',
  inspection: '検証許可状',
  body_search: '身体検査令状',
  arrest: '逮捕状',
  wiretap: '通信傍受令状',
  other: 'その他',
};
export const WARRANT_STATUSES = ['requested', 'issued', 'executed', 'returned', 'expired'] as const;
export const LINK_TYPES = ['evidence', 'analysis', 'person', 'other'] as const;

/** Reminder: this many days before the last valid day (at 09:00 JST). */
export const REMIND_DAYS_BEFORE = 2;

export interface WarrantInput {
  kind: string;
  reference?: string | undefined;
  court?: string | undefined;
  target: string;
  issuedOn?: string | undefined;
  validUntil?: string | undefined;
  status?: (typeof WARRANT_STATUSES)[number] | undefined;
  links?: { type: (typeof LINK_TYPES)[number]; id: string }[] | undefined;
}

function present(r: Row, links: { target_type: string; target_id: string }[], now: Date) {
  const today = calendarDateOf(now);
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    kindLabel: WARRANT_KINDS[r.kind] ?? r.kind,
    reference: r.reference,
    court: r.court,
    target: r.target,
    issuedOn: r.issued_on,
    validUntil: r.valid_until,
    daysLeft: r.valid_until ? daysBetween(today, parseCalendarDate(r.valid_until)) : null,
    status: r.status,
    executedAt: r.executed_at,
    remindedAt: r.reminded_at,
    links: links.map((l) => ({ type: l.target_type, id: l.target_id })),
    createdAt: r.created_at,
  };
}

function checkDates(input: { issuedOn?: string | undefined; validUntil?: string | undefined }) {
  for (const d of [input.issuedOn, input.validUntil]) {
    if (d !== undefined && !isCalendarDate(d)) throw new AppError('VALIDATION_FAILED', 'dates are YYYY-MM-DD');
  }
  if (input.issuedOn && input.validUntil && input.validUntil < input.issuedOn) {
    throw new AppError('VALIDATION_FAILED', 'validUntil is before issuedOn');
  }
}

async function checkLinks(p: Platform, caseId: string, links: WarrantInput['links']) {
  for (const l of links ?? []) {
    const table = l.type === 'evidence' ? 'case_evidence' : l.type === 'analysis' ? 'case_analysis_requests' : null;
    if (!table) continue;
    const hit = await p.db.db.selectFrom(table).select('case_id').where('id', '=', l.id).executeTakeFirst();
    if (!hit || hit.case_id !== caseId)
      throw new AppError('VALIDATION_FAILED', `link ${l.type} ${l.id} is not of this case`);
  }
}

export async function createWarrant(p: Platform, s: Subject, caseId: string, input: WarrantInput, ip: string | null) {
  await caseForWrite(p, s, caseId);
  if (!(input.kind in WARRANT_KINDS)) throw new AppError('VALIDATION_FAILED', 'unknown warrant kind');
  if (!input.target.trim()) throw new AppError('VALIDATION_FAILED', 'target is required');
  checkDates(input);
  await checkLinks(p, caseId, input.links);
  const now = p.clock.now().toISOString();
  const row: Row = {
    id: randomUUID(),
    case_id: caseId,
    kind: input.kind,
    reference: input.reference ?? null,
    court: input.court ?? null,
    target: input.target,
    issued_on: input.issuedOn ?? null,
    valid_until: input.validUntil ?? null,
    status: input.status ?? (input.issuedOn ? 'issued' : 'requested'),
    executed_at: null,
    reminded_at: null,
    created_by: s.userId,
    created_at: now,
    updated_at: now,
  };
  const links = (input.links ?? []).map((l) => ({ warrant_id: row.id, target_type: l.type, target_id: l.id }));
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_warrants').values(row).execute();
    if (links.length > 0) await trx.insertInto('case_warrant_links').values(links).execute();
    if (row.valid_until) await scheduleReminders(p, trx, row.id, row.valid_until);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.warrant.create',
      target: { type: 'case_warrant', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { caseId, kind: row.kind, validUntil: row.valid_until, links: links.length },
    });
  });
  return present(row, links, p.clock.now());
}

async function scheduleReminders(p: Platform, trx: Transaction<Database>, id: string, validUntil: string) {
  const last = parseCalendarDate(validUntil);
  const remindAt = startOfDayJst(addDays(last, -REMIND_DAYS_BEFORE), 9 * 3600_000);
  const expireAt = startOfDayJst(addDays(last, 1));
  const jobs = jobsOf(p);
  await jobs.publishInTransaction(
    trx,
    'case.warrant.due',
    { warrantId: id, kind: 'remind' },
    {
      runAt: remindAt,
      idempotencyKey: `warrant:${id}:remind:${validUntil}`,
    },
  );
  await jobs.publishInTransaction(
    trx,
    'case.warrant.due',
    { warrantId: id, kind: 'expire' },
    {
      runAt: expireAt,
      idempotencyKey: `warrant:${id}:expire:${validUntil}`,
    },
  );
}

async function linksOf(p: Platform, ids: string[]) {
  if (ids.length === 0) return new Map<string, { target_type: string; target_id: string }[]>();
  const rows = await p.db.db.selectFrom('case_warrant_links').selectAll().where('warrant_id', 'in', ids).execute();
  const out = new Map<string, { target_type: string; target_id: string }[]>();
  for (const r of rows) out.set(r.warrant_id, [...(out.get(r.warrant_id) ?? []), r]);
  return out;
}

export async function listWarrants(p: Platform, s: Subject, caseId: string) {
  await caseForRead(p, s, caseId);
  const rows = await p.db.db
    .selectFrom('case_warrants')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const links = await linksOf(
    p,
    rows.map((r) => r.id),
  );
  const now = p.clock.now();
  return { items: rows.map((r) => present(r, links.get(r.id) ?? [], now)) };
}

/** Status changes (issued, executed, returned) and the validity date; a new date re-schedules the reminders. */
export async function updateWarrant(
  p: Platform,
  s: Subject,
  caseId: string,
  id: string,
  input: {
    status?: Row['status'] | undefined;
    validUntil?: string | undefined;
    issuedOn?: string | undefined;
    links?: WarrantInput['links'];
  },
  ip: string | null,
) {
  await caseForWrite(p, s, caseId);
  const r = await p.db.db.selectFrom('case_warrants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || r.case_id !== caseId) throw new AppError('NOT_FOUND');
  checkDates({
    issuedOn: input.issuedOn ?? r.issued_on ?? undefined,
    validUntil: input.validUntil ?? r.valid_until ?? undefined,
  });
  if (input.status && !(WARRANT_STATUSES as readonly string[]).includes(input.status)) {
    throw new AppError('VALIDATION_FAILED', 'unknown status');
  }
  const now = p.clock.now();
  if (input.status === 'executed' && r.valid_until && calendarDateOf(now) > r.valid_until) {
    throw new AppError('CONFLICT', 'the warrant is no longer valid');
  }
  await checkLinks(p, caseId, input.links);
  const set: Partial<Row> = { updated_at: now.toISOString() };
  if (input.status) set.status = input.status;
  if (input.status === 'executed') set.executed_at = now.toISOString();
  if (input.issuedOn) set.issued_on = input.issuedOn;
  if (input.validUntil && input.validUntil !== r.valid_until) {
    set.valid_until = input.validUntil;
    set.reminded_at = null;
  }
  await p.db.db.transaction().execute(async (trx) => {
    await trx.updateTable('case_warrants').set(set).where('id', '=', id).execute();
    if (input.links) {
      await trx.deleteFrom('case_warrant_links').where('warrant_id', '=', id).execute();
      if (input.links.length > 0) {
        await trx
          .insertInto('case_warrant_links')
          .values(input.links.map((l) => ({ warrant_id: id, target_type: l.type, target_id: l.id })))
          .execute();
      }
    }
    if (set.valid_until) await scheduleReminders(p, trx, id, set.valid_until);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.warrant.update',
      target: { type: 'case_warrant', id },
      result: 'success',
      clientIp: ip,
      details: { caseId, status: set.status ?? r.status, validUntil: set.valid_until ?? r.valid_until },
    });
  });
  const next = { ...r, ...set };
  return present(next, (await linksOf(p, [id])).get(id) ?? [], now);
}

/** Job: remind the warrant's holder before it lapses, or mark it expired once the last valid day has passed. */
export async function warrantDue(p: Platform, payload: { warrantId: string; kind: 'remind' | 'expire' }) {
  const r = await p.db.db
    .selectFrom('case_warrants')
    .selectAll()
    .where('id', '=', payload.warrantId)
    .executeTakeFirst();
  if (!r?.valid_until || (r.status !== 'issued' && r.status !== 'requested')) return;
  const today = calendarDateOf(p.clock.now());
  const now = p.clock.now().toISOString();
  if (payload.kind === 'expire') {
    if (today <= r.valid_until) return; // the date was moved later; its own job will come
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('case_warrants')
        .set({ status: 'expired', updated_at: now })
        .where('id', '=', r.id)
        .execute();
      await p.audit.record(trx, {
        actor: null,
        action: 'case.warrant.expire',
        target: { type: 'case_warrant', id: r.id },
        result: 'success',
        details: { caseId: r.case_id, validUntil: r.valid_until },
      });
    });
    return;
  }
  if (r.reminded_at || daysBetween(today, parseCalendarDate(r.valid_until)) > REMIND_DAYS_BEFORE) return;
  const holder = await p.db.db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('id', '=', r.created_by)
    .executeTakeFirst();
  const c = await p.db.db.selectFrom('cases').select(['case_number']).where('id', '=', r.case_id).executeTakeFirst();
  await p.db.db.transaction().execute(async (trx) => {
    await trx.updateTable('case_warrants').set({ reminded_at: now }).where('id', '=', r.id).execute();
    if (holder?.email) {
      // Kind, case number, date and a link only: no target text in mail.
      await queueMail(p, trx, {
        to: [holder.email],
        subject: `【期限注意】${WARRANT_KINDS[r.kind] ?? '令状'}の有効期間が ${r.valid_until} までです`,
        text: `${holder.name} 様\n\n事件 ${c?.case_number ?? ''} の${WARRANT_KINDS[r.kind] ?? '令状'}（${r.reference ?? '番号未登録'}）の有効期間は ${r.valid_until} までです。\n${p.config.baseUrl}/cases/${r.case_id}\n`,
      });
    }
    await p.audit.record(trx, {
      actor: null,
      action: 'case.warrant.remind',
      target: { type: 'case_warrant', id: r.id },
      result: 'success',
      details: { caseId: r.case_id, validUntil: r.valid_until, to: holder?.id ?? null },
    });
  });
}
