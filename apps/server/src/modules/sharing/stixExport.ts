/**
 * STIX 2.1 export built from our model, through the egress policy for one recipient: observables as indicators
 * (+ SCOs, + one sighting each), campaigns/actors/families, their relationships, the STIX objects we keep as
 * received, our identity, the TLP 2.0 marking definitions, and a report listing what was sent. Streams: observables
 * are read in keyset pages, objects are written one by one.
 */
import { randomUUID } from 'node:crypto';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { TLPS, type TlpLabel } from '../intel/vocab.ts';
import { type Recipient, type WithheldReason, ceilingOf, decideEgress, tlpOf } from './egress.ts';
import { entityFacts, observableFacts, stixObjectFacts } from './facts.ts';
import {
  type StixObject,
  TLP2_IDS,
  entityObject,
  identityObject,
  indicatorFor,
  relationshipObject,
  scoFor,
  sightingObject,
  tlpMarkingDefinition,
} from './stixModel.ts';

export interface ExportOptions {
  /** Only what changed (or was received) at or after this instant. */
  since?: string | undefined;
  /** Only the objects kept from one import, as received (re-sharing a partner's bundle). */
  importId?: string | undefined;
}

export interface WithheldItem {
  type: string;
  id: string;
  label: string;
  reason: WithheldReason;
}

export interface ExportReport {
  sent: Record<string, number>;
  withheld: Partial<Record<WithheldReason, number>>;
  /** The first 500 withheld objects, for the preview. */
  withheldItems: WithheldItem[];
  objects: number;
}

const PAGE = 1000;
const rank = (t: TlpLabel) => TLPS.indexOf(t);
const maxTlp = (a: TlpLabel, b: TlpLabel): TlpLabel => (rank(a) >= rank(b) ? a : b);

export function newReport(): ExportReport {
  return { sent: {}, withheld: {}, withheldItems: [], objects: 0 };
}

function noteWithheld(r: ExportReport, item: WithheldItem): void {
  r.withheld[item.reason] = (r.withheld[item.reason] ?? 0) + 1;
  if (r.withheldItems.length < 500) r.withheldItems.push(item);
}

export async function organisationName(db: AnyDb): Promise<string> {
  const u = await db
    .selectFrom('units')
    .select('name')
    .where('parent_id', 'is', null)
    .orderBy('sort_order')
    .executeTakeFirst();
  return u?.name ?? 'Renkei';
}

/** Every STIX object that may go to the recipient, in an order where referenced objects come first. */
export async function* stixObjectsFor(
  p: Platform,
  to: Recipient,
  opts: ExportOptions,
  report: ExportReport,
): AsyncGenerator<StixObject> {
  const db = p.db.db;
  const now = p.clock.now().toISOString();
  const sentIds: string[] = [];
  const emit = (o: StixObject): StixObject => {
    report.sent[o.type] = (report.sent[o.type] ?? 0) + 1;
    report.objects++;
    if (o.type !== 'marking-definition' && o.type !== 'identity') sentIds.push(o.id);
    return o;
  };

  const identity = identityObject(await organisationName(db), '2024-04-01T00:00:00.000Z');
  const identityId = identity.id;
  if (!opts.importId) {
    yield emit(identity);
    for (const t of TLPS) if (t !== 'red' && rank(t) <= rank(ceilingOf(to))) yield emit(tlpMarkingDefinition(t));

    // Observables: indicators (or vulnerabilities), SCOs and a sighting each.
    const sentObs = new Map<number, { stixId: string; tlp: TlpLabel }>();
    let after = 0;
    for (;;) {
      let q = db.selectFrom('observables').selectAll().where('num', '>', after).orderBy('num').limit(PAGE);
      if (opts.since) q = q.where('updated_at', '>=', opts.since);
      const rows = await q.execute();
      if (rows.length === 0) break;
      after = Number(rows[rows.length - 1]!.num);
      const ids = rows.map((r) => r.id);
      const mapped = new Set(
        (
          await db
            .selectFrom('sharing_object_map')
            .select('object_id')
            .where('object_type', '=', 'observable')
            .where('format', '=', 'stix')
            .where('object_id', 'in', ids)
            .execute()
        ).map((m) => m.object_id),
      );
      const nums = rows.map((r) => Number(r.num));
      const facts = await observableFacts(
        db,
        rows.map((r) => ({ num: Number(r.num), id: r.id, type: r.type, tlp: r.tlp })),
      );
      const tags = await db.selectFrom('observable_tags').selectAll().where('observable_num', 'in', nums).execute();
      const counts = await db
        .selectFrom('observable_occurrences')
        .select(['observable_num'])
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('seen_count').as('seen')])
        .where('observable_num', 'in', nums)
        .groupBy('observable_num')
        .execute();
      const seen = new Map(counts.map((c) => [Number(c.observable_num), Number(c.seen)]));
      for (const r of rows) {
        const num = Number(r.num);
        if (mapped.has(r.id)) continue; // came from a STIX bundle: re-emitted as received below
        const d = decideEgress(facts.get(num)!, to);
        if (!d.allowed) {
          noteWithheld(report, { type: 'observable', id: r.id, label: `${r.type}: ${r.display}`, reason: d.reason });
          continue;
        }
        const tlp = tlpOf(r.tlp);
        const ind = indicatorFor(
          {
            id: r.id,
            type: r.type,
            value: r.value,
            display: r.display,
            tlp,
            confidence: r.confidence,
            firstSeen: r.first_seen,
            lastSeen: r.last_seen,
            expiresAt: r.expires_at,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
            tags: tags.filter((t) => Number(t.observable_num) === num).map((t) => t.tag),
          },
          identityId,
        );
        if (!ind) continue;
        yield emit(ind);
        sentObs.set(num, { stixId: ind.id, tlp });
        const sco = scoFor(r.type, r.value);
        if (sco) yield emit(sco);
        if (ind.type === 'indicator' && (seen.get(num) ?? 0) > 0) {
          yield emit(
            sightingObject(
              ind.id,
              { firstSeen: r.first_seen, lastSeen: r.last_seen, count: seen.get(num) ?? 0 },
              tlp,
              identityId,
              now,
            ),
          );
        }
      }
    }

    // Derived-from links between observables (URL → host → registered domain, IP → prefix → ASN).
    const sentNums = [...sentObs.keys()];
    for (let i = 0; i < sentNums.length; i += 500) {
      const part = sentNums.slice(i, i + 500);
      const links = await db.selectFrom('observable_links').selectAll().where('from_num', 'in', part).execute();
      for (const l of links) {
        const a = sentObs.get(Number(l.from_num));
        const b = sentObs.get(Number(l.to_num));
        if (!a || !b) continue;
        yield emit(relationshipObject(a.stixId, 'related-to', b.stixId, now, maxTlp(a.tlp, b.tlp), identityId));
      }
    }

    // Campaigns, actors, families, and the observables linked to them.
    let q = db.selectFrom('intel_entities').selectAll().orderBy('id');
    if (opts.since) q = q.where('updated_at', '>=', opts.since);
    const entities = await q.execute();
    const efacts = await entityFacts(db, entities);
    const mappedEntities = new Set(
      (
        await db
          .selectFrom('sharing_object_map')
          .select('object_id')
          .where('format', '=', 'stix')
          .where('object_type', '=', 'intel_entity')
          .execute()
      ).map((m) => m.object_id),
    );
    for (const e of entities) {
      if (mappedEntities.has(e.id)) continue; // came from a STIX bundle: re-emitted as received
      const d = decideEgress(efacts.get(e.id)!, to);
      if (!d.allowed) {
        noteWithheld(report, { type: 'intel_entity', id: e.id, label: `${e.kind}: ${e.name}`, reason: d.reason });
        continue;
      }
      const tlp = tlpOf(e.tlp);
      const obj = entityObject(
        {
          id: e.id,
          kind: e.kind,
          name: e.name,
          aliases: JSON.parse(e.aliases) as string[],
          description: e.description,
          tlp,
          createdAt: e.created_at,
          updatedAt: e.updated_at,
        },
        identityId,
      );
      if (!obj) continue;
      yield emit(obj);
      const linked = await db
        .selectFrom('observable_occurrences as o')
        .innerJoin('observable_places as pl', 'pl.num', 'o.place_num')
        .select('o.observable_num')
        .where('pl.place_type', '=', 'entity')
        .where('pl.place_id', '=', e.id)
        .execute();
      for (const l of linked) {
        const a = sentObs.get(Number(l.observable_num));
        if (!a?.stixId.startsWith('indicator--')) continue;
        yield emit(relationshipObject(a.stixId, 'indicates', obj.id, now, maxTlp(a.tlp, tlp), identityId));
      }
    }
  }

  // STIX objects kept as received: objects first, then those that refer to others.
  const withheldIds = new Set<string>();
  for (const pass of ['objects', 'references'] as const) {
    let afterId = '';
    for (;;) {
      let q = db
        .selectFrom('sharing_stix_objects')
        .selectAll()
        .where('stix_id', '>', afterId)
        .orderBy('stix_id')
        .limit(PAGE);
      q =
        pass === 'objects'
          ? q.where('type', 'not in', ['relationship', 'sighting', 'report', 'note', 'opinion', 'grouping'])
          : q.where('type', 'in', ['relationship', 'sighting', 'report', 'note', 'opinion', 'grouping']);
      if (opts.importId) {
        const importId = opts.importId;
        q = q.where('stix_id', 'in', (eb) =>
          eb
            .selectFrom('sharing_object_map')
            .select('foreign_id')
            .where('format', '=', 'stix')
            .where('object_type', '=', 'sharing_import')
            .where('object_id', '=', importId),
        );
      }
      if (opts.since) q = q.where('received_at', '>=', opts.since);
      const rows = await q.execute();
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.stix_id;
      for (const r of rows) {
        const body = JSON.parse(r.body) as StixObject;
        const d = decideEgress(stixObjectFacts(r), to);
        let reason: WithheldReason | null = d.allowed ? null : d.reason;
        if (!reason && pass === 'references' && refersTo(body).some((id) => withheldIds.has(id))) {
          reason = 'depends_on_withheld';
        }
        if (reason) {
          withheldIds.add(r.stix_id);
          noteWithheld(report, {
            type: r.type,
            id: r.stix_id,
            label: typeof body.name === 'string' ? body.name : r.stix_id,
            reason,
          });
          continue;
        }
        yield emit(body);
      }
    }
  }

  if (!opts.importId && sentIds.length > 0) {
    const tlp = (Object.keys(TLP2_IDS) as TlpLabel[]).filter((t) => t !== 'red' && rank(t) <= rank(ceilingOf(to)));
    yield emit({
      type: 'report',
      spec_version: '2.1',
      id: `report--${randomUUID()}`,
      created: now,
      modified: now,
      created_by_ref: identityId,
      name: `Renkei 共有情報 ${now.slice(0, 10)}`,
      report_types: ['indicator', 'threat-report'],
      published: now,
      object_refs: sentIds,
      object_marking_refs: [TLP2_IDS[tlp[tlp.length - 1] ?? 'clear']],
    });
  }
}

/** `{a: 1, b: 2}` as `a=1 b=2` (audit details hold flat values). */
export function countsText(c: Partial<Record<string, number>>): string {
  return Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The ids a relationship, sighting or container refers to. */
export function refersTo(o: StixObject): string[] {
  const out: string[] = [];
  for (const k of ['source_ref', 'target_ref', 'sighting_of_ref']) {
    const v = o[k];
    if (typeof v === 'string') out.push(v);
  }
  for (const k of ['object_refs', 'where_sighted_refs', 'observed_data_refs']) {
    const v = o[k];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/**
 * Writes one bundle for the recipient to `write` and audits the push (counts sent and withheld, never values).
 * `actor` null: the operator at the console (CLI).
 */
export async function exportStixBundle(
  p: Platform,
  actor: { id: string; login: string; unitId: string | null } | null,
  to: Recipient,
  opts: ExportOptions,
  write: (chunk: string) => void | Promise<void>,
  ip: string | null,
): Promise<ExportReport & { bundleId: string }> {
  const report = newReport();
  const bundleId = `bundle--${randomUUID()}`;
  await write(`{"type":"bundle","id":"${bundleId}","objects":[`);
  let first = true;
  for await (const o of stixObjectsFor(p, to, opts, report)) {
    await write(`${first ? '' : ','}\n${JSON.stringify(o)}`);
    first = false;
  }
  await write('\n]}\n');
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor,
      action: 'sharing.export.stix',
      target: { type: 'sharing_partner', id: to.kind === 'partner' ? to.partner.id : 'public' },
      result: 'success',
      clientIp: ip,
      details: {
        bundleId,
        objects: report.objects,
        sent: countsText(report.sent),
        withheld: countsText(report.withheld),
        since: opts.since ?? null,
        importId: opts.importId ?? null,
      },
    });
  });
  return { ...report, bundleId };
}
