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

/** Advisory-lock key of the audit chain on PostgreSQL. */
const AUDIT_CHAIN = 0x52454e4b; // "RENK"

export interface Audit {
  /**
   * Appends a record inside the caller's transaction, so the record exists exactly when the change does.
   * Call it as the last statement of the transaction: on PostgreSQL it holds the chain lock until commit.
   */
  record(trx: Transaction<Database>, entry: AuditEntry): Promise<number>;
}

export function createAudit(dialect: Dialect, clock: Clock): Audit {
  return {
    async record(trx, entry) {
      await dialect.lockChain(trx, AUDIT_CHAIN);
      const last = await trx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      let prevSeq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      if (!last) {
        const cp = await trx
          .selectFrom('audit_checkpoints')
          .select(['upto_seq', 'upto_hash'])
          .orderBy('upto_seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (cp) {
          prevSeq = cp.upto_seq;
          prevHash = cp.upto_hash;
        }
      }
      const row = {
        seq: Number(prevSeq) + 1,
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
      const hash = auditHash(prevHash, row);
      await trx
        .insertInto('audit_log')
        .values({ ...row, prev_hash: prevHash, hash })
        .execute();
      return row.seq;
    },
  };
}
