import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import { AppError } from '../../../platform/errors.ts';
import { type CaseAction, assertCaseAccess, caseAccess } from '../access.ts';

/**
 * The one door of the case-work modules (evidence, support, joint) into a case: every read or write of a case's
 * evidence, custody, warrants, analysis, joint work or victim profile goes through here first, and here goes
 * through the cases core's need-to-know rules (modules/cases/access.ts). A case the caller may not see is
 * NOT_FOUND, never FORBIDDEN, and the refusal is audited.
 */
export interface CaseHead {
  id: string;
  caseNumber: string;
  title: string;
  leadUnitId: string;
  confidentiality: number;
  tlp: string;
  role: string;
}

export async function caseForRead(p: Platform, s: Subject, caseId: string, db?: AnyDb, ip?: string | null) {
  return gate(p, s, caseId, 'read', db, ip);
}

export async function caseForWrite(p: Platform, s: Subject, caseId: string, db?: AnyDb, ip?: string | null) {
  return gate(p, s, caseId, 'write', db, ip);
}

export async function caseForManage(p: Platform, s: Subject, caseId: string, db?: AnyDb, ip?: string | null) {
  return gate(p, s, caseId, 'manage', db, ip);
}

/**
 * Outside a transaction the check is `assertCaseAccess` (refusals audited); inside one (`db` given) it is the
 * re-check `caseAccess`, since the denial audit needs its own transaction.
 */
async function gate(
  p: Platform,
  s: Subject,
  caseId: string,
  action: CaseAction,
  db?: AnyDb,
  ip: string | null = null,
): Promise<CaseHead> {
  const got = db ? await caseAccess(db, s, caseId, action) : await assertCaseAccess(p, s, caseId, action, ip);
  if (!got) throw new AppError('NOT_FOUND');
  const c = got.case;
  return {
    id: c.id,
    caseNumber: c.case_number,
    title: c.title,
    leadUnitId: c.lead_unit_id,
    confidentiality: c.confidentiality,
    tlp: c.tlp,
    role: got.role,
  };
}
