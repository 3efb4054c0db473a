/**
 * STIX 2.1 import into our model, streaming and all-or-nothing: the bundle is read object by object with the core
 * library (schemas + semantic checks + pattern parser); every object is kept as received (re-emitted unchanged
 * on export, through the egress policy); indicators' patterns and SCOs become observables at the import's source
 * (found by look-up); campaigns, threat actors, intrusion sets and malware become intel entities; relationships and
 * sightings become links in the graph. Any invalid object refuses the whole bundle (the transaction rolls back).
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type StixIssue, observablesFromPattern } from '@renkei/core/stix/index';
import { validateStixStream } from '@renkei/core/stix/stream';
import type { Transaction } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { AsnResolver, type IngestItem, ingest } from '../intel/ingest.ts';
import { TLPS, type TlpLabel } from '../intel/vocab.ts';
import { type StixObject, confidentialityOfObject, tlpOfMarking } from './stixModel.ts';

export interface StixImportOptions {
  /** Name of the import (file name, partner): becomes the intel source `stix:<name>`. */
  name: string;
  partnerId?: string | null | undefined;
  /** TLP for objects that carry no TLP marking (default amber). */
  defaultTlp?: TlpLabel | undefined;
  /** The lowest 格付 kept for this import's objects (default 1; an object's own 機密性 marking may raise it). */
  minConfidentiality?: 1 | 2 | 3 | undefined;
  /**
   * Runs inside the import's transaction once every object is stored and linked (a case package links them to its
   * case); whatever it throws refuses the whole import, nothing of it is kept.
   */
  within?: ((trx: Transaction<Database>, result: StixImportResult) => Promise<void>) | undefined;
}

export interface StixImportResult {
  importId: string;
  objects: number;
  observables: number;
  entities: number;
  links: number;
}

const SCO_TO_OURS: Record<string, (o: StixObject) => { type: string; value: string }[]> = {
  url: (o) => (typeof o.value === 'string' ? [{ type: 'url', value: o.value }] : []),
  'domain-name': (o) => (typeof o.value === 'string' ? [{ type: 'domain', value: o.value.toLowerCase() }] : []),
  'ipv4-addr': (o) =>
    typeof o.value === 'string' ? [{ type: o.value.includes('/') ? 'cidr' : 'ipv4', value: o.value }] : [],
  'ipv6-addr': (o) =>
    typeof o.value === 'string' ? [{ type: o.value.includes('/') ? 'cidr' : 'ipv6', value: o.value }] : [],
  'email-addr': (o) => (typeof o.value === 'string' ? [{ type: 'email', value: o.value.toLowerCase() }] : []),
  file: (o) => {
    const h = (o.hashes ?? {}) as Record<string, unknown>;
    const out: { type: string; value: string }[] = [];
    for (const [k, v] of Object.entries(h)) {
      const alg = k.toUpperCase().replace(/-/g, '');
      const type = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512', SSDEEP: 'ssdeep' }[alg];
      if (type && typeof v === 'string') out.push({ type, value: type === 'ssdeep' ? v : v.toLowerCase() });
    }
    return out;
  },
};

const ENTITY_KIND: Record<string, string> = {
  campaign: 'campaign',
  'threat-actor': 'actor',
  'intrusion-set': 'actor',
  malware: 'malware',
};

const REFERRING = ['relationship', 'sighting'];

/** The highest TLP among an object's (object-level and granular) marking references, or undefined when none. */
export function tlpOfObject(o: StixObject): TlpLabel | undefined {
  const refs: unknown[] = Array.isArray(o.object_marking_refs) ? [...(o.object_marking_refs as unknown[])] : [];
  // A granular marking raises the whole object's TLP: we do not redact properties, we withhold the object.
  if (Array.isArray(o.granular_markings)) {
    for (const g of o.granular_markings as { marking_ref?: unknown }[]) refs.push(g?.marking_ref);
  }
  let best: TlpLabel | undefined;
  for (const r of refs) {
    const t = typeof r === 'string' ? tlpOfMarking(r) : undefined;
    if (t && (!best || TLPS.indexOf(t) > TLPS.indexOf(best))) best = t;
  }
  return best;
}

function issuesText(issues: StixIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.objectId ?? '?'} ${i.path}: ${i.message}`)
    .join('; ');
}

type Trx = Transaction<Database>;

interface Pending {
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

export async function importStixBundle(
  p: Platform,
  actor: AuditActor | null,
  input: Readable | AsyncIterable<Buffer | string>,
  opts: StixImportOptions,
  ip: string | null,
): Promise<StixImportResult> {
  const importId = randomUUID();
  const now = p.clock.now().toISOString();
  const defaultTlp = opts.defaultTlp ?? 'amber';
  const sourceName = `stix:${opts.name}`.slice(0, 200);
  const asn = new AsnResolver();
  const result: StixImportResult = { importId, objects: 0, observables: 0, entities: 0, links: 0 };
  let refused: StixIssue[] | null = null;

  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('intel_sources')
        .values({
          id: randomUUID(),
          name: sourceName,
          kind: 'stix',
          reliability: null,
          created_at: now,
          created_by: actor?.id ?? null,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const source = await trx
        .selectFrom('intel_sources')
        .select('id')
        .where('name', '=', sourceName)
        .executeTakeFirstOrThrow();
      const pending: Pending = { objects: [], items: new Map() };
      let bad = false;
      const flush = async () => {
        await flushObjects(trx, pending, importId);
        for (const [tlp, items] of pending.items) {
          if (items.length === 0) continue;
          const out = await ingest(
            trx,
            { place: { type: 'source', id: source.id }, tlp, sourceId: source.id, reason: `stix import ${importId}` },
            items,
            now,
            asn,
          );
          result.observables += out.newObservables;
          const maps = items
            .map((i) => ({ i, hit: out.nums.get(`${i.type}\u0000${i.value}`) }))
            .filter((x) => x.hit)
            .map((x) => ({ format: 'stix', foreign_id: x.i.stixId, object_type: 'observable', object_id: x.hit!.id }));
          await insertMaps(trx, maps);
        }
        pending.items = new Map();
      };
      const validation = await validateStixStream(input, {
        onObject: async (item, issues) => {
          if (issues.length > 0) bad = true;
          if (bad) return; // keep reading to collect the reasons; nothing more is written
          const o = item.object as StixObject;
          result.objects++;
          const tlp = tlpOfObject(o) ?? defaultTlp;
          pending.objects.push({
            stix_id: o.id,
            type: o.type,
            modified: typeof o.modified === 'string' ? o.modified : null,
            tlp,
            confidentiality: Math.max(opts.minConfidentiality ?? 1, confidentialityOfObject(o)),
            body: JSON.stringify(o),
            import_id: importId,
            received_at: now,
          });
          for (const ours of observablesOf(o)) {
            const list = pending.items.get(tlp) ?? [];
            list.push({
              type: ours.type as IngestItem['type'],
              value: ours.value,
              display: ours.value,
              role: o.type === 'indicator' ? 'suspect' : 'unknown',
              firstSeen: typeof o.valid_from === 'string' ? o.valid_from : now,
              lastSeen: now,
              stixId: o.id,
            });
            pending.items.set(tlp, list);
          }
          if (ENTITY_KIND[o.type]) result.entities += await upsertEntity(trx, o, tlp, now, actor?.id ?? null);
          if (pending.objects.length >= 200) await flush();
        },
      });
      if (!validation.valid) {
        refused = validation.issues;
        throw new AppError('STIX_BUNDLE_INVALID', issuesText(validation.issues));
      }
      await flush();
      result.links = await linkReferences(trx, importId, source.id, now, asn);
      if (opts.within) await opts.within(trx, result);
      await trx
        .insertInto('sharing_imports')
        .values({
          id: importId,
          format: 'stix',
          name: opts.name,
          partner_id: opts.partnerId ?? null,
          source_id: source.id,
          objects: result.objects,
          observables: result.observables,
          status: 'done',
          reason: null,
          created_by: actor?.id ?? null,
          created_at: now,
          finished_at: p.clock.now().toISOString(),
        })
        .execute();
      await p.audit.record(trx, {
        actor,
        action: 'sharing.import.stix',
        target: { type: 'sharing_import', id: importId },
        result: 'success',
        clientIp: ip,
        details: {
          partnerId: opts.partnerId ?? null,
          objects: result.objects,
          newObservables: result.observables,
          entities: result.entities,
          links: result.links,
        },
      });
    });
  } catch (err) {
    const reason =
      err instanceof AppError ? err.message : err instanceof Error ? err.message.split('\n')[0]! : String(err);
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sharing_imports')
        .values({
          id: importId,
          format: 'stix',
          name: opts.name,
          partner_id: opts.partnerId ?? null,
          source_id: null,
          objects: 0,
          observables: 0,
          status: 'refused',
          reason: reason.slice(0, 2000),
          created_by: actor?.id ?? null,
          created_at: now,
          finished_at: p.clock.now().toISOString(),
        })
        .execute();
      await p.audit.record(trx, {
        actor,
        action: 'sharing.import.stix',
        target: { type: 'sharing_import', id: importId },
        result: 'failure',
        clientIp: ip,
        details: { partnerId: opts.partnerId ?? null, issues: refused ? (refused as StixIssue[]).length : 0 },
      });
    });
    if (err instanceof AppError) throw err;
    throw new AppError('STIX_BUNDLE_INVALID', reason);
  }
  return result;
}

/** Our observables in an indicator's STIX pattern or an SCO. */
function observablesOf(o: StixObject): { type: string; value: string }[] {
  if (o.type === 'indicator' && o.pattern_type === 'stix' && typeof o.pattern === 'string') {
    return observablesFromPattern(o.pattern).map((x) => ({ type: x.type, value: x.value }));
  }
  return SCO_TO_OURS[o.type]?.(o) ?? [];
}

async function flushObjects(trx: Trx, pending: Pending, importId: string): Promise<void> {
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

async function insertMaps(
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

async function upsertEntity(trx: Trx, o: StixObject, tlp: TlpLabel, now: string, by: string | null): Promise<number> {
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
async function linkReferences(
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

async function numOf(trx: Trx, id: string): Promise<number | null> {
  const r = await trx.selectFrom('observables').select('num').where('id', '=', id).executeTakeFirst();
  return r ? Number(r.num) : null;
}
