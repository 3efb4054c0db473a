import { randomBytes, randomUUID } from 'node:crypto';
import type { AnyDb } from '../db/dialect.ts';
import type { ApiTokenTable } from '../db/types.ts';
import { sha256 } from './sessions.ts';

/** Token format `rk_<8 prefix>_<43 secret>`; only its SHA-256 is stored, the prefix is shown in lists. */
export function newTokenSecret(): { token: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const token = `rk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: sha256(token) };
}

export async function insertToken(
  db: AnyDb,
  input: { userId: string; name: string; expiresAt: string | null; createdBy: string | null },
  now: Date,
): Promise<{ row: ApiTokenTable; token: string }> {
  const { token, prefix, hash } = newTokenSecret();
  const row: ApiTokenTable = {
    id: randomUUID(),
    user_id: input.userId,
    name: input.name,
    prefix,
    token_hash: hash,
    created_at: now.toISOString(),
    expires_at: input.expiresAt,
    revoked_at: null,
    last_used_at: null,
    created_by: input.createdBy,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { row, token };
}

/** The token row for a presented bearer token when it is live (not revoked, not expired). */
export async function findLiveToken(db: AnyDb, token: string, now: Date): Promise<ApiTokenTable | null> {
  if (!/^rk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (row.expires_at && new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return row;
}
