import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import { AsnResolver, ingest, isoOfEpoch } from './ingest.ts';
import { placeType, placeVisible } from './places.ts';
import { actorOf } from './service.ts';
import type { OccurrenceRole, TlpLabel } from './vocab.ts';

/** Campaigns, threat actors, malware and ransomware families: entities linking observables, reports and cases. */
export const ENTITY_KINDS = ['campaign', 'actor', 'malware', 'ransomware'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const ENTITY_LABELS: Record<EntityKind, string> = {
  campaign: 'キャンペーン',
  actor: '攻撃者グループ',
  malware: 'マルウェアファミリー',
  ransomware: 'ランサムウェアファミリー',
};

type EntityRow = {
  id: string;
  kind: string;
  name: string;
  aliases: string;
  description: string;
  tlp: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export function presentEntity(e: EntityRow) {
  return {
    id: e.id,
    kind: e.kind,
    kindLabel: ENTITY_LABELS[e.kind as EntityKind] ?? e.kind,
    name: e.name,
    aliases: JSON.parse(e.aliases) as string[],
    description: e.description,
    tlp: e.tlp,
    createdBy: e.created_by,
    createdAt: e.created_at,
    updatedAt: e.updated_at,
  };
}

export interface EntityInput {
  kind: EntityKind;
  name: string;
  aliases?: string[] | undefined;
  description?: string | undefined;
  tlp?: TlpLabel | undefined;
}

export async function createEntity(p: Platform, s: Subject, input: EntityInput, ip: string | null) {
  const now = p.clock.now().toISOString();
  const row: EntityRow = {
    id: randomUUID(),
    kind: input.kind,
    name: input.name,
    aliases: JSON.stringify(input.aliases ?? []),
    description: input.description ?? '',
    tlp: input.tlp ?? 'amber',
    created_by: s.userId,
    created_at: now,
    updated_at: now,
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.insertInto('intel_entities').values(row).execute();
      await p.audit.record(trx, {
        actor: actorOf(s),
        action: 'intel.entity.create',
        target: { type: 'intel_entity', id: row.id },
        result: 'success',
        clientIp: ip,
        details: { kind: row.kind },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'an entity of that kind and name exists');
    throw err;
  }
  return presentEntity(row);
}

export async function updateEntity(
  p: Platform,
  s: Subject,
  id: string,
  change: Partial<Omit<EntityInput, 'kind'>>,
  ip: string | null,
) {
  const row = await p.db.db.selectFrom('intel_entities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  const next: EntityRow = {
    ...row,
    name: change.name ?? row.name,
    aliases: change.aliases ? JSON.stringify(change.aliases) : row.aliases,
    description: change.description ?? row.description,
    tlp: change.tlp ?? row.tlp,
    updated_at: p.clock.now().toISOString(),
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.updateTable('intel_entities').set(next).where('id', '=', id).execute();
      await p.audit.record(trx, {
        actor: actorOf(s),
        action: 'intel.entity.update',
        target: { type: 'intel_entity', id },
        result: 'success',
        clientIp: ip,
        details: { fields: Object.keys(change) },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'an entity of that kind and name exists');
    throw err;
  }
  return presentEntity(next);
}

export async function listEntities(
  p: Platform,
  f: { kind?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  let q = p.db.db.selectFrom('intel_entities').selectAll();
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (after)
    q = q.where((eb) =>
      eb.or([eb('name', '>', after[0]), eb.and([eb('name', '=', after[0]), eb('id', '>', after[1])])]),
    );
  const rows = await q
    .orderBy('name')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map(presentEntity),
    nextCursor: rows.length > f.limit && last ? encodeCursor([last.name, last.id]) : null,
  };
}

/** An entity with its links to places the viewer may see (reports, cases…) and a first page of its observables. */
export async function getEntity(p: Platform, s: Subject, id: string) {
  const db = p.db.db;
  const row = await db.selectFrom('intel_entities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  const links = await db
    .selectFrom('intel_entity_links as pl')
    .selectAll('pl')
    .where('pl.entity_id', '=', id)
    .where(placeVisible(s, 'pl'))
    .orderBy('pl.created_at')
    .limit(500)
    .execute();
  const observables = await db
    .selectFrom('observable_places as pl')
    .innerJoin('observable_occurrences as oo', 'oo.place_num', 'pl.num')
    .innerJoin('observables as o', 'o.num', 'oo.observable_num')
    .select(['o.id', 'o.type', 'o.value', 'o.display', 'oo.role', 'oo.reason', 'oo.first_seen'])
    .where('pl.place_type', '=', 'entity')
    .where('pl.place_id', '=', id)
    .orderBy('oo.observable_num', 'desc')
    .limit(500)
    .execute();
  return {
    ...presentEntity(row),
    links: links.map((l) => ({
      placeType: l.place_type,
      placeTypeLabel: placeType(l.place_type)?.label.ja ?? l.place_type,
      placeId: l.place_id,
      reason: l.reason,
      createdBy: l.created_by,
      createdAt: l.created_at,
    })),
    observables: observables.map((o) => ({
      id: o.id,
      type: o.type,
      value: o.value,
      display: o.display,
      role: o.role,
      reason: o.reason,
      linkedAt: isoOfEpoch(o.first_seen),
    })),
  };
}

/** Links places (reports, cases, requests…) to an entity, each with its reason; only places the actor may see. */
export async function linkPlaces(
  p: Platform,
  s: Subject,
  entityId: string,
  places: { type: string; id: string; reason: string }[],
  ip: string | null,
) {
  const db = p.db.db;
  const e = await db.selectFrom('intel_entities').select('id').where('id', '=', entityId).executeTakeFirst();
  if (!e) throw new AppError('NOT_FOUND');
  for (const pl of places) {
    const def = placeType(pl.type);
    if (!def || pl.type === 'entity' || pl.type === 'source')
      throw new AppError('VALIDATION_FAILED', `place type ${pl.type}`);
  }
  // Visibility is checked in SQL per place: a place the actor may not see is refused as not found.
  for (const pl of places) {
    const def = placeType(pl.type)!;
    const seen = await sql<{
      one: number;
    }>`select 1 as one from (select ${pl.id} as id) x where ${def.visible(s, 'x.id')}`.execute(db);
    if (seen.rows.length === 0) throw new AppError('NOT_FOUND', `${pl.type} ${pl.id}`);
  }
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const pl of places) {
      await trx
        .insertInto('intel_entity_links')
        .values({
          entity_id: entityId,
          place_type: pl.type,
          place_id: pl.id,
          reason: pl.reason,
          created_by: s.userId,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['entity_id', 'place_type', 'place_id']).doUpdateSet({ reason: pl.reason }))
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.entity.link_places',
      target: { type: 'intel_entity', id: entityId },
      result: 'success',
      clientIp: ip,
      details: { places: places.map((x) => `${x.type}:${x.id}`) },
    });
  });
  return getEntity(p, s, entityId);
}

/** Links observables to an entity (an occurrence at the entity, with its reason). */
export async function linkObservables(
  p: Platform,
  s: Subject,
  entityId: string,
  items: { observableId: string; reason: string; role?: OccurrenceRole | undefined }[],
  ip: string | null,
) {
  const db = p.db.db;
  const e = await db.selectFrom('intel_entities').selectAll().where('id', '=', entityId).executeTakeFirst();
  if (!e) throw new AppError('NOT_FOUND');
  const { observableVisible } = await import('./places.ts');
  const ids = items.map((i) => i.observableId);
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('observables')
          .selectAll()
          .where('id', 'in', ids)
          .where(observableVisible(s, 'observables.num'))
          .execute();
  if (rows.length !== new Set(ids).size) throw new AppError('OBSERVABLE_NOT_FOUND');
  const now = p.clock.now().toISOString();
  const byId = new Map(rows.map((r) => [r.id, r]));
  await db.transaction().execute(async (trx) => {
    for (const it of items) {
      const o = byId.get(it.observableId)!;
      await ingest(
        trx,
        {
          place: { type: 'entity', id: entityId },
          tlp: o.tlp as TlpLabel,
          sourceId: null,
          reason: it.reason,
          decidedBy: s.userId,
        },
        [{ type: o.type as never, value: o.value, display: o.display, role: it.role, firstSeen: now, lastSeen: now }],
        now,
        new AsnResolver(),
      );
      // The reason given by a person wins over "derived".
      await trx
        .updateTable('observable_occurrences')
        .set({ reason: it.reason })
        .where('observable_num', '=', Number(o.num))
        .where('place_num', '=', (eb) =>
          eb
            .selectFrom('observable_places')
            .select('num')
            .where('place_type', '=', 'entity')
            .where('place_id', '=', entityId),
        )
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.entity.link_observables',
      target: { type: 'intel_entity', id: entityId },
      result: 'success',
      clientIp: ip,
      details: { observables: ids },
    });
  });
  return getEntity(p, s, entityId);
}

/**
 * Promotes a cluster of similar reports (intake's similar-text clusters) to a campaign: the campaign is created
 * (or found by name), each member place is linked with the cluster as its reason. Called by intake; the caller must
 * be allowed `intel.write` and see every member.
 */
export async function promoteClusterToCampaign(
  p: Platform,
  s: Subject,
  input: {
    name: string;
    description?: string;
    clusterId: string;
    members: { type: string; id: string }[];
    tlp?: TlpLabel;
  },
  ip: string | null,
) {
  if (!p.policy.can(s, 'intel.write')) throw new AppError('FORBIDDEN');
  if (input.members.length === 0) throw new AppError('VALIDATION_FAILED', 'a cluster needs members');
  const existing = await p.db.db
    .selectFrom('intel_entities')
    .selectAll()
    .where('kind', '=', 'campaign')
    .where('name', '=', input.name)
    .executeTakeFirst();
  const campaign = existing
    ? presentEntity(existing)
    : await createEntity(
        p,
        s,
        { kind: 'campaign', name: input.name, description: input.description, tlp: input.tlp },
        ip,
      );
  const reason = `類似文面クラスタ ${input.clusterId} から昇格`;
  return linkPlaces(
    p,
    s,
    campaign.id,
    input.members.map((m) => ({ ...m, reason })),
    ip,
  );
}
