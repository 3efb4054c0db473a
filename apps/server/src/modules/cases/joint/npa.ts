import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Expression, type SqlBool, sql } from 'kysely';
import { hasRole, type Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { fileStoreFor } from '../../../platform/files/index.ts';
import { cyberUnitId } from '../../intake/access.ts';
import { caseVisibleTo } from '../access.ts';
import { caseForRead } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';

export const NPA_OWNER = 'case_npa_report';
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Reports up to the NPA are files: national systems are closed, so the report is produced here (JSON, with a
 * stable layout), downloaded, carried over by the officer, and marked as sent. Periodic reports hold counts only;
 * an immediate report describes one case and is visible only to those who may read that case.
 */
async function mayReport(p: Platform, s: Subject): Promise<boolean> {
  return hasRole(s, 'cyber_analyst') && s.unitId === (await cyberUnitId(p));
}

function visible(s: Subject): Expression<SqlBool> {
  return sql<SqlBool>`(case_npa_reports.owner_unit_id = ${s.unitId}
    and (case_npa_reports.case_id is null or ${caseVisibleTo(s, 'case_npa_reports.case_id')}))`;
}

async function periodicBody(p: Platform, period: string) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const from = `${period}-01`;
  const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const db = p.db.db;
  const count = (col: 'recognised_on' | 'cleared_on' | 'referred_on') =>
    db
      .selectFrom('cases')
      .select(['type', 'classification_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where(col, '>=', from)
      .where(col, '<', to)
      .groupBy(['type', 'classification_code'])
      .orderBy('type')
      .orderBy('classification_code')
      .execute();
  const [recognised, cleared, referred, support, assistance] = await Promise.all([
    count('recognised_on'),
    count('cleared_on'),
    count('referred_on'),
    db
      .selectFrom('case_support_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('requested_at', '>=', `${from}T00:00:00.000Z`)
      .where('requested_at', '<', `${to}T00:00:00.000Z`)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('case_assistance')
      .select(['scope', 'direction', (eb) => eb.fn.countAll<number>().as('n')])
      .where('requested_on', '>=', from)
      .where('requested_on', '<', to)
      .groupBy(['scope', 'direction'])
      .execute(),
  ]);
  const rows = (xs: { type: string; classification_code: string | null; n: number | string }[]) =>
    xs.map((x) => ({ type: x.type, classification: x.classification_code, count: Number(x.n) }));
  return {
    認知: rows(recognised),
    検挙: rows(cleared),
    送致: rows(referred),
    支援要請: Number(support.n),
    共助: assistance.map((a) => ({ scope: a.scope, direction: a.direction, count: Number(a.n) })),
  };
}

async function immediateBody(p: Platform, caseId: string, note: string) {
  const c = await p.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  return {
    事件番号: c.case_number,
    件名: c.title,
    種別: c.type,
    罪種: c.classification_code,
    段階: c.stage,
    認知日: c.recognised_on,
    概要: c.summary,
    報告事項: note,
  };
}

export async function createNpaReport(
  p: Platform,
  s: Subject,
  input: {
    kind: 'periodic' | 'immediate';
    period?: string | undefined;
    caseId?: string | undefined;
    note?: string | undefined;
  },
  ip: string | null,
) {
  if (!(await mayReport(p, s))) throw new AppError('FORBIDDEN', 'reports to the NPA are made by the cyber division');
  let body: unknown;
  let title: string;
  if (input.kind === 'periodic') {
    if (!input.period || !PERIOD.test(input.period)) throw new AppError('VALIDATION_FAILED', 'period is YYYY-MM');
    body = await periodicBody(p, input.period);
    title = `サイバー事案等の月例報告（${input.period}）`;
  } else {
    if (!input.caseId) throw new AppError('VALIDATION_FAILED', 'an immediate report names its case');
    const c = await caseForRead(p, s, input.caseId, undefined, ip);
    body = await immediateBody(p, input.caseId, input.note ?? '');
    title = `即報（${c.caseNumber}）`;
  }
  const id = randomUUID();
  const now = p.clock.now().toISOString();
  const doc = {
    format: 'renkei-npa-report',
    version: 1,
    kind: input.kind,
    title,
    createdAt: now,
    period: input.period ?? null,
    body,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const name = `${input.kind === 'periodic' ? `monthly-${input.period}` : `immediate-${id.slice(0, 8)}`}.json`;
  const ref = await fileStoreFor(p).put(
    Readable.from([Buffer.from(json)]),
    { ownerType: NPA_OWNER, ownerId: id, originalName: name, declaredType: 'application/json' },
    actorOf(s),
  );
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('case_npa_reports')
      .values({
        id,
        case_id: input.caseId ?? null,
        owner_unit_id: s.unitId,
        kind: input.kind,
        period: input.period ?? null,
        title,
        body: json,
        file_ref_id: ref.id,
        created_by: s.userId,
        created_at: now,
        sent_at: null,
      })
      .execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.npa_report.create',
      target: { type: 'case_npa_report', id },
      result: 'success',
      clientIp: ip,
      details: { kind: input.kind, period: input.period ?? null, caseId: input.caseId ?? null },
    });
  });
  return {
    id,
    kind: input.kind,
    title,
    period: input.period ?? null,
    caseId: input.caseId ?? null,
    createdAt: now,
    sentAt: null,
    fileName: name,
  };
}

export async function listNpaReports(p: Platform, s: Subject) {
  const rows = await p.db.db
    .selectFrom('case_npa_reports')
    .select(['id', 'kind', 'title', 'period', 'case_id', 'created_at', 'sent_at'])
    .where(visible(s))
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      period: r.period,
      caseId: r.case_id,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    })),
  };
}

async function load(p: Platform, s: Subject, id: string) {
  const r = await p.db.db
    .selectFrom('case_npa_reports')
    .selectAll()
    .where('id', '=', id)
    .where(visible(s))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function npaReportFile(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await load(p, s, id);
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.npa_report.download',
      target: { type: 'case_npa_report', id },
      result: 'success',
      clientIp: ip,
      details: { kind: r.kind },
    }),
  );
  return r.file_ref_id;
}

export async function markNpaReportSent(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await load(p, s, id);
  if (r.sent_at) throw new AppError('CONFLICT', 'already marked as sent');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx.updateTable('case_npa_reports').set({ sent_at: now }).where('id', '=', id).execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.npa_report.sent',
      target: { type: 'case_npa_report', id },
      result: 'success',
      clientIp: ip,
      details: { kind: r.kind },
    });
  });
  return { id, sentAt: now };
}
