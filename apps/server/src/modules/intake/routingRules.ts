import { randomUUID } from 'node:crypto';
import { assessUrgency } from '@renkei/core/intake/index';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { actorOf } from './access.ts';
import { suggestCategory } from './model.ts';

export async function routingRules(p: Platform) {
  const rows = await p.db.db.selectFrom('intake_routing_rules').selectAll().orderBy('priority').execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      category: r.category,
      urgent: r.urgent === null ? null : r.urgent === 1,
      target: r.target,
      targetUnitId: r.target_unit_id,
      priority: r.priority,
      note: r.note,
    })),
  };
}

export async function replaceRoutingRules(
  p: Platform,
  s: Subject,
  rules: {
    category: string | null;
    urgent: boolean | null;
    target: string;
    targetUnitId?: string | null;
    note?: string;
  }[],
  ip: string | null,
) {
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('intake_routing_rules').execute();
    if (rules.length > 0) {
      await trx
        .insertInto('intake_routing_rules')
        .values(
          rules.map((r, i) => ({
            id: randomUUID(),
            category: r.category,
            urgent: r.urgent === null ? null : r.urgent ? 1 : 0,
            target: r.target,
            target_unit_id: r.target === 'unit' ? (r.targetUnitId ?? null) : null,
            priority: i + 1,
            enabled: 1,
            note: r.note ?? '',
            updated_at: now,
          })),
        )
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.routing.update',
      target: { type: 'intake_routing_rules', id: null },
      result: 'success',
      clientIp: ip,
      details: { rules: rules.length },
    });
  });
  return routingRules(p);
}

export async function suggestion(p: Platform, text: string) {
  const sgg = await suggestCategory(p, text);
  const u = assessUrgency(text);
  return { category: sgg.category, score: sgg.score, ranking: sgg.ranking, urgent: u.urgent, reasons: u.reasons };
}
