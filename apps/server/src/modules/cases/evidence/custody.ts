import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../platform/audit/canonical.ts';

/** 受領, 保管, 移送, 解析, 返還, 廃棄 — in this vocabulary order. */
export const CUSTODY_ACTIONS = ['received', 'stored', 'transferred', 'analysed', 'returned', 'disposed'] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

export const CUSTODY_LABELS: Record<CustodyAction, { ja: string; en: string }> = {
  received: { ja: '受領', en: 'Received' },
  stored: { ja: '保管', en: 'Stored' },
  transferred: { ja: '移送', en: 'Transferred' },
  analysed: { ja: '解析', en: 'Analysed' },
  returned: { ja: '返還', en: 'Returned' },
  disposed: { ja: '廃棄', en: 'Disposed' },
};

/** After these, the item has left police custody: no further event may be recorded. */
export const FINAL_ACTIONS: ReadonlySet<string> = new Set(['returned', 'disposed']);

export function isCustodyAction(v: string): v is CustodyAction {
  return (CUSTODY_ACTIONS as readonly string[]).includes(v);
}

/** The fields of a custody event that its hash covers (everything but the id and the hashes). */
export interface CustodyFields {
  evidence_id: string;
  seq: number;
  action: string;
  at: string;
  actor_id: string;
  actor_name: string;
  location: string;
  reason: string;
  counterpart: string | null;
  recorded_at: string;
}

/**
 * The chain of one item starts from its identity and content hash, so a chain cannot be moved to another item
 * and an item's recorded SHA-256 cannot be changed without breaking the first link.
 */
export function custodyGenesis(evidenceId: string, sha256: string): string {
  return createHash('sha256').update(`renkei-custody\n${evidenceId}\n${sha256}`).digest('hex');
}

export function custodyHash(prevHash: string, e: CustodyFields): string {
  const canonical = canonicalJson([
    e.evidence_id,
    e.seq,
    e.action,
    e.at,
    e.actor_id,
    e.actor_name,
    e.location,
    e.reason,
    e.counterpart,
    e.recorded_at,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  /** The first event whose link does not hold (1-based seq), or null. */
  firstBadSeq: number | null;
  reason: string | null;
}

/** Recomputes every link in order and compares the last hash with the head stored on the item. */
export function verifyCustodyChain(
  item: { id: string; sha256: string; custody_head: string; custody_seq: number },
  events: readonly (CustodyFields & { prev_hash: string; hash: string })[],
): ChainVerdict {
  let prev = custodyGenesis(item.id, item.sha256);
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const bad = (reason: string): ChainVerdict => ({ ok: false, events: sorted.length, firstBadSeq: e.seq, reason });
    if (e.seq !== i + 1) return bad('sequence gap');
    if (e.evidence_id !== item.id) return bad('event of another item');
    if (e.prev_hash !== prev) return bad('previous hash does not match');
    const h = custodyHash(prev, e);
    if (h !== e.hash) return bad('event hash does not match its contents');
    prev = h;
  }
  if (sorted.length !== item.custody_seq || prev !== item.custody_head) {
    return {
      ok: false,
      events: sorted.length,
      firstBadSeq: sorted.length + 1,
      reason: 'the chain does not end at the head recorded on the item (an event is missing)',
    };
  }
  return { ok: true, events: sorted.length, firstBadSeq: null, reason: null };
}
