import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { promoteClusterToCampaign } from '../intel/index.ts';
import { actorOf, cyberUnitId, reportVisible } from './access.ts';

/**
 * Promotes a similar-text cluster to a campaign of the observables module (issue 5): every report of the cluster is
 * linked to the campaign (created, or found by name) with the cluster as the reason. The subject must see every
 * report of the cluster (a cluster with reports hidden from them is refused, nothing linked) and be allowed
 * `intel.write`. Audited here and by the observables module.
 */
export async function promoteCluster(
  p: Platform,
  s: Subject,
  clusterId: string,
  input: { name: string; description?: string },
  ip: string | null,
) {
  const db = p.db.db;
  const cyber = await cyberUnitId(p);
  const [all, visible] = await Promise.all([
    db.selectFrom('intake_reports').select('id').where('cluster_id', '=', clusterId).execute(),
    db
      .selectFrom('intake_reports')
      .select('id')
      .where('cluster_id', '=', clusterId)
      .where(reportVisible(s, cyber))
      .orderBy('received_at')
      .execute(),
  ]);
  if (visible.length === 0) throw new AppError('NOT_FOUND');
  if (visible.length < all.length) {
    throw new AppError('FORBIDDEN', 'the cluster holds reports you may not see', {
      reason: 'cluster_not_fully_visible',
    });
  }
  if (!p.policy.can(s, 'intel.write')) throw new AppError('FORBIDDEN');
  const campaign = await promoteClusterToCampaign(
    p,
    s,
    {
      name: input.name,
      description: input.description,
      clusterId,
      members: visible.map((r) => ({ type: 'report', id: r.id })),
    },
    ip,
  );
  await db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.cluster.promote',
      target: { type: 'intake_cluster', id: clusterId },
      result: 'success',
      clientIp: ip,
      details: { campaignId: campaign.id, reports: visible.length },
    });
  });
  return { campaignId: campaign.id, name: campaign.name, linked: visible.length };
}
