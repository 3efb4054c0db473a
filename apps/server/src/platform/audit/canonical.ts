import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../db/types.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

type Hashed = Omit<AuditLogTable, 'hash' | 'prev_hash' | 'seq'>;

/** SHA-256 over the previous hash and the canonical form of every field of the record. */
export function auditHash(prevHash: string, row: Hashed): string {
  const canonical = canonicalJson([
    row.lane,
    row.lane_seq,
    row.at,
    row.actor_id,
    row.actor_login,
    row.actor_unit_id,
    row.action,
    row.target_type,
    row.target_id,
    row.result,
    row.client_ip,
    JSON.parse(row.details) as unknown,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
