import { randomBytes, randomUUID } from 'node:crypto';
import { renderDocumentNumber, todayJst } from '@renkei/core/calendar/index';
import type { Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { findUnitHead, isSuperior } from '../../platform/organisation.ts';
import { assertCaseAccess } from '../cases/access.ts';
import { reportVisible } from '../intake/access.ts';
import { actorOf, isRequestStaff, visibleRequest } from './access.ts';
import { checkAccount } from './bank.ts';
import type { RequestTable } from './tables.ts';
import { type NewRequestInput, type RequestType, toType } from './types.ts';
import { type RequestStatus, TRANSITIONS } from './vocab.ts';

/** The unit's outgoing document number (文書番号): サ対第12号, numbered per unit and calendar year. */
export const REQUEST_NUMBER_TEMPLATE = '{abbrev}第{seq}号';
const DAY = 86_400_000;

export async function requestType(p: Platform, code: string): Promise<RequestType> {
  const row = await p.db.db.selectFrom('request_types').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('VALIDATION_FAILED', `unknown request type ${code}`);
  if (row.active !== 1) throw new AppError('VALIDATION_FAILED', `inactive request type ${code}`);
  return toType(row);
}

export async function addEvent(
  trx: Transaction<Database>,
  requestId: string,
  at: string,
  actorId: string | null,
  action: string,
  from: string | null,
  to: string | null,
  note = '',
): Promise<void> {
  const last = await trx
    .selectFrom('request_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  const seq = Number(last?.m ?? 0) + 1;
  await trx
    .insertInto('request_events')
    .values({
      id: randomUUID(),
      request_id: requestId,
      seq,
      at,
      actor_id: actorId,
      action,
      from_status: from,
      to_status: to,
      note,
    })
    .execute();
}

function checkFields(t: RequestType, fields: Record<string, string | number>): void {
  for (const f of t.fields) {
    const v = fields[f.key];
    if (f.required && (v === undefined || String(v).trim() === '')) throw new AppError('REQUEST_FIELD_MISSING', f.key);
    if (v !== undefined && f.options && !f.options.includes(String(v))) throw new AppError('VALIDATION_FAILED', f.key);
  }
  const known = new Set(t.fields.map((f) => f.key));
  for (const k of Object.keys(fields)) if (!known.has(k)) throw new AppError('UNKNOWN_FIELD', k);
}

/** A validated draft, ready to be written (`insertRequest`) in the caller's transaction. */
export type RequestPlan = Awaited<ReturnType<typeof prepareRequest>>;

/** Drafts a request with its items. Bank accounts are validated against zengin-code; links must be visible. */
export async function createRequest(p: Platform, s: Subject, input: NewRequestInput, ip: string | null) {
  const plan = await prepareRequest(p, s, input, ip);
  const r = await p.db.db.transaction().execute((trx) => insertRequest(p, trx, s, plan, ip));
  return { id: r.id, reference: r.reference };
}

/** Checks a draft (type, recipient kind, fields, links, items) without writing anything. */
export async function prepareRequest(p: Platform, s: Subject, input: NewRequestInput, ip: string | null) {
  if (!isRequestStaff(s)) throw new AppError('FORBIDDEN');
  const db = p.db.db;
  const t = await requestType(p, input.typeCode);
  const recipient = await db
    .selectFrom('request_recipients')
    .selectAll()
    .where('id', '=', input.recipientId)
    .executeTakeFirst();
  if (!recipient) throw new AppError('VALIDATION_FAILED', 'recipientId');
  if (!t.recipientKinds.includes(recipient.kind)) throw new AppError('REQUEST_RECIPIENT_KIND', recipient.kind);
  checkFields(t, input.fields);
  const conf = input.confidentiality ?? 2;
  if (conf > s.clearance) throw new AppError('FORBIDDEN');
  if (input.caseId) await assertCaseAccess(p, s, input.caseId, 'read', ip);
  if (input.reportId) {
    const ok = await db
      .selectFrom('intake_reports')
      .select('id')
      .where('id', '=', input.reportId)
      .where(reportVisible(s, null))
      .executeTakeFirst();
    if (!ok) throw new AppError('NOT_FOUND');
  }
  if (input.items.length === 0) throw new AppError('VALIDATION_FAILED', 'items');
  const obsIds = input.items.flatMap((i) => (i.observableId ? [i.observableId] : []));
  const observables = new Map(
    obsIds.length === 0
      ? []
      : (
          await db
            .selectFrom('observables')
            .select(['id', 'type', 'value', 'display'])
            .where('id', 'in', obsIds)
            .execute()
        ).map((o) => [o.id, o] as const),
  );
  const items = input.items.map((i, position) => {
    if (i.account) {
      const a = checkAccount(i.account);
      return {
        position,
        kind: 'bank_account',
        value: a.canonical,
        display: a.display,
        observableId: i.observableId ?? null,
        recipientId: i.recipientId ?? null,
        details: a,
      };
    }
    if (i.observableId) {
      const o = observables.get(i.observableId);
      if (!o) throw new AppError('OBSERVABLE_NOT_FOUND');
      return {
        position,
        kind: o.type,
        value: o.value,
        display: o.display,
        observableId: o.id,
        recipientId: i.recipientId ?? null,
        details: {},
      };
    }
    const v = i.value?.trim() ?? '';
    if (v === '' || v.length > 2048) throw new AppError('VALIDATION_FAILED', 'items.value');
    return {
      position,
      kind: i.kind,
      value: v,
      display: v,
      observableId: null,
      recipientId: i.recipientId ?? null,
      details: {},
    };
  });
  let periodDays: number | null = null;
  if (t.rules.preservationDays) {
    periodDays = input.periodDays ?? t.rules.preservationDays;
    if (!Number.isInteger(periodDays) || periodDays < 1) throw new AppError('VALIDATION_FAILED', 'periodDays');
    if (periodDays > t.rules.preservationDays) throw new AppError('REQUEST_PRESERVATION_LIMIT');
  }
  return { input, t, recipient, conf, items, periodDays };
}

/** Writes a prepared draft (request, items, first event, audit) in the caller's transaction. */
export async function insertRequest(
  p: Platform,
  trx: Transaction<Database>,
  s: Subject,
  plan: RequestPlan,
  ip: string | null,
): Promise<{ id: string; reference: string; itemIds: string[] }> {
  const { input, t, recipient, conf, items, periodDays } = plan;
  const now = p.clock.now().toISOString();
  const id = randomUUID();
  const reference = `RQ-${now.slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
  const itemIds = items.map(() => randomUUID());
  await trx
    .insertInto('requests')
    .values({
      id,
      type_code: t.code,
      recipient_id: recipient.id,
      status: 'draft',
      title: input.title,
      owner_unit_id: s.unitId,
      confidentiality: conf,
      case_id: input.caseId ?? null,
      report_id: input.reportId ?? null,
      campaign_id: input.campaignId ?? null,
      fields: JSON.stringify(input.fields),
      reference,
      document_number: null,
      created_by: s.userId,
      approved_by: null,
      approved_at: null,
      sent_at: null,
      acknowledged_at: null,
      closed_at: null,
      due_at: null,
      reminded_at: null,
      escalated_at: null,
      period_start: null,
      period_until: null,
      period_days: periodDays,
      warned_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await trx
    .insertInto('request_items')
    .values(
      items.map((i, n) => ({
        id: itemIds[n]!,
        request_id: id,
        position: i.position,
        kind: i.kind,
        value: i.value,
        display: i.display,
        observable_id: i.observableId,
        recipient_id: i.recipientId,
        details: JSON.stringify(i.details),
        outcome: 'pending',
        outcome_at: null,
      })),
    )
    .execute();
  await addEvent(trx, id, now, s.userId, 'created', null, 'draft');
  await p.audit.record(trx, {
    actor: actorOf(s),
    action: 'request.create',
    target: { type: 'request', id },
    result: 'success',
    clientIp: ip,
    details: { type: t.code, recipientId: recipient.id, items: items.length, caseId: input.caseId ?? null },
  });
  return { id, reference, itemIds };
}

async function nextDocumentNumber(trx: Transaction<Database>, unitId: string, today: string): Promise<string> {
  const year = Number(today.slice(0, 4));
  const row = await trx
    .selectFrom('request_doc_sequences')
    .select('last')
    .where('unit_id', '=', unitId)
    .where('year', '=', year)
    .executeTakeFirst();
  const seq = (row?.last ?? 0) + 1;
  if (row)
    await trx
      .updateTable('request_doc_sequences')
      .set({ last: seq })
      .where('unit_id', '=', unitId)
      .where('year', '=', year)
      .execute();
  else await trx.insertInto('request_doc_sequences').values({ unit_id: unitId, year, last: seq }).execute();
  const unit = await trx.selectFrom('units').select('abbreviation').where('id', '=', unitId).executeTakeFirst();
  return renderDocumentNumber(REQUEST_NUMBER_TEMPLATE, {
    abbrevs: [unit?.abbreviation || '発'],
    seq,
    date: today as Parameters<typeof renderDocumentNumber>[1]['date'],
  });
}

/**
 * 決裁: the head of the drafting unit (or a head above it) approves a draft; the drafter never approves his own.
 * The unit's document number is given here.
 */
export async function approveRequest(p: Platform, s: Subject, id: string, ip: string | null) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  if (r.status !== 'draft') throw new AppError('REQUEST_BAD_TRANSITION');
  if (r.created_by === s.userId) throw new AppError('REQUEST_SELF_APPROVAL');
  const head = await findUnitHead(db, r.owner_unit_id);
  const me = { id: s.userId, unitId: s.unitId, rank: s.positionRank };
  const drafter = await db
    .selectFrom('users')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select(['users.id', 'users.unit_id', 'positions.rank'])
    .where('users.id', '=', r.created_by)
    .executeTakeFirstOrThrow();
  const isHead =
    head?.id === s.userId ||
    (s.isUnitHead && (await isSuperior(db, me, { id: drafter.id, unitId: drafter.unit_id, rank: drafter.rank })));
  if (!isHead) throw new AppError('REQUEST_NOT_UNIT_HEAD');
  const now = p.clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const number = await nextDocumentNumber(trx, r.owner_unit_id, todayJst(p.clock.now()));
    const done = await trx
      .updateTable('requests')
      .set({ status: 'approved', approved_by: s.userId, approved_at: now, document_number: number, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
    await addEvent(trx, id, now, s.userId, 'approved', 'draft', 'approved');
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.approve',
      target: { type: 'request', id },
      result: 'success',
      clientIp: ip,
      details: { documentNumber: number },
    });
    return { documentNumber: number };
  });
}

/** Acknowledged / done / refused / expired: a status change the recipient's answer brings, audited. */
export async function changeStatus(
  p: Platform,
  s: Subject,
  id: string,
  to: Exclude<RequestStatus, 'draft' | 'approved' | 'sent' | 'withdrawn'>,
  note: string,
  ip: string | null,
) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  if (!TRANSITIONS[r.status as RequestStatus]?.includes(to)) throw new AppError('REQUEST_BAD_TRANSITION');
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await setStatus(trx, r, to, now);
    await addEvent(trx, id, now, s.userId, to, r.status, to, note);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: `request.${to}`,
      target: { type: 'request', id },
      result: 'success',
      clientIp: ip,
      details: { from: r.status },
    });
  });
}

export async function setStatus(trx: Transaction<Database>, r: RequestTable, to: RequestStatus, now: string) {
  const set: Partial<RequestTable> = { status: to, updated_at: now };
  if (to === 'acknowledged') set.acknowledged_at = now;
  if (to === 'done' || to === 'refused' || to === 'expired' || to === 'withdrawn') set.closed_at = now;
  const res = await trx
    .updateTable('requests')
    .set(set)
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
}

export const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();
