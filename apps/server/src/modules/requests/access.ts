import { type Expression, type SqlBool, sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { hasContentRole } from '../../platform/auth/policy.ts';
import { type Subject, hasRole } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import { caseVisibleTo } from '../cases/access.ts';
import { reportVisible } from '../intake/access.ts';
import type { RequestTable } from './tables.ts';

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });

/** Who drafts and follows requests: analysts, investigators and station officers (never admin or auditor alone). */
export function isRequestStaff(s: Subject): boolean {
  return (
    hasContentRole(s) && (hasRole(s, 'cyber_analyst') || hasRole(s, 'investigator') || hasRole(s, 'station_officer'))
  );
}

/**
 * Need-to-know for requests, in SQL: the drafting unit (owner) sees its requests, within its clearance, and only
 * while it may also see the linked case (membership) and the linked report. Another unit's staff learn nothing.
 */
export function requestVisible(s: Subject, alias = 'requests'): Expression<SqlBool> {
  if (!isRequestStaff(s)) return sql<SqlBool>`1 = 0`;
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return sql<SqlBool>`(${col('owner_unit_id')} = ${s.unitId} and ${col('confidentiality')} <= ${s.clearance}
    and (${col('case_id')} is null or ${caseVisibleTo(s, `${alias}.case_id`)})
    and (${col('report_id')} is null or exists (select 1 from intake_reports rqr where rqr.id = ${col('report_id')}
      and ${reportVisible(s, null, 'rqr')})))`;
}

/** Loads a request the subject may see, or NOT_FOUND (nothing reveals that it exists). */
export async function visibleRequest(db: AnyDb, s: Subject, id: string): Promise<RequestTable> {
  const row = await db
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', id)
    .where(requestVisible(s))
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** Refused access written to the audit log (own transaction, only ids). */
export async function auditDenial(p: Platform, s: Subject, id: string, action: string, ip: string | null) {
  try {
    await p.db.db.transaction().execute((trx) =>
      p.audit.record(trx, {
        actor: actorOf(s),
        action: 'request.access.denied',
        target: { type: 'request', id },
        result: 'denied',
        clientIp: ip,
        details: { action },
      }),
    );
  } catch (err) {
    p.log.error({ err }, 'could not audit a refused request access');
  }
}
