import type { AnyDb } from '../db/dialect.ts';
import { GENESIS_HASH, auditHash } from './canonical.ts';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad: { seq: number; reason: string } | null;
}

/**
 * Walks the chain from the latest checkpoint (or the genesis) in keyset pages, recomputing each hash.
 * Names the first record whose stored hash, link or sequence does not match.
 */
export async function verifyAuditChain(
  db: AnyDb,
  pageSize = 2000,
  onProgress?: (checked: number, total: number) => void,
): Promise<VerifyResult> {
  const cp = await db
    .selectFrom('audit_checkpoints')
    .select(['upto_seq', 'upto_hash'])
    .orderBy('upto_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let expectedSeq = (cp?.upto_seq ?? 0) + 1;
  let prevHash = cp?.upto_hash ?? GENESIS_HASH;
  let checked = 0;
  const total = onProgress
    ? Number(
        (
          await db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      )
    : 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return { ok: false, checked, firstBad: { seq: expectedSeq, reason: `record ${expectedSeq} is missing` } };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, checked, firstBad: { seq, reason: 'prev_hash does not match the previous record' } };
      }
      let recomputed: string;
      try {
        recomputed = auditHash(prevHash, row);
      } catch {
        return { ok: false, checked, firstBad: { seq, reason: 'details are not valid JSON' } };
      }
      if (recomputed !== row.hash) {
        return { ok: false, checked, firstBad: { seq, reason: 'content does not match its hash' } };
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    onProgress?.(checked, total);
    if (rows.length < pageSize) break;
  }
  return { ok: true, checked, firstBad: null };
}
