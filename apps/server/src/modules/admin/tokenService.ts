import { loadSubject } from '../../platform/auth/loadSubject.ts';
import { hasContentRole } from '../../platform/auth/policy.ts';
import { insertToken } from '../../platform/auth/tokens.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { presentToken } from './presenter.ts';

const actor = (s: Subject) => ({ id: s.userId, login: s.login, unitId: s.unitId });

function tokenSelect(p: Platform) {
  return p.db.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select('users.login as user_login');
}

export async function list(p: Platform, userId: string | undefined) {
  let q = tokenSelect(p);
  if (userId) q = q.where('api_tokens.user_id', '=', userId);
  const rows = await q.orderBy('api_tokens.created_at', 'desc').limit(500).execute();
  return rows.map(presentToken);
}

/** Creates a machine token for an account (or, from the CLI, with no acting person). The secret is returned once. */
export async function create(
  p: Platform,
  s: Subject | null,
  input: { userId: string; name: string; expiresInDays: number | null },
  ip: string | null,
) {
  const user = await p.db.db
    .selectFrom('users')
    .select(['id', 'login', 'status'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user) throw new AppError('VALIDATION_FAILED', 'userId: no such user');
  if (user.status !== 'active') throw new AppError('VALIDATION_FAILED', 'userId: the account is disabled');
  if (s && user.id !== s.userId) {
    // An administrator must not be able to act as an investigator through a token he minted.
    const subject = await loadSubject(p.db.db, user.id, 'token');
    if (subject && hasContentRole(subject)) {
      throw new AppError(
        'FORBIDDEN',
        'tokens for accounts that read contents are created by their holder or an operator',
      );
    }
  }
  const now = p.clock.now();
  const expiresAt = input.expiresInDays
    ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
    : null;
  const out = await p.db.db.transaction().execute(async (trx) => {
    const created = await insertToken(
      trx,
      { userId: user.id, name: input.name, expiresAt, createdBy: s?.userId ?? null },
      now,
    );
    await p.audit.record(trx, {
      actor: s ? actor(s) : null,
      action: 'token.create',
      target: { type: 'api_token', id: created.row.id },
      result: 'success',
      clientIp: ip,
      details: { userId: user.id, expiresAt },
    });
    return created;
  });
  return { token: out.token, ...presentToken({ ...out.row, user_login: user.login }) };
}

export async function revoke(p: Platform, s: Subject, id: string, ip: string) {
  const row = await tokenSelect(p).where('api_tokens.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: row.revoked_at ?? now })
      .where('id', '=', id)
      .execute();
    await p.audit.record(trx, {
      actor: actor(s),
      action: 'token.revoke',
      target: { type: 'api_token', id },
      result: 'success',
      clientIp: ip,
    });
  });
  return presentToken({ ...row, revoked_at: row.revoked_at ?? now });
}
