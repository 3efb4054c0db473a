import type { AnyDb } from '../db/dialect.ts';
import { AUDIT_LANES } from './audit.ts';
import { GENESIS_HASH, auditHash } from './canonical.ts';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad: { seq: number; reason: string } | null;
}

/**
 * Walks every lane's chain from its latest checkpoint (or the genesis) in keyset pages, recomputing each hash.
 * Names the broken record with the lowest global sequence number across lanes.
 */
export async function verifyAuditChain(
  db: AnyDb,
  pageSize = 2000,
  onProgress?: (checked: number, total: number) => void,
): Promise<VerifyResult> {
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
  let checked = 0;
  let firstBad: VerifyResult['firstBad'] = null;
  const lanes = await db.selectFrom('audit_log').select('lane').distinct().execute();
  const laneIds = new Set([...Array.from({ length: AUDIT_LANES }, (_, i) => i), ...lanes.map((l) => Number(l.lane))]);
  for (const lane of [...laneIds].sort((a, b) => a - b)) {
    const bad = await verifyLane(db, lane, pageSize, (n) => {
      checked += n;
      onProgress?.(checked, total);
    });
    if (bad && (!firstBad || bad.seq < firstBad.seq)) firstBad = bad;
  }
  return { ok: firstBad === null, checked, firstBad };
}

async function verifyLane(
  db: AnyDb,
  lane: number,
  pageSize: number,
  count: (n: number) => void,
): Promise<{ seq: number; reason: string } | null> {
  const cp = await db
    .selectFrom('audit_checkpoints')
    .select(['upto_lane_seq', 'upto_hash'])
    .where('lane', '=', lane)
    .orderBy('upto_lane_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let expected = Number(cp?.upto_lane_seq ?? 0) + 1;
  let prevHash = cp?.upto_hash ?? GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('lane', '=', lane)
      .where('lane_seq', '>=', expected)
      .orderBy('lane_seq')
      .limit(pageSize)
      .execute();
    let n = 0;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (Number(row.lane_seq) !== expected) {
        return { seq, reason: `record ${expected} of lane ${lane} is missing before this one` };
      }
      if (row.prev_hash !== prevHash) return { seq, reason: 'prev_hash does not match the previous record' };
      let recomputed: string;
      try {
        recomputed = auditHash(prevHash, row);
      } catch {
        return { seq, reason: 'details are not valid JSON' };
      }
      if (recomputed !== row.hash) return { seq, reason: 'content does not match its hash' };
      prevHash = row.hash;
      expected++;
      n++;
    }
    count(n);
    if (rows.length < pageSize) return null;
  }
}
