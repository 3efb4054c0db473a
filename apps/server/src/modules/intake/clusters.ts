import { randomUUID } from 'node:crypto';
import { foldText } from '@renkei/core/intake/index';
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.ts';

/**
 * Similar-text clusters (類似文面クラスタ): MinHash over character 3-shingles of the folded text (NFKC, no spaces,
 * URLs/e-mail/phones as placeholders — so one SMS template with different URLs folds to one text), LSH with
 * BANDS × ROWS. Signatures and band keys are stored, so a new report finds its candidates by index look-up.
 *
 * NOTE: issue 6 plans MinHash in @renkei/core/intake; it was not there when this module was written. This file is
 * the one place to switch to it (`signatureOf` and `estimate`), the storage stays as is.
 */
const ROWS = 4;
const BANDS = 16;
const HASHES = ROWS * BANDS;
/** Estimated Jaccard similarity at or above which two texts share a cluster. */
export const CLUSTER_THRESHOLD = 0.6;

const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function signatureOf(text: string): number[] | null {
  const folded = foldText(text, true).slice(0, 4000);
  if (folded.length < 8) return null;
  const shingles = new Set<string>();
  for (let i = 0; i + 3 <= folded.length; i++) shingles.add(folded.slice(i, i + 3));
  const sig = new Array<number>(HASHES).fill(0xffffffff);
  for (const sh of shingles) {
    const base = fnv1a(sh, 0);
    for (let k = 0; k < HASHES; k++) {
      const v = (Math.imul(base ^ SEEDS[k]!, 0x2c1b3c6d) ^ (base >>> 15)) >>> 0;
      if (v < sig[k]!) sig[k] = v;
    }
  }
  return sig;
}

export function estimate(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < HASHES; i++) if (a[i] === b[i]) same++;
  return same / HASHES;
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
  const candidates = await trx
    .selectFrom('intake_lsh_bands as b')
    .innerJoin('intake_signatures as s', 's.report_id', 'b.report_id')
    .select(['s.report_id', 's.cluster_id', 's.minhash'])
    .where('b.band', 'in', bands)
    .distinct()
    .limit(200)
    .execute();
  let best: { cluster: string; score: number } | null = null;
  for (const c of candidates) {
    const score = estimate(sig, JSON.parse(c.minhash) as number[]);
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
  await trx
    .insertInto('intake_lsh_bands')
    .values(bands.map((band) => ({ band, report_id: reportId })))
    .execute();
  return clusterId;
}
