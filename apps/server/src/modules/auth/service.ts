import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { lockUntilAfter, lockedFor } from '../../platform/auth/lockout.ts';
import { checkPasswordStrength, dummyHash, hashPassword, verifyPassword } from '../../platform/auth/password.ts';
import { type LoginStage, createSession, endSession, endSessionsOf, stageFor } from '../../platform/auth/sessions.ts';
import {
  totpStep,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  qrDataUrl,
} from '../../platform/auth/totp.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database, SessionTable, UserTable } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { findUserById, findUserByLogin } from './repo.ts';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

const actorOf = (u: UserTable): AuditActor => ({ id: u.id, login: u.login, unitId: u.unit_id });
const TOTP_CONTEXT = (userId: string) => `totp:${userId}`;

async function recordFailure(p: Platform, user: UserTable, action: string, meta: RequestMeta, reason: string) {
  const now = p.clock.now();
  await p.db.db.transaction().execute(async (trx) => {
    const failures = user.failed_logins + 1;
    await trx
      .updateTable('users')
      .set({ failed_logins: failures, locked_until: lockUntilAfter(failures, now) })
      .where('id', '=', user.id)
      .execute();
    await p.audit.record(trx, {
      actor: actorOf(user),
      action,
      target: { type: 'user', id: user.id },
      result: 'failure',
      clientIp: meta.ip,
      details: { reason, failures },
    });
  });
}

function assertNotLocked(p: Platform, user: UserTable): void {
  const seconds = lockedFor(user.locked_until, p.clock.now());
  if (seconds > 0) throw new AppError('ACCOUNT_LOCKED', undefined, { retryAfterSeconds: seconds });
}

export async function login(p: Platform, input: { login: string; password: string }, meta: RequestMeta) {
  const user = await findUserByLogin(p.db.db, input.login);
  if (user?.status !== 'active') {
    await verifyPassword(await dummyHash(), input.password);
    await p.db.db.transaction().execute((trx) =>
      p.audit.record(trx, {
        actor: user ? actorOf(user) : null,
        action: 'auth.login',
        target: { type: 'user', id: user?.id ?? null },
        result: 'failure',
        clientIp: meta.ip,
        details: { reason: user ? 'disabled' : 'unknown_login', login: input.login.slice(0, 64) },
      }),
    );
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (lockedFor(user.locked_until, p.clock.now()) > 0) {
    await p.db.db.transaction().execute((trx) =>
      p.audit.record(trx, {
        actor: actorOf(user),
        action: 'auth.login',
        target: { type: 'user', id: user.id },
        result: 'denied',
        clientIp: meta.ip,
        details: { reason: 'locked' },
      }),
    );
    assertNotLocked(p, user);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await recordFailure(p, user, 'auth.login', meta, 'bad_password');
    throw new AppError('INVALID_CREDENTIALS');
  }
  const stage = stageFor(user);
  const session = await p.db.db.transaction().execute(async (trx) => {
    const s = await createSession(trx, user.id, stage, p.clock.now(), meta);
    await p.audit.record(trx, {
      actor: actorOf(user),
      action: 'auth.login',
      target: { type: 'user', id: user.id },
      result: 'success',
      clientIp: meta.ip,
      details: { stage },
    });
    return s;
  });
  return { stage, ...session, user };
}

export async function changePassword(
  p: Platform,
  session: SessionTable,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<{ stage: LoginStage; cookie: string; csrfToken: string }> {
  const user = await requireUser(p, session.user_id);
  assertNotLocked(p, user);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordFailure(p, user, 'auth.password.change', meta, 'bad_password');
    throw new AppError('INVALID_CREDENTIALS');
  }
  checkPasswordStrength(input.newPassword, user.login, input.currentPassword);
  const hash = await hashPassword(input.newPassword);
  const now = p.clock.now();
  const nextStage = stageFor({ ...user, must_change_password: 0 }, session.stage === 'ok');
  return p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 0, updated_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    // Every other session of this account ends; this one is replaced by a fresh id.
    await endSessionsOf(trx, user.id);
    const fresh = await createSession(trx, user.id, nextStage, now, meta);
    await p.audit.record(trx, {
      actor: actorOf(user),
      action: 'auth.password.change',
      target: { type: 'user', id: user.id },
      result: 'success',
      clientIp: meta.ip,
    });
    return { stage: nextStage, ...fresh };
  });
}

async function requireUser(p: Platform, id: string): Promise<UserTable> {
  const user = await findUserById(p.db.db, id);
  if (user?.status !== 'active') throw new AppError('UNAUTHENTICATED');
  return user;
}

export async function startEnrolment(p: Platform, session: SessionTable) {
  if (session.stage !== 'mfa_enrol') throw new AppError('FORBIDDEN');
  const user = await requireUser(p, session.user_id);
  // Another session may have enrolled meanwhile; a password alone must never replace a second factor.
  if (user.totp_enrolled_at) throw new AppError('FORBIDDEN');
  const secret = newTotpSecret();
  await p.db.db
    .updateTable('users')
    .set({ totp_pending_enc: p.secrets.seal(secret, TOTP_CONTEXT(user.id)) })
    .where('id', '=', user.id)
    .execute();
  const url = otpauthUrl(secret, user.login);
  return { secret, otpauthUrl: url, qrDataUrl: await qrDataUrl(url) };
}

async function completeSignIn(
  p: Platform,
  trx: Transaction<Database>,
  user: UserTable,
  session: SessionTable,
  meta: RequestMeta,
) {
  const now = p.clock.now();
  await trx
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
    .where('id', '=', user.id)
    .execute();
  // A new session id once fully signed in (no fixation of a half-authenticated id).
  await endSession(trx, session.id_hash);
  return createSession(trx, user.id, 'ok', now, meta);
}

export async function finishEnrolment(p: Platform, session: SessionTable, code: string, meta: RequestMeta) {
  if (session.stage !== 'mfa_enrol') throw new AppError('FORBIDDEN');
  const user = await requireUser(p, session.user_id);
  if (user.totp_enrolled_at) throw new AppError('FORBIDDEN');
  assertNotLocked(p, user);
  if (!user.totp_pending_enc) throw new AppError('TOTP_NOT_STARTED');
  const secret = p.secrets.open(user.totp_pending_enc, TOTP_CONTEXT(user.id));
  const step = totpStep(secret, code, p.clock.now());
  if (step === null) {
    await recordFailure(p, user, 'auth.mfa.enrol', meta, 'bad_code');
    throw new AppError('TOTP_INVALID');
  }
  const codes = newRecoveryCodes();
  const now = p.clock.now().toISOString();
  const fresh = await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        totp_secret_enc: user.totp_pending_enc,
        totp_pending_enc: null,
        totp_enrolled_at: now,
        totp_last_step: step,
        updated_at: now,
      })
      .where('id', '=', user.id)
      .execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
    await trx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ id: randomUUID(), user_id: user.id, code_hash: hashRecoveryCode(c), used_at: null })))
      .execute();
    const s = await completeSignIn(p, trx, user, session, meta);
    await p.audit.record(trx, {
      actor: actorOf(user),
      action: 'auth.mfa.enrol',
      target: { type: 'user', id: user.id },
      result: 'success',
      clientIp: meta.ip,
    });
    return s;
  });
  return { stage: 'ok' as const, recoveryCodes: codes, ...fresh };
}

export async function verifySecondFactor(
  p: Platform,
  session: SessionTable,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
  meta: RequestMeta,
) {
  if (session.stage !== 'mfa_verify') throw new AppError('FORBIDDEN');
  const user = await requireUser(p, session.user_id);
  assertNotLocked(p, user);
  let recoveryId: string | null = null;
  let ok = false;
  let step: number | null = null;
  if (input.code && user.totp_secret_enc) {
    step = totpStep(p.secrets.open(user.totp_secret_enc, TOTP_CONTEXT(user.id)), input.code, p.clock.now());
    // A code already used (or an older one) is refused: an observed code cannot be replayed.
    ok = step !== null && (user.totp_last_step === null || step > Number(user.totp_last_step));
  } else if (input.recoveryCode) {
    const row = await p.db.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('user_id', '=', user.id)
      .where('code_hash', '=', hashRecoveryCode(input.recoveryCode))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    recoveryId = row?.id ?? null;
    ok = recoveryId !== null;
  }
  if (!ok) {
    await recordFailure(p, user, 'auth.mfa.verify', meta, input.recoveryCode ? 'bad_recovery_code' : 'bad_code');
    throw new AppError('TOTP_INVALID');
  }
  const fresh = await p.db.db.transaction().execute(async (trx) => {
    if (recoveryId) {
      await trx
        .updateTable('recovery_codes')
        .set({ used_at: p.clock.now().toISOString() })
        .where('id', '=', recoveryId)
        .execute();
    }
    if (step !== null) await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    const s = await completeSignIn(p, trx, user, session, meta);
    await p.audit.record(trx, {
      actor: actorOf(user),
      action: 'auth.mfa.verify',
      target: { type: 'user', id: user.id },
      result: 'success',
      clientIp: meta.ip,
      details: { method: recoveryId ? 'recovery_code' : 'totp' },
    });
    return s;
  });
  return { stage: 'ok' as const, ...fresh };
}

export async function logout(p: Platform, session: SessionTable, meta: RequestMeta): Promise<void> {
  const user = await findUserById(p.db.db, session.user_id);
  await p.db.db.transaction().execute(async (trx) => {
    await endSession(trx, session.id_hash);
    if (user) {
      await p.audit.record(trx, {
        actor: actorOf(user),
        action: 'auth.logout',
        target: { type: 'user', id: user.id },
        result: 'success',
        clientIp: meta.ip,
      });
    }
  });
}
