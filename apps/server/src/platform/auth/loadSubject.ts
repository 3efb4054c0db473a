import type { AnyDb } from '../db/dialect.ts';
import { type Confidentiality, type Subject, isRole } from './subject.ts';

/** Builds the policy subject of an active account; null when the account is missing or disabled. */
export async function loadSubject(
  db: AnyDb,
  userId: string,
  via: Subject['via'],
  tokenId: string | null = null,
): Promise<Subject | null> {
  const user = await db
    .selectFrom('users')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select([
      'users.id',
      'users.login',
      'users.name',
      'users.unit_id',
      'users.clearance',
      'users.status',
      'positions.rank',
      'positions.is_head',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (user?.status !== 'active') return null;
  const [roles, groups] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute(),
    db.selectFrom('user_groups').select('group_id').where('user_id', '=', userId).execute(),
  ]);
  const unitPath: string[] = [];
  let current: string | null = user.unit_id;
  while (current && unitPath.length < 16 && !unitPath.includes(current)) {
    unitPath.push(current);
    const parent: { parent_id: string | null } | undefined = await db
      .selectFrom('units')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst();
    current = parent?.parent_id ?? null;
  }
  return {
    userId: user.id,
    login: user.login,
    name: user.name,
    unitId: user.unit_id,
    unitPath,
    positionRank: user.rank ?? null,
    isUnitHead: user.is_head === 1,
    roles: new Set(roles.map((r) => r.role).filter(isRole)),
    groups: new Set(groups.map((g) => g.group_id)),
    clearance: Math.min(3, Math.max(1, user.clearance)) as Confidentiality,
    via,
    tokenId,
  };
}
