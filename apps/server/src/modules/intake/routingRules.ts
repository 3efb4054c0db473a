import { randomUUID } from 'node:crypto';
import { calendarDateOf } from '@renkei/core/calendar/index';
import { type IntakeCategory, assessUrgency } from '@renkei/core/intake/index';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, cyberUnitId } from './access.ts';
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
      enabled: r.enabled === 1,
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
    enabled?: boolean;
    note?: string;
  }[],
  ip: string | null,
) {
  const now = p.clock.now().toISOString();
  const units = [...new Set(rules.filter((r) => r.target === 'unit').map((r) => r.targetUnitId ?? ''))];
  if (units.includes(''))
    throw new AppError('VALIDATION_FAILED', 'a rule to a unit needs targetUnitId', { field: 'targetUnitId' });
  if (units.length > 0) {
    const found = await p.db.db.selectFrom('units').select('id').where('id', 'in', units).execute();
    if (found.length !== units.length) {
      throw new AppError('VALIDATION_FAILED', 'no such unit', { field: 'targetUnitId' });
    }
  }
  await p.db.db.transaction().execute(async (trx) => {
    await markSeeded(trx);
    const previous = await trx.selectFrom('intake_routing_rules').select('id').execute();
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
            enabled: r.enabled === false ? 0 : 1,
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
      details: {
        previous: previous.length,
        rules: rules.length,
        summary: rules
          .map((r) => `${r.enabled === false ? '(off) ' : ''}${r.category ?? '*'}/${r.urgent ?? '*'}→${r.target}`)
          .join('; ')
          .slice(0, 2000),
      },
    });
  });
  return routingRules(p);
}

/** Units in force, for choosing a routing target or a handling unit (names are not need-to-know). */
export async function unitChoices(p: Platform) {
  const today: string = calendarDateOf(p.clock.now());
  const rows = await p.db.db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'kind'])
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return { items: rows };
}

export async function suggestion(p: Platform, text: string) {
  const sgg = await suggestCategory(p, text);
  const u = assessUrgency(text);
  return { category: sgg.category, score: sgg.score, ranking: sgg.ranking, urgent: u.urgent, reasons: u.reasons };
}

/** Routing rules, seeded on first use: specialist categories and urgent reports to the cyber division. */
const seeded = new WeakSet<Platform>();

/** Set once the rules exist: an officer may later save an empty rule list, which must not be re-seeded. */
const SEEDED_KEY = 'intake.routing_rules_seeded';

async function markSeeded(db: AnyDb): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: SEEDED_KEY, value: '1' })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function ensureRoutingRules(p: Platform): Promise<void> {
  if (seeded.has(p)) return;
  const flag = await p.db.db.selectFrom('settings').select('key').where('key', '=', SEEDED_KEY).executeTakeFirst();
  const any = flag ?? (await p.db.db.selectFrom('intake_routing_rules').select('id').limit(1).executeTakeFirst());
  if (any) {
    if (!flag) await markSeeded(p.db.db);
    seeded.add(p);
    return;
  }
  const now = p.clock.now().toISOString();
  const seed: [IntakeCategory | null, number | null, string][] = [
    [null, 1, '人命・犯行予告等の緊急案件はサイバー犯罪対策課へ'],
    ['不正アクセス・コンピュータウイルス', null, '専門的事案'],
    ['違法・有害情報', null, '専門的事案'],
    ['迷惑メール', null, 'フィッシング等の分析'],
  ];
  await p.db.db.transaction().execute(async (trx) => {
    const again = await trx.selectFrom('intake_routing_rules').select('id').limit(1).executeTakeFirst();
    await markSeeded(trx);
    if (again) return;
    await trx
      .insertInto('intake_routing_rules')
      .values(
        seed.map(([category, urgent, note], i) => ({
          id: randomUUID(),
          category,
          urgent,
          target: 'cyber',
          target_unit_id: null,
          priority: i + 1,
          enabled: 1,
          note,
          updated_at: now,
        })),
      )
      .execute();
  });
}

/** The handling unit by the editable rules (first match by priority); otherwise the receiving unit. */
export async function route(
  p: Platform,
  db: AnyDb,
  category: string | null,
  urgent: boolean,
  receivingUnit: string,
): Promise<string> {
  const rules = await db
    .selectFrom('intake_routing_rules')
    .selectAll()
    .where('enabled', '=', 1)
    .orderBy('priority')
    .execute();
  for (const r of rules) {
    if (r.category !== null && r.category !== category) continue;
    if (r.urgent !== null && (r.urgent === 1) !== urgent) continue;
    if (r.target === 'cyber') return cyberUnitId(p, db);
    if (r.target === 'unit' && r.target_unit_id) return r.target_unit_id;
    return receivingUnit;
  }
  return receivingUnit;
}
