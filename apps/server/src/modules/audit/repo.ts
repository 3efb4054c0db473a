import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../../platform/db/types.ts';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  result?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Newest first, keyset on seq. `action` matches a prefix (e.g. `auth.` for every sign-in event). */
export function selectAudit(db: AnyDb, f: AuditFilter, beforeSeq: number | null, limit: number) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.actor) q = q.where('actor_login', '=', f.actor);
  if (f.action)
    q = q.where((eb) =>
      eb.or([eb('action', '=', f.action!), eb('action', 'like', `${f.action!.replace(/[\\%_]/g, '')}.%`)]),
    );
  if (f.result) q = q.where('result', '=', f.result);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (beforeSeq !== null) q = q.where('seq', '<', beforeSeq);
  return q.orderBy('seq', 'desc').limit(limit);
}

export const presentAudit = (r: Selectable<AuditLogTable>) => ({
  seq: Number(r.seq),
  at: r.at,
  actorId: r.actor_id,
  actorLogin: r.actor_login,
  actorUnitId: r.actor_unit_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  result: r.result,
  clientIp: r.client_ip,
  details: JSON.parse(r.details) as Record<string, unknown>,
});
