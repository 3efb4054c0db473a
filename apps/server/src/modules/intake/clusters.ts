import { randomUUID } from 'node:crypto';
import { CLUSTER_DEFAULTS, createMinHasher, estimatedJaccard } from '@renkei/core/intake/index';
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.ts';

/**
 * Similar-text clusters (類似文面クラスタ): the MinHash signatures of @renkei/core/intake (folded character
 * shingles: full/half width, inserted spaces and URLs do not matter), banded for LSH with its defaults. Signatures
 * and band keys are stored, so a new report finds its candidates by an index look-up in the database; a candidate
 * whose estimated Jaccard reaches the core threshold gives the report its cluster (the most similar one).
 */
const hasher = createMinHasher();
const BANDS = CLUSTER_DEFAULTS.bands;
const ROWS = hasher.numHashes / BANDS;
export const CLUSTER_THRESHOLD = CLUSTER_DEFAULTS.threshold;

export function signatureOf(text: string): number[] | null {
  const sig = hasher.signature(text.slice(0, 20_000));
  return sig.length === 0 ? null : Array.from(sig);
}

export function estimate(a: readonly number[], b: readonly number[]): number {
  return estimatedJaccard(Uint32Array.from(a), Uint32Array.from(b));
}

function bandKeys(sig: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) out.push(`${b}:${sig.slice(b * ROWS, (b + 1) * ROWS).join('.')}`);
  return out;
}

/** Assigns the report to the cluster of its most similar earlier report (or a new cluster); returns the cluster id. */
export async function assignCluster(
  trx: Transaction<Database>,
  reportId: string,
  text: string,
  now: string,
): Promise<string | null> {
  const sig = signatureOf(text);
  if (!sig) return null;
  const bands = bandKeys(sig);
  // Each band keeps one report per cluster (as the core clusterer's buckets do), so the candidates are a few
  // clusters' representatives, not every earlier report of a large campaign.
  const candidates = await trx
    .selectFrom('intake_lsh_bands as b')
    .innerJoin('intake_signatures as s', 's.report_id', 'b.report_id')
    .select(['b.band', 's.report_id', 's.cluster_id', 's.minhash'])
    .where('b.band', 'in', bands)
    .limit(400)
    .execute();
  let best: { cluster: string; score: number } | null = null;
  const scored = new Map<string, number>();
  for (const c of candidates) {
    let score = scored.get(c.report_id);
    if (score === undefined) {
      score = estimate(sig, JSON.parse(c.minhash) as number[]);
      scored.set(c.report_id, score);
    }
    if (score >= CLUSTER_THRESHOLD && (!best || score > best.score)) best = { cluster: c.cluster_id, score };
  }
  let clusterId: string;
  if (best) {
    clusterId = best.cluster;
    await trx
      .updateTable('intake_clusters')
      .set((eb) => ({ size: eb('size', '+', 1), latest_at: now }))
      .where('id', '=', clusterId)
      .execute();
  } else {
    clusterId = randomUUID();
    await trx.insertInto('intake_clusters').values({ id: clusterId, size: 1, first_at: now, latest_at: now }).execute();
  }
  await trx
    .insertInto('intake_signatures')
    .values({ report_id: reportId, cluster_id: clusterId, minhash: JSON.stringify(sig) })
    .execute();
  const held = new Set(candidates.filter((c) => c.cluster_id === clusterId).map((c) => c.band));
  const fresh = bands.filter((band) => !held.has(band));
  if (fresh.length > 0) {
    await trx
      .insertInto('intake_lsh_bands')
      .values(fresh.map((band) => ({ band, report_id: reportId })))
      .execute();
  }
  return clusterId;
}
