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
import {
  ENTITY_KIND,
  type Pending,
  flushObjects,
  insertMaps,
  linkReferences,
  upsertEntity,
} from './stixImportWrites.ts';

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
