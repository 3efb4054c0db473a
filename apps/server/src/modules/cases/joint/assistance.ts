import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isCalendarDate } from '@renkei/core/calendar/index';
import { type Expression, type Selectable, type SqlBool, sql } from 'kysely';
import { hasContentRole } from '../../../platform/auth/policy.ts';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../../platform/db/cursor.ts';
import { AppError } from '../../../platform/errors.ts';
import { type FileRef, fileStoreFor } from '../../../platform/files/index.ts';
import { caseVisibleTo } from '../access.ts';
import { caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import type { CaseAssistanceTable } from './tables.ts';

type Row = Selectable<CaseAssistanceTable>;
export const ASSISTANCE_OWNER = 'case_assistance';
export const SCOPES = ['domestic', 'international'] as const;
export const DIRECTIONS = ['incoming', 'outgoing'] as const;
/** Where a request came from: another prefecture, an IHC allocation (全国協働捜査方式), the NPA, a foreign body. */
export const SOURCES = ['prefecture', 'ihc', 'npa', 'foreign'] as const;
/** International channels: ICPO (Interpol), MLAT/MLA treaties (刑事共助条約), the G7 24/7 network. */
export const CHANNELS = ['icpo', 'mlat', '24-7'] as const;
export const STATUSES = ['requested', 'sent', 'in_progress', 'answered', 'closed', 'refused'] as const;

export interface AssistanceInput {
  scope: (typeof SCOPES)[number];
  direction: (typeof DIRECTIONS)[number];
  source: (typeof SOURCES)[number];
  caseId?: string | undefined;
  counterpart: string;
  channel?: (typeof CHANNELS)[number] | undefined;
  reference?: string | undefined;
  subject: string;
  details?: string | undefined;
  requestedOn: string;
  dueOn?: string | undefined;
}

export interface AssistancePatch {
  status?: (typeof STATUSES)[number] | undefined;
  sentOn?: string | undefined;
  answeredOn?: string | undefined;
  dueOn?: string | undefined;
  reference?: string | undefined;
  caseId?: string | undefined;
}

async function present(p: Platform, r: Row) {
  return presentRow(r, await fileStoreFor(p).listByOwner(ASSISTANCE_OWNER, r.id));
}

function presentRow(r: Row, docs: FileRef[]) {
  return {
    id: r.id,
    scope: r.scope,
    direction: r.direction,
    source: r.source,
    caseId: r.case_id,
    ownerUnitId: r.owner_unit_id,
    counterpart: r.counterpart,
    channel: r.channel,
    reference: r.reference,
    subject: r.subject,
    details: r.details,
    status: r.status,
    requestedOn: r.requested_on,
    sentOn: r.sent_on,
    dueOn: r.due_on,
    answeredOn: r.answered_on,
    documents: docs.map((d) => ({ id: d.id, name: d.originalName, size: d.size, createdAt: d.createdAt })),
    createdAt: r.created_at,
  };
}

function checkDates(...ds: (string | undefined)[]) {
  for (const d of ds)
    if (d !== undefined && !isCalendarDate(d)) throw new AppError('VALIDATION_FAILED', 'dates are YYYY-MM-DD');
}

/** Seen by the owning unit's staff and, when linked to a case, by the case's members. */
function visible(s: Subject): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(case_assistance.owner_unit_id = ${s.unitId}
    or (case_assistance.case_id is not null and ${caseVisibleTo(s, 'case_assistance.case_id')}))`;
}

export async function createAssistance(p: Platform, s: Subject, input: AssistanceInput, ip: string | null) {
  checkDates(input.requestedOn, input.dueOn);
  if (input.scope === 'international' && !input.channel)
    throw new AppError('VALIDATION_FAILED', 'international assistance names its channel');
  if (input.scope === 'domestic' && input.channel)
    throw new AppError('VALIDATION_FAILED', 'channel is for international assistance');
  if (input.source === 'ihc' && (input.direction !== 'incoming' || !input.reference)) {
    throw new AppError('VALIDATION_FAILED', 'an IHC allocation is incoming and carries its IHC reference number');
  }
  if (input.caseId) await caseForWrite(p, s, input.caseId, undefined, ip);
  const now = p.clock.now().toISOString();
  const row: Row = {
    id: randomUUID(),
    scope: input.scope,
    direction: input.direction,
    source: input.source,
    case_id: input.caseId ?? null,
    owner_unit_id: s.unitId,
    counterpart: input.counterpart,
    channel: input.channel ?? null,
    reference: input.reference ?? null,
    subject: input.subject,
    details: input.details ?? '',
    status: input.direction === 'incoming' ? 'in_progress' : 'requested',
    requested_on: input.requestedOn,
    sent_on: null,
    due_on: input.dueOn ?? null,
    answered_on: null,
    created_by: s.userId,
    created_at: now,
    updated_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_assistance').values(row).execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.assistance.create',
      target: { type: 'case_assistance', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { scope: row.scope, direction: row.direction, source: row.source, caseId: row.case_id },
    });
  });
  return present(p, row);
}

export async function listAssistance(
  p: Platform,
  s: Subject,
  q: {
    scope?: string | undefined;
    direction?: string | undefined;
    caseId?: string | undefined;
    cursor?: string | undefined;
    limit?: string | undefined;
  },
) {
  const limit = pageLimit(q.limit);
  const after = decodeCursor<[string, string]>(q.cursor, 2);
  let query = p.db.db.selectFrom('case_assistance').selectAll().where(visible(s));
  if (q.scope) query = query.where('scope', '=', q.scope);
  if (q.direction) query = query.where('direction', '=', q.direction);
  if (q.caseId) query = query.where('case_id', '=', q.caseId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const docs = await fileStoreFor(p).listByOwners(
    ASSISTANCE_OWNER,
    page.map((r) => r.id),
  );
  return {
    items: page.map((r) => presentRow(r, docs.get(r.id) ?? [])),
    nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

async function load(p: Platform, s: Subject, id: string): Promise<Row> {
  const r = await p.db.db
    .selectFrom('case_assistance')
    .selectAll()
    .where('id', '=', id)
    .where(visible(s))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function getAssistance(p: Platform, s: Subject, id: string) {
  return present(p, await load(p, s, id));
}

export async function updateAssistance(p: Platform, s: Subject, id: string, input: AssistancePatch, ip: string | null) {
  const r = await load(p, s, id);
  if (r.owner_unit_id !== s.unitId) throw new AppError('FORBIDDEN', 'only the owning unit updates the request');
  checkDates(input.sentOn, input.answeredOn, input.dueOn);
  if (input.caseId) await caseForWrite(p, s, input.caseId, undefined, ip);
  const now = p.clock.now().toISOString();
  const set: Partial<Row> = { updated_at: now };
  if (input.status) set.status = input.status;
  if (input.sentOn) set.sent_on = input.sentOn;
  if (input.answeredOn) set.answered_on = input.answeredOn;
  if (input.dueOn) set.due_on = input.dueOn;
  if (input.reference) set.reference = input.reference;
  if (input.caseId) set.case_id = input.caseId;
  await p.db.db.transaction().execute(async (trx) => {
    await trx.updateTable('case_assistance').set(set).where('id', '=', id).execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.assistance.update',
      target: { type: 'case_assistance', id },
      result: 'success',
      clientIp: ip,
      details: { status: set.status ?? r.status, caseId: set.case_id ?? r.case_id },
    });
  });
  return present(p, { ...r, ...set });
}

/** A document of the request (依頼書, 回答書, translations): streamed into the encrypted file store, audited. */
export async function addDocument(
  p: Platform,
  s: Subject,
  id: string,
  file: { stream: Readable; name: string; declaredType: string | null },
) {
  const r = await load(p, s, id);
  if (r.owner_unit_id !== s.unitId) throw new AppError('FORBIDDEN', 'only the owning unit adds documents');
  const ref = await fileStoreFor(p).put(
    file.stream,
    { ownerType: ASSISTANCE_OWNER, ownerId: id, originalName: file.name, declaredType: file.declaredType },
    actorOf(s),
    { maxBytes: 50 * 1024 * 1024 },
  );
  return { id: ref.id, name: ref.originalName, size: ref.size };
}

export async function documentForDownload(p: Platform, s: Subject, id: string, fileId: string, ip: string | null) {
  await load(p, s, id);
  const ref = await fileStoreFor(p).get(fileId);
  if (!ref || ref.ownerType !== ASSISTANCE_OWNER || ref.ownerId !== id) throw new AppError('NOT_FOUND');
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.assistance.document.download',
      target: { type: 'case_assistance', id },
      result: 'success',
      clientIp: ip,
      details: { fileRef: fileId },
    }),
  );
  return fileId;
}
