import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { likeContains } from '../../platform/db/cursor.ts';
import { type UserRow, presentUser } from './presenter.ts';

function userSelect(db: AnyDb) {
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select([
      'users.id',
      'users.login',
      'users.name',
      'users.name_kana',
      'users.unit_id',
      'units.name as unit_name',
      'users.position_id',
      'positions.name as position_name',
      'users.clearance',
      'users.status',
      'users.totp_enrolled_at',
      'users.last_login_at',
      'users.created_at',
      'users.disabled_at',
    ]);
}

async function withMemberships(db: AnyDb, rows: UserRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [roles, groups] = await Promise.all([
    db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', ids).orderBy('role').execute(),
    db.selectFrom('user_groups').select(['user_id', 'group_id']).where('user_id', 'in', ids).execute(),
  ]);
  return rows.map((r) =>
    presentUser(
      r,
      roles.filter((x) => x.user_id === r.id).map((x) => x.role),
      groups.filter((x) => x.user_id === r.id).map((x) => x.group_id),
    ),
  );
}

export async function getUser(db: AnyDb, id: string) {
  const row = await userSelect(db).where('users.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return (await withMemberships(db, [row]))[0];
}

/** Users sorted by フリガナ then id, one keyset page at a time. */
export async function listUsers(
  db: AnyDb,
  filter: { q?: string | undefined; unitId?: string | undefined; status?: string | undefined },
  after: [string, string] | null,
  limit: number,
) {
  let q = userSelect(db);
  if (filter.unitId) q = q.where('users.unit_id', '=', filter.unitId);
  if (filter.status) q = q.where('users.status', '=', filter.status);
  if (filter.q) {
    const pattern = likeContains(filter.q);
    // ESCAPE makes the backslash-escaped wildcards of likeContains literal on both engines.
    q = q.where(
      sql<boolean>`(users.login like ${pattern} escape '\\' or users.name like ${pattern} escape '\\' or users.name_kana like ${pattern} escape '\\')`,
    );
  }
  if (after) {
    const [kana, id] = after;
    q = q.where((eb) =>
      eb.or([eb('users.name_kana', '>', kana), eb.and([eb('users.name_kana', '=', kana), eb('users.id', '>', id)])]),
    );
  }
  const rows = await q
    .orderBy('users.name_kana')
    .orderBy('users.id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { items: await withMemberships(db, page), more: rows.length > limit };
}
