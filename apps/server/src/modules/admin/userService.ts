import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { endSessionsOf } from '../../platform/auth/sessions.ts';
import { generatePassword, hashPassword } from '../../platform/auth/password.ts';
import { type Subject, isRole } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { getUser, listUsers } from './repo.ts';

const actor = (s: Subject) => ({ id: s.userId, login: s.login, unitId: s.unitId });

export interface UserInput {
  name?: string;
  nameKana?: string;
  unitId?: string;
  positionId?: string | null;
  roles?: string[];
  groupIds?: string[];
  clearance?: number;
}

async function checkReferences(p: Platform, input: UserInput): Promise<void> {
  const db = p.db.db;
  if (input.unitId && !(await db.selectFrom('units').select('id').where('id', '=', input.unitId).executeTakeFirst())) {
    throw new AppError('VALIDATION_FAILED', 'unitId: no such unit');
  }
  if (
    input.positionId &&
    !(await db.selectFrom('positions').select('id').where('id', '=', input.positionId).executeTakeFirst())
  ) {
    throw new AppError('VALIDATION_FAILED', 'positionId: no such position');
  }
  const badRole = input.roles?.find((r) => !isRole(r));
  if (badRole) throw new AppError('VALIDATION_FAILED', `roles: unknown role ${badRole}`);
  if (input.groupIds?.length) {
    const found = await db.selectFrom('groups').select('id').where('id', 'in', input.groupIds).execute();
    if (found.length !== input.groupIds.length) throw new AppError('VALIDATION_FAILED', 'groupIds: unknown group');
  }
}

async function replaceMemberships(trx: Transaction<Database>, userId: string, input: UserInput): Promise<void> {
  if (input.roles) {
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    await trx
      .insertInto('user_roles')
      .values(input.roles.map((role) => ({ user_id: userId, role })))
      .execute();
  }
  if (input.groupIds) {
    await trx.deleteFrom('user_groups').where('user_id', '=', userId).execute();
    if (input.groupIds.length) {
      await trx
        .insertInto('user_groups')
        .values(input.groupIds.map((group_id) => ({ user_id: userId, group_id })))
        .execute();
    }
  }
}

/** Nobody administers his own account: an admin cannot grant himself roles, groups or clearance. */
function assertManageable(p: Platform, s: Subject, id: string): void {
  if (id === s.userId) throw new AppError('SELF_ADMINISTRATION');
  p.policy.assert(s, 'users.manage', { type: 'user', id, subjectUserId: id });
}

export async function list(
  p: Platform,
  query: { q?: string; unitId?: string; status?: string; cursor?: string; limit?: string },
) {
  const limit = pageLimit(query.limit);
  const after = decodeCursor<[string, string]>(query.cursor, 2);
  const { items, more } = await listUsers(p.db.db, query, after, limit);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.nameKana, last.id]) : null };
}

export async function get(p: Platform, id: string) {
  const user = await getUser(p.db.db, id);
  if (!user) throw new AppError('NOT_FOUND');
  return user;
}

/**
 * Creates an account with a one-time password the person must change at first sign-in. Logins are unique
 * for ever: a disabled account keeps its login (統一基準 7.1.1: IDs are never reissued).
 */
export async function create(
  p: Platform,
  s: Subject | null,
  input: UserInput & {
    login: string;
    name: string;
    nameKana: string;
    unitId: string;
    roles: string[];
    clearance: number;
  },
  ip: string | null,
  options: { password?: string; mustChange?: boolean } = {},
) {
  await checkReferences(p, input);
  const password = options.password ?? generatePassword();
  const hash = await hashPassword(password);
  const now = p.clock.now().toISOString();
  const id = randomUUID();
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          login: input.login,
          name: input.name,
          name_kana: input.nameKana,
          email: null,
          unit_id: input.unitId,
          position_id: input.positionId ?? null,
          clearance: input.clearance,
          status: 'active',
          password_hash: hash,
          must_change_password: options.mustChange === false ? 0 : 1,
          totp_secret_enc: null,
          totp_pending_enc: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          last_login_at: null,
          created_at: now,
          updated_at: now,
          disabled_at: null,
          disabled_reason: null,
        })
        .execute();
      await replaceMemberships(trx, id, { roles: input.roles, groupIds: input.groupIds ?? [] });
      await p.audit.record(trx, {
        actor: s ? actor(s) : null,
        action: 'user.create',
        target: { type: 'user', id },
        result: 'success',
        clientIp: ip,
        details: { login: input.login, roles: input.roles, clearance: input.clearance },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('LOGIN_TAKEN');
    throw err;
  }
  return { user: await get(p, id), initialPassword: password };
}

/** Changes of roles, groups, clearance and unit are permission changes and are audited as such. */
export async function update(p: Platform, s: Subject, id: string, input: UserInput, ip: string) {
  assertManageable(p, s, id);
  const existing = await get(p, id);
  await checkReferences(p, input);
  const now = p.clock.now().toISOString();
  const permissionChange = input.roles !== undefined || input.groupIds !== undefined || input.clearance !== undefined;
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        name: input.name ?? existing.name,
        name_kana: input.nameKana ?? existing.nameKana,
        unit_id: input.unitId ?? existing.unitId,
        position_id: input.positionId !== undefined ? input.positionId : existing.positionId,
        clearance: input.clearance ?? existing.clearance,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await replaceMemberships(trx, id, input);
    await p.audit.record(trx, {
      actor: actor(s),
      action: permissionChange ? 'user.permissions.change' : 'user.update',
      target: { type: 'user', id },
      result: 'success',
      clientIp: ip,
      details: {
        fields: Object.keys(input),
        ...(input.roles ? { roles: input.roles } : {}),
        ...(input.clearance !== undefined ? { clearance: input.clearance } : {}),
        ...(input.groupIds ? { groupIds: input.groupIds } : {}),
      },
    });
  });
  return get(p, id);
}

export async function setStatus(
  p: Platform,
  s: Subject,
  id: string,
  disable: boolean,
  reason: string | null,
  ip: string,
) {
  assertManageable(p, s, id);
  await get(p, id);
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set(
        disable
          ? { status: 'disabled', disabled_at: now, disabled_reason: reason, updated_at: now }
          : {
              status: 'active',
              disabled_at: null,
              disabled_reason: null,
              failed_logins: 0,
              locked_until: null,
              updated_at: now,
            },
      )
      .where('id', '=', id)
      .execute();
    if (disable) {
      await endSessionsOf(trx, id);
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await p.audit.record(trx, {
      actor: actor(s),
      action: disable ? 'user.disable' : 'user.enable',
      target: { type: 'user', id },
      result: 'success',
      clientIp: ip,
    });
  });
  return get(p, id);
}

export async function resetPassword(p: Platform, s: Subject, id: string, ip: string) {
  assertManageable(p, s, id);
  await get(p, id);
  const password = generatePassword();
  const hash = await hashPassword(password);
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: 1,
        failed_logins: 0,
        locked_until: null,
        updated_at: p.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await endSessionsOf(trx, id);
    await p.audit.record(trx, {
      actor: actor(s),
      action: 'user.password.reset',
      target: { type: 'user', id },
      result: 'success',
      clientIp: ip,
    });
  });
  return { initialPassword: password };
}

export async function resetMfa(p: Platform, s: Subject, id: string, ip: string) {
  assertManageable(p, s, id);
  await get(p, id);
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        totp_secret_enc: null,
        totp_pending_enc: null,
        totp_enrolled_at: null,
        updated_at: p.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute();
    await endSessionsOf(trx, id);
    await p.audit.record(trx, {
      actor: actor(s),
      action: 'user.mfa.reset',
      target: { type: 'user', id },
      result: 'success',
      clientIp: ip,
    });
  });
  return get(p, id);
}
