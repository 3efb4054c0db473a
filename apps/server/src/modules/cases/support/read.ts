import type { Expression, Selectable, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { hasContentRole } from '../../../platform/auth/policy.ts';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../../platform/db/cursor.ts';
import { AppError } from '../../../platform/errors.ts';
import { caseVisibleTo } from '../access.ts';
import { caseForRead } from '../evidence/caseGate.ts';
import { supportClock } from './clock.ts';
import type { CaseSupportRequestTable } from './tables.ts';
import './tables.ts';

// What a viewer sees of support requests: who may see one, the lists, one request, a case's requests.

export type Row = Selectable<CaseSupportRequestTable>;

export const KIND_JA: Record<string, string> = {
  analysis: '解析支援',
  investigation: '捜査支援',
  advice: '助言',
  preservation: '証拠保全',
  other: 'その他',
};

/** Rows as the API shows them: names of people, units and cases, and the working-time clock. */
export async function present(p: Platform, rows: Row[]) {
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.requested_by, r.assignee_id, r.decided_by]).filter(Boolean)),
  ] as string[];
  const unitIds = [...new Set(rows.flatMap((r) => [r.from_unit_id, r.to_unit_id]))];
  const caseIds = [...new Set(rows.map((r) => r.case_id).filter(Boolean))] as string[];
  const [users, units, cases] = await Promise.all([
    userIds.length ? p.db.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
    unitIds.length ? p.db.db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
    caseIds.length
      ? p.db.db.selectFrom('cases').select(['id', 'case_number']).where('id', 'in', caseIds).execute()
      : [],
  ]);
  const uName = new Map(users.map((u) => [u.id, u.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const caseNo = new Map(cases.map((c) => [c.id, c.case_number]));
  const now = p.clock.now();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_id ? (caseNo.get(r.case_id) ?? null) : null,
    reportId: r.report_id,
    fromUnit: { id: r.from_unit_id, name: unitName.get(r.from_unit_id) ?? '' },
    toUnit: { id: r.to_unit_id, name: unitName.get(r.to_unit_id) ?? '' },
    requestedBy: { id: r.requested_by, name: uName.get(r.requested_by) ?? '' },
    kind: r.kind,
    kindLabel: KIND_JA[r.kind] ?? r.kind,
    urgency: r.urgency,
    summary: r.summary,
    details: r.details,
    status: r.status,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by ? { id: r.decided_by, name: uName.get(r.decided_by) ?? '' } : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: uName.get(r.assignee_id) ?? '' } : null,
    reason: r.reason,
    escalatedAt: r.escalated_at,
    closedAt: r.closed_at,
    clock: supportClock(r, now),
  }));
}

/** Who may see a request: the asked unit's staff, the requester, and those who may read its case. */
function visible(s: Subject): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(case_support_requests.to_unit_id = ${s.unitId}
    or case_support_requests.requested_by = ${s.userId}
    or (case_support_requests.case_id is not null and ${caseVisibleTo(s, 'case_support_requests.case_id')}))`;
}

export interface ListQuery {
  box?: 'inbox' | 'outbox' | undefined;
  status?: string | undefined;
  cursor?: string | undefined;
  limit?: string | undefined;
}

/** Inbox: requests to my unit (newest first; keyset pages). Outbox: what I asked, or what concerns my cases. */
export async function listSupport(p: Platform, s: Subject, q: ListQuery) {
  const limit = pageLimit(q.limit);
  const after = decodeCursor<[string, string]>(q.cursor, 2);
  let query = p.db.db.selectFrom('case_support_requests').selectAll().where(visible(s));
  query =
    q.box === 'outbox'
      ? query.where((eb) =>
          eb.or([
            eb('requested_by', '=', s.userId),
            eb.and([eb('case_id', 'is not', null), caseVisibleTo(s, 'case_support_requests.case_id')]),
          ]),
        )
      : query.where('to_unit_id', '=', s.unitId);
  if (q.status === 'open') query = query.where('status', 'in', ['requested', 'accepted']);
  else if (q.status) query = query.where('status', '=', q.status);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('requested_at', '<', after[0]), eb.and([eb('requested_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  }
  const rows = await query
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await present(p, page),
    nextCursor: rows.length > limit && last ? encodeCursor([last.requested_at, last.id]) : null,
  };
}

export async function loadVisible(p: Platform, s: Subject, id: string): Promise<Row> {
  const r = await p.db.db
    .selectFrom('case_support_requests')
    .selectAll()
    .where('id', '=', id)
    .where(visible(s))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function getSupport(p: Platform, s: Subject, id: string) {
  return (await present(p, [await loadVisible(p, s, id)]))[0]!;
}

/** The requests concerning a case (for the case page's panel); members only. */
export async function supportForCase(p: Platform, s: Subject, caseId: string) {
  await caseForRead(p, s, caseId);
  const rows = await p.db.db
    .selectFrom('case_support_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('requested_at')
    .execute();
  return { items: await present(p, rows) };
}
