/**
 * The writes of a STIX import (stixImport.ts): kept objects and their id maps, intel entities for campaigns, actors
 * and malware, and graph links for relationships and sightings — all inside the import's one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.ts';
import { type AsnResolver, type IngestItem, ingest } from '../intel/ingest.ts';
import type { TlpLabel } from '../intel/vocab.ts';
import type { StixObject } from './stixModel.ts';

export type Trx = Transaction<Database>;

export interface Pending {
  objects: {
    stix_id: string;
    type: string;
    modified: string | null;
    tlp: string;
    confidentiality: number;
    body: string;
    import_id: string;
    received_at: string;
  }[];
  items: Map<TlpLabel, (IngestItem & { stixId: string })[]>;
}

const REFERRING = ['relationship', 'sighting'];

export const ENTITY_KIND: Record<string, string> = {
  campaign: 'campaign',
  'threat-actor': 'actor',
  'intrusion-set': 'actor',
  malware: 'malware',
};

export async function flushObjects(trx: Trx, pending: Pending, importId: string): Promise<void> {
  if (pending.objects.length === 0) return;
  const rows = pending.objects;
  pending.objects = [];
  await trx
    .insertInto('sharing_stix_objects')
    .values(rows)
    .onConflict((oc) =>
      oc.column('stix_id').doUpdateSet((eb) => ({
        body: eb.ref('excluded.body'),
        modified: eb.ref('excluded.modified'),
        tlp: eb.ref('excluded.tlp'),
        confidentiality: eb.ref('excluded.confidentiality'),
        type: eb.ref('excluded.type'),
        received_at: eb.ref('excluded.received_at'),
      })),
    )
    .execute();
  await insertMaps(
    trx,
    rows.map((r) => ({ format: 'stix', foreign_id: r.stix_id, object_type: 'sharing_import', object_id: importId })),
  );
}

export async function insertMaps(
  trx: Trx,
  rows: { format: string; foreign_id: string; object_type: string; object_id: string }[],
) {
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    if (part.length === 0) continue;
    await trx
      .insertInto('sharing_object_map')
      .values(part)
      .onConflict((oc) => oc.columns(['format', 'foreign_id', 'object_type', 'object_id']).doNothing())
      .execute();
  }
}

export async function upsertEntity(
  trx: Trx,
  o: StixObject,
  tlp: TlpLabel,
  now: string,
  by: string | null,
): Promise<number> {
  const kind =
    o.type === 'malware' && Array.isArray(o.malware_types) && o.malware_types.includes('ransomware')
      ? 'ransomware'
      : ENTITY_KIND[o.type]!;
  const name = typeof o.name === 'string' ? o.name.slice(0, 200) : o.id;
  const inserted = await trx
    .insertInto('intel_entities')
    .values({
      id: randomUUID(),
      kind,
      name,
      aliases: JSON.stringify(Array.isArray(o.aliases) ? o.aliases.filter((a) => typeof a === 'string') : []),
      description: typeof o.description === 'string' ? o.description : '',
      tlp,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['kind', 'name']).doNothing())
    .returning('id')
    .execute();
  const row = await trx
    .selectFrom('intel_entities')
    .select('id')
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  await insertMaps(trx, [{ format: 'stix', foreign_id: o.id, object_type: 'intel_entity', object_id: row.id }]);
  return inserted.length;
}

/**
 * Relationships and sightings of this import → graph links: observable → observable as `observable_links`
 * (`stix:<relationship_type>`), observable → entity as an occurrence at the entity's place (through intel's
 * ingest), a sighting as a new sighting of the observables at the import's source (last seen moves forward).
 */
export async function linkReferences(
  trx: Trx,
  importId: string,
  sourceId: string,
  now: string,
  asn: AsnResolver,
): Promise<number> {
  let links = 0;
  let after = '';
  const targets = async (stixId: string) =>
    trx
      .selectFrom('sharing_object_map')
      .select(['object_type', 'object_id'])
      .where('format', '=', 'stix')
      .where('foreign_id', '=', stixId)
      .where('object_type', 'in', ['observable', 'intel_entity'])
      .execute();
  const record = async (placeType: string, placeId: string, obsIds: string[], seen: string) => {
    if (obsIds.length === 0) return;
    const obs = await trx
      .selectFrom('observables')
      .select(['type', 'value', 'display', 'tlp'])
      .where('id', 'in', obsIds)
      .execute();
    for (const o of obs) {
      await ingest(
        trx,
        {
          place: { type: placeType, id: placeId },
          tlp: o.tlp as TlpLabel,
          sourceId,
          reason: `stix import ${importId}`,
        },
        [
          {
            type: o.type as IngestItem['type'],
            value: o.value,
            display: o.display,
            role: 'suspect',
            firstSeen: seen,
            lastSeen: seen,
          },
        ],
        now,
        asn,
      );
    }
  };
  for (;;) {
    const rows = await trx
      .selectFrom('sharing_stix_objects')
      .select(['stix_id', 'body'])
      .where('import_id', '=', importId)
      .where('type', 'in', REFERRING)
      .where('stix_id', '>', after)
      .orderBy('stix_id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.stix_id;
    for (const r of rows) {
      const o = JSON.parse(r.body) as StixObject;
      if (o.type === 'relationship' && typeof o.source_ref === 'string' && typeof o.target_ref === 'string') {
        const from = (await targets(o.source_ref)).filter((x) => x.object_type === 'observable');
        if (from.length === 0) continue;
        for (const b of await targets(o.target_ref)) {
          if (b.object_type === 'intel_entity') {
            await record(
              'entity',
              b.object_id,
              from.map((a) => a.object_id),
              now,
            );
            links++;
            continue;
          }
          const bNum = await numOf(trx, b.object_id);
          for (const a of from) {
            const aNum = await numOf(trx, a.object_id);
            if (aNum === null || bNum === null || aNum === bNum) continue;
            await trx
              .insertInto('observable_links')
              .values({ from_num: aNum, to_num: bNum, kind: `stix:${String(o.relationship_type)}`.slice(0, 60) })
              .onConflict((oc) => oc.columns(['from_num', 'to_num']).doNothing())
              .execute();
            links++;
          }
        }
      } else if (o.type === 'sighting' && typeof o.sighting_of_ref === 'string') {
        const seen = typeof o.last_seen === 'string' ? o.last_seen : now;
        const sighted = (await targets(o.sighting_of_ref)).filter((x) => x.object_type === 'observable');
        await record(
          'source',
          sourceId,
          sighted.map((a) => a.object_id),
          seen,
        );
        links += sighted.length;
      }
    }
  }
  return links;
}

export async function numOf(trx: Trx, id: string): Promise<number | null> {
  const r = await trx.selectFrom('observables').select('num').where('id', '=', id).executeTakeFirst();
  return r ? Number(r.num) : null;
}
