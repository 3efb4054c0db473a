import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Dialect } from '../db/dialect.ts';
import type { Database } from '../db/types.ts';
import { GENESIS_HASH, auditHash, canonicalJson } from './canonical.ts';

export type AuditResult = 'success' | 'denied' | 'failure';

export interface AuditActor {
  id: string;
  login: string;
  unitId: string | null;
}

/** One audit record: ids and metadata only, never record contents (統一基準 7.1.4 fields). */
export interface AuditEntry {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id: string | null } | undefined;
  result: AuditResult;
  clientIp?: string | null | undefined;
  details?: Record<string, string | number | boolean | null | string[]> | undefined;
}

/**
 * The log is several independent hash chains ("lanes"); each transaction appends to one lane chosen at random,
 * so concurrent writers rarely wait for each other while every record stays chained to its predecessor
 * (docs/adr/0002-two-databases-and-audit-chain.md; measured in docs/BENCHMARKS.md).
 */
export const AUDIT_LANES = 32;
/** Advisory-lock keys of the lanes on PostgreSQL: "RENK" + lane. */
const LANE_LOCK_BASE = 0x52454e00;

export interface Audit {
  /**
   * Appends a record inside the caller's transaction, so the record exists exactly when the change does.
   * Call it as the last statement of the transaction: on PostgreSQL it holds its lane's lock until commit.
   */
  record(trx: Transaction<Database>, entry: AuditEntry): Promise<number>;
}

async function laneHead(trx: Transaction<Database>, lane: number): Promise<{ laneSeq: number; hash: string }> {
  const last = await trx
    .selectFrom('audit_log')
    .select(['lane_seq', 'hash'])
    .where('lane', '=', lane)
    .orderBy('lane_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last) return { laneSeq: Number(last.lane_seq), hash: last.hash };
  const cp = await trx
    .selectFrom('audit_checkpoints')
    .select(['upto_lane_seq', 'upto_hash'])
    .where('lane', '=', lane)
    .orderBy('upto_lane_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return cp ? { laneSeq: Number(cp.upto_lane_seq), hash: cp.upto_hash } : { laneSeq: 0, hash: GENESIS_HASH };
}

export function createAudit(dialect: Dialect, clock: Clock): Audit {
  return {
    async record(trx, entry) {
      const lane = randomInt(AUDIT_LANES);
      await dialect.lockChain(trx, LANE_LOCK_BASE + lane);
      const head = await laneHead(trx, lane);
      const row = {
        lane,
        lane_seq: head.laneSeq + 1,
        at: clock.now().toISOString(),
        actor_id: entry.actor?.id ?? null,
        actor_login: entry.actor?.login ?? null,
        actor_unit_id: entry.actor?.unitId ?? null,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        result: entry.result,
        client_ip: entry.clientIp ?? null,
        details: canonicalJson(entry.details ?? {}),
      };
      const hash = auditHash(head.hash, row);
      const inserted = await trx
        .insertInto('audit_log')
        .values({ ...row, prev_hash: head.hash, hash })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return Number(inserted.seq);
    },
  };
}
