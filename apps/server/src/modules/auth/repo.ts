import type { AnyDb } from '../../platform/db/dialect.ts';
import type { UserTable } from '../../platform/db/types.ts';

export function findUserByLogin(db: AnyDb, login: string): Promise<UserTable | undefined> {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export function findUserById(db: AnyDb, id: string): Promise<UserTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Unit and position names and roles for the signed-in user's own view. */
export async function loadProfile(db: AnyDb, user: UserTable) {
  const [unit, position, roles] = await Promise.all([
    db.selectFrom('units').select(['id', 'name']).where('id', '=', user.unit_id).executeTakeFirst(),
    user.position_id
      ? db.selectFrom('positions').select(['id', 'name']).where('id', '=', user.position_id).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).orderBy('role').execute(),
  ]);
  return {
    id: user.id,
    login: user.login,
    name: user.name,
    nameKana: user.name_kana,
    unit: { id: user.unit_id, name: unit?.name ?? '' },
    position: position ? { id: position.id, name: position.name } : null,
    roles: roles.map((r) => r.role),
    clearance: user.clearance,
  };
}
