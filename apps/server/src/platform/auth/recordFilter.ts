import { type Expression, type SqlBool, sql } from 'kysely';
import { hasContentRole } from './policy.ts';
import type { Subject } from './subject.ts';

/** Where a content table keeps the attributes `canReadRecord` decides on. */
export interface VisibilityColumns {
  /** e.g. `cases.id` */
  id: string;
  ownerUnit: string;
  /** 機密性 1..3 */
  confidentiality: string;
  /** TLP label as stored ('clear' … 'red') */
  tlp: string;
  /** 0/1: the 'members_only' 取扱制限 */
  membersOnly: string;
}

export interface VisibilityJoins {
  members: { table: string; record: string; user: string };
  groups?: { table: string; record: string; group: string };
}

/**
 * The SQL form of `canReadRecord`, so list queries filter in the database by the same rule and never fetch
 * then filter. A property test proves both forms agree on random records (recordFilter.test.ts).
 */
export function visibleTo(s: Subject, c: VisibilityColumns, j: VisibilityJoins): Expression<SqlBool> {
  if (!hasContentRole(s)) return sql<SqlBool>`1 = 0`;
  const member = sql<SqlBool>`exists (select 1 from ${sql.table(j.members.table)} m
    where m.${sql.ref(j.members.record)} = ${sql.ref(c.id)} and m.${sql.ref(j.members.user)} = ${s.userId})`;
  const groups = [...s.groups];
  const inGroup =
    j.groups && groups.length > 0
      ? sql<SqlBool>`exists (select 1 from ${sql.table(j.groups.table)} g
          where g.${sql.ref(j.groups.record)} = ${sql.ref(c.id)} and g.${sql.ref(j.groups.group)} in (${sql.join(groups)}))`
      : sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.ref(c.confidentiality)} <= ${s.clearance} and (${member} or (
    ${sql.ref(c.tlp)} <> 'red' and ${sql.ref(c.membersOnly)} = 0
    and (${sql.ref(c.ownerUnit)} = ${s.unitId} or ${inGroup}))))`;
}
