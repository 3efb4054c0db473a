import { type Expression, type SqlBool, sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { hasContentRole } from '../../platform/auth/policy.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import { cyberUnitId } from '../intake/access.ts';
import type { CaseTable, MemberRole } from './tables.ts';

/**
 * Need-to-know for cases (issue 7 §8). A case is seen by its members only: membership (lead, member, reader) and a
 * clearance that reaches the case's 格付. Nobody else learns it exists — not the lead unit's other staff, not the
 * admin (who has no content role) — except the cyber division head, who sees the registry line of every case
 * (number, type, stage, status, lead unit: no title, no contents; `canSeeRegistry`).
 *
 * - read:   any member
 * - write:  lead or member (timeline, tasks, persons, damages, observables, attachments, evidence …)
 * - manage: lead only (members, supporting units, stage, status, 格付, TLP)
 */
export type CaseAction = 'read' | 'write' | 'manage';

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });

/** Pure decision (the code twin of `caseVisibleTo` / `caseWritableBy`). `role` is the subject's membership or null. */
export function mayOnCase(
  s: Subject,
  c: Pick<CaseTable, 'confidentiality'>,
  role: MemberRole | null,
  action: CaseAction,
): boolean {
  if (!hasContentRole(s) || role === null) return false;
  if (c.confidentiality > s.clearance) return false;
  if (action === 'read') return true;
  if (action === 'write') return role === 'lead' || role === 'member';
  return role === 'lead';
}

function memberOf(s: Subject, caseIdRef: string, roles: readonly MemberRole[] | null): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  const roleCond = roles ? sql<SqlBool>` and cvm.role in (${sql.join([...roles])})` : sql<SqlBool>``;
  return sql<SqlBool>`exists (select 1 from case_members cvm join cases cvc on cvc.id = cvm.case_id
    where cvm.case_id = ${sql.ref(caseIdRef)} and cvm.user_id = ${s.userId}
    and cvc.confidentiality <= ${s.clearance}${roleCond})`;
}

/**
 * SQL filter: "the subject may read the case whose id is in column `caseIdRef`". Works from any table that holds a
 * case id: `.where(caseVisibleTo(s, 'case_evidence.case_id'))`.
 */
export function caseVisibleTo(s: Subject, caseIdRef = 'cases.id'): Expression<SqlBool> {
  return memberOf(s, caseIdRef, null);
}

/**
 * The same rule as `caseVisibleTo`, shaped for lists over `cases` itself: the subject's memberships drive the query
 * (index case_members(user_id, case_id)), so a member of a few cases never scans the whole table.
 */
export function memberCasesOf(s: Subject, alias = 'cases'): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.ref(`${alias}.id`)} in (select lm.case_id from case_members lm where lm.user_id = ${s.userId})
    and ${sql.ref(`${alias}.confidentiality`)} <= ${s.clearance})`;
}

/** SQL filter: "the subject may write to the case in `caseIdRef`" (lead or member). */
export function caseWritableBy(s: Subject, caseIdRef = 'cases.id'): Expression<SqlBool> {
  return memberOf(s, caseIdRef, ['lead', 'member']);
}

export interface CaseAccess {
  case: CaseTable;
  role: MemberRole;
}

/** Loads the case and the subject's membership, or null when the case does not exist or he may not `action` it. */
export async function caseAccess(
  db: AnyDb,
  s: Subject,
  caseId: string,
  action: CaseAction,
): Promise<CaseAccess | null> {
  const c = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!c) return null;
  const m = await db
    .selectFrom('case_members')
    .select('role')
    .where('case_id', '=', caseId)
    .where('user_id', '=', s.userId)
    .executeTakeFirst();
  const role = (m?.role ?? null) as MemberRole | null;
  if (!mayOnCase(s, c, role, action)) return null;
  return { case: c, role: role as MemberRole };
}

/**
 * Asserts access and returns the case and the subject's role. Refusals are audited (`case.access.denied`, in their
 * own transaction) and answered NOT_FOUND for non-members (nothing reveals that the case exists) and FORBIDDEN for a
 * member whose role does not allow the action. Call it BEFORE opening your transaction (on SQLite a second
 * transaction cannot start inside the first); inside a transaction use `caseAccess` again if you need a re-check.
 */
export async function assertCaseAccess(
  p: Platform,
  s: Subject,
  caseId: string,
  action: CaseAction,
  clientIp: string | null = null,
): Promise<CaseAccess> {
  const ok = await caseAccess(p.db.db, s, caseId, action);
  if (ok) return ok;
  const readable = action === 'read' ? null : await caseAccess(p.db.db, s, caseId, 'read');
  await auditCaseDenial(p, s, caseId, action, clientIp);
  throw new AppError(readable ? 'FORBIDDEN' : 'NOT_FOUND');
}

/** Writes a refused case access to the audit log in its own transaction (only ids). */
export async function auditCaseDenial(
  p: Platform,
  s: Subject,
  caseId: string,
  action: string,
  clientIp: string | null = null,
): Promise<void> {
  try {
    await p.db.db.transaction().execute((trx) =>
      p.audit.record(trx, {
        actor: actorOf(s),
        action: 'case.access.denied',
        target: { type: 'case', id: caseId },
        result: 'denied',
        clientIp,
        details: { action },
      }),
    );
  } catch (err) {
    p.log.error({ err }, 'could not audit a refused case access');
  }
}

/**
 * The cyber division head (head of the unit `cyber-ka`, holding a content role) sees that every case exists: the
 * registry line (number, type, classification, stage, status, lead unit, dates), never title, persons or contents.
 */
export async function canSeeRegistry(p: Platform, s: Subject): Promise<boolean> {
  if (!s.isUnitHead || !hasContentRole(s)) return false;
  return s.unitId === (await cyberUnitId(p));
}
