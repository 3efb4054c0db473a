import { type Expression, type Selectable, type SqlBool, sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { hasContentRole } from '../../platform/auth/policy.ts';
import { visibleTo } from '../../platform/auth/recordFilter.ts';
import { type Subject, hasRole } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { Contact } from './receive.ts';
import type { IntakeReportTable } from './tables.ts';

type ReportRow = Selectable<IntakeReportTable>;

/** The unit that handles specialist matters and sees every report (unit code of the seed organisation). */
export const CYBER_UNIT_CODE = 'cyber-ka';

const cyberUnits = new WeakMap<Platform, string>();

export async function cyberUnitId(p: Platform, db: AnyDb = p.db.db): Promise<string> {
  const had = cyberUnits.get(p);
  if (had) return had;
  const row = await db.selectFrom('units').select('id').where('code', '=', CYBER_UNIT_CODE).executeTakeFirst();
  if (!row) throw new Error(`unit ${CYBER_UNIT_CODE} is missing`);
  cyberUnits.set(p, row.id);
  return row.id;
}

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });

/** Who works with reports at all: the roles that take consultations or analyse them. */
export function isIntakeStaff(s: Subject): boolean {
  return hasRole(s, 'station_officer') || hasRole(s, 'cyber_analyst') || hasRole(s, 'investigator');
}

export interface ReportAccessAttrs {
  id: string;
  owner_unit_id: string;
  confidentiality: number;
  tlp: string;
  members_only: number;
  memberIds?: readonly string[];
}

/**
 * Need-to-know for reports: the handling unit (canReadRecord: owner unit, members) and the cyber division, which
 * sees every report not restricted to members. Reporter and victim data are 要配慮個人情報: the same rule, reads
 * audited. Anyone else learns nothing, not even that the report exists.
 */
export function canReadReport(s: Subject, r: ReportAccessAttrs, cyberUnit: string): boolean {
  if (!isIntakeStaff(s) || !hasContentRole(s)) return false;
  if (r.confidentiality > s.clearance) return false;
  if (r.memberIds?.includes(s.userId)) return true;
  if (r.tlp === 'red' || r.members_only === 1) return false;
  return r.owner_unit_id === s.unitId || s.unitId === cyberUnit;
}

/**
 * The SQL form of `canReadReport` over `intake_reports` (list queries filter in the database). `cyberUnit` null:
 * the cyber division is looked up inside the expression (for the observables module's place-type registry).
 */
export function reportVisible(s: Subject, cyberUnit: string | null, alias = 'intake_reports'): Expression<SqlBool> {
  if (!isIntakeStaff(s)) return sql<SqlBool>`1 = 0`;
  const base = visibleTo(
    s,
    {
      id: `${alias}.id`,
      ownerUnit: `${alias}.owner_unit_id`,
      confidentiality: `${alias}.confidentiality`,
      tlp: `${alias}.tlp`,
      membersOnly: `${alias}.members_only`,
    },
    { members: { table: 'intake_report_members', record: 'report_id', user: 'user_id' } },
  );
  if (cyberUnit !== null && s.unitId !== cyberUnit) return base;
  const isCyber =
    cyberUnit === null
      ? sql<SqlBool>`${s.unitId} in (select u.id from units u where u.code = ${CYBER_UNIT_CODE})`
      : sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${base} or (${isCyber} and ${sql.ref(`${alias}.confidentiality`)} <= ${s.clearance}
    and ${sql.ref(`${alias}.tlp`)} <> 'red' and ${sql.ref(`${alias}.members_only`)} = 0))`;
}

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

export function openReporter(p: Platform, r: ReportRow): { contact?: Contact; victim?: Contact } | null {
  if (!r.reporter_sealed) return null;
  return JSON.parse(p.secrets.open(r.reporter_sealed, `intake_report:${r.id}`)) as {
    contact?: Contact;
    victim?: Contact;
  };
}
