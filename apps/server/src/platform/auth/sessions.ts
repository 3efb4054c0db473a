import { createHash, randomBytes } from 'node:crypto';
import type { AnyDb } from '../db/dialect.ts';
import type { SessionTable } from '../db/types.ts';

export type LoginStage = 'password_change' | 'mfa_enrol' | 'mfa_verify' | 'ok';

/** Absolute lifetime of a session and the idle time after which it ends. */
export const SESSION_MAX_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;

export function sha256(v: string): string {
  return createHash('sha256').update(v).digest('hex');
}

export function stageFor(
  user: { must_change_password: number; totp_enrolled_at: string | null },
  mfaDone = false,
): LoginStage {
  if (user.must_change_password) return 'password_change';
  if (!user.totp_enrolled_at) return 'mfa_enrol';
  return mfaDone ? 'ok' : 'mfa_verify';
}

/** Creates a session; the cookie holds the random id, the database only its hash. */
export async function createSession(
  db: AnyDb,
  userId: string,
  stage: LoginStage,
  now: Date,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(cookie),
      user_id: userId,
      csrf_token: csrfToken,
      stage,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
      client_ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { cookie, csrfToken };
}

/** The live session behind a cookie, or null (expired and idle sessions are removed on sight). */
export async function findSession(db: AnyDb, cookie: string, now: Date): Promise<SessionTable | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(cookie)) return null;
  const idHash = sha256(cookie);
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return null;
  const idleEnd = new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS;
  if (new Date(row.expires_at).getTime() <= now.getTime() || idleEnd <= now.getTime()) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  // Touch at most once a minute: a write per request would serialise every read on SQLite.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  }
  return row;
}

export async function setSessionStage(db: AnyDb, idHash: string, stage: LoginStage): Promise<void> {
  await db.updateTable('sessions').set({ stage }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: AnyDb, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function endSessionsOf(db: AnyDb, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
