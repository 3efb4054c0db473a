/**
 * MISP in and out (issue 9 §5), with the core library's describeTypes mapping and TLP/PAP taxonomies:
 * - import one event (with or without the `{"Event": …}` wrapper) or a feed folder (manifest.json + event files);
 *   attributes become observables at the source `misp:<org>`, TLP/PAP from the event's and attribute's tags;
 * - export a feed for a recipient: one event of everything the egress policy lets go to it, manifest.json and
 *   hashes.csv, so a MISP instance can subscribe to the folder. Both audited with counts only.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IocRole, IocType } from '@renkei/core/ioc/types';
import {
  type MispAttribute,
  type MispEvent,
  MispFormatError,
  mispAttributeFor,
  mispEventAttributes,
  mispEventFileName,
  mispHashesCsv,
  mispManifestEntry,
  observablesFromMispAttribute,
  papTag,
  parseMispManifest,
  tlpPapFromTags,
  tlpTag,
  unwrapMispEvent,
} from '@renkei/core/stix/index';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { AsnResolver, type IngestItem, ingest } from '../intel/ingest.ts';
import { type OccurrenceRole, TLPS, type TlpLabel } from '../intel/vocab.ts';
import { type Recipient, decideEgress, tlpOf } from './egress.ts';
import { observableFacts } from './facts.ts';
import { type ExportReport, countsText, newReport, organisationName } from './stixExport.ts';
import { uuidv5 } from './stixModel.ts';

const NS = '0c8d4e5a-9b1f-4f3a-8e2d-6d6973702121';

function roleOf(hint: IocRole | undefined, toIds: boolean | undefined): OccurrenceRole {
  if (hint === 'victim' || hint === 'recipient' || hint === 'reporter') return 'victim';
  if (hint === 'suspect' || hint === 'sender' || hint === 'reply_to' || hint === 'return_path') return 'suspect';
  return toIds ? 'suspect' : 'unknown';
}

export interface MispImportResult {
  importId: string;
  events: number;
  attributes: number;
  observables: number;
}

/** Imports parsed events in one transaction (all or nothing), then audits. */
async function importEvents(
  p: Platform,
  actor: AuditActor | null,
  events: MispEvent[],
  opts: { name: string; partnerId?: string | null | undefined },
  ip: string | null,
): Promise<MispImportResult> {
  const importId = randomUUID();
  const now = p.clock.now().toISOString();
  const asn = new AsnResolver();
  const result: MispImportResult = { importId, events: events.length, attributes: 0, observables: 0 };
  await p.db.db.transaction().execute(async (trx) => {
    for (const event of events) {
      const sourceName = `misp:${event.Orgc?.name ?? opts.name}`.slice(0, 200);
      await trx
        .insertInto('intel_sources')
        .values({
          id: randomUUID(),
          name: sourceName,
          kind: 'misp',
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
      const byTlp = new Map<TlpLabel, (IngestItem & { uuid: string | undefined; pap: string | null })[]>();
      for (const { attribute, tags } of mispEventAttributes(event)) {
        result.attributes++;
        // The attribute's own TLP/PAP tags win over the event's (an event tag is the default for its attributes).
        const own = tlpPapFromTags((attribute.Tag ?? []).map((x) => x.name));
        const all = tlpPapFromTags(tags);
        const tlp = own.tlp ?? all.tlp;
        const pap = own.pap ?? all.pap;
        const level: TlpLabel = tlp ?? 'amber';
        for (const o of observablesFromMispAttribute(attribute)) {
          const seen = attribute.timestamp ? new Date(Number(attribute.timestamp) * 1000).toISOString() : now;
          const list = byTlp.get(level) ?? [];
          list.push({
            type: o.type as IngestItem['type'],
            value: o.value,
            display: o.value,
            role: roleOf(o.role, attribute.to_ids),
            firstSeen: attribute.first_seen ?? seen,
            lastSeen: attribute.last_seen ?? seen,
            tags: tags.filter((t) => !/^(tlp|pap)\s*:/i.test(t)).slice(0, 20),
            uuid: attribute.uuid,
            pap,
          });
          byTlp.set(level, list);
        }
      }
      for (const [tlp, items] of byTlp) {
        const out = await ingest(
          trx,
          {
            place: { type: 'source', id: source.id },
            tlp,
            sourceId: source.id,
            reason: `misp event ${event.uuid ?? ''}`,
          },
          items,
          now,
          asn,
        );
        result.observables += out.newObservables;
        for (const it of items) {
          const hit = out.nums.get(`${it.type}\u0000${it.value}`);
          if (!hit) continue;
          if (it.pap)
            await trx
              .updateTable('observables')
              .set({ pap: it.pap })
              .where('id', '=', hit.id)
              .where('pap', 'is', null)
              .execute();
          if (it.uuid) {
            await trx
              .insertInto('sharing_object_map')
              .values({ format: 'misp', foreign_id: it.uuid, object_type: 'observable', object_id: hit.id })
              .onConflict((oc) => oc.columns(['format', 'foreign_id', 'object_type', 'object_id']).doNothing())
              .execute();
          }
        }
      }
    }
    await trx
      .insertInto('sharing_imports')
      .values({
        id: importId,
        format: 'misp',
        name: opts.name,
        partner_id: opts.partnerId ?? null,
        source_id: null,
        objects: result.attributes,
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
      action: 'sharing.import.misp',
      target: { type: 'sharing_import', id: importId },
      result: 'success',
      clientIp: ip,
      details: {
        partnerId: opts.partnerId ?? null,
        events: result.events,
        attributes: result.attributes,
        newObservables: result.observables,
      },
    });
  });
  return result;
}

function refuse(err: unknown): never {
  if (err instanceof MispFormatError || err instanceof SyntaxError)
    throw new AppError('MISP_EVENT_INVALID', err.message);
  throw err;
}

/** One MISP event document (parsed JSON), with or without the wrapper. */
export async function importMispEvent(
  p: Platform,
  actor: AuditActor | null,
  document: unknown,
  opts: { name: string; partnerId?: string | null | undefined },
  ip: string | null,
): Promise<MispImportResult> {
  let event: MispEvent;
  try {
    event = unwrapMispEvent(document);
  } catch (err) {
    refuse(err);
  }
  return importEvents(p, actor, [event], opts, ip);
}

/** A MISP event file, or a feed folder (manifest.json lists the events, each `<uuid>.json`). */
export async function importMispPath(
  p: Platform,
  actor: AuditActor | null,
  path: string,
  opts: { partnerId?: string | null | undefined } = {},
): Promise<MispImportResult> {
  const events: MispEvent[] = [];
  try {
    if ((await stat(path)).isDirectory()) {
      const files = await readdir(path);
      const uuids = files.includes('manifest.json')
        ? Object.keys(parseMispManifest(JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8'))))
        : files.filter((f) => /^[0-9a-f-]{36}\.json$/i.test(f)).map((f) => f.slice(0, -5));
      for (const uuid of uuids) {
        const text = await readFile(join(path, mispEventFileName(uuid)), 'utf8');
        events.push(unwrapMispEvent(JSON.parse(text), { requireUuid: true }));
      }
    } else {
      events.push(unwrapMispEvent(JSON.parse(await readFile(path, 'utf8'))));
    }
  } catch (err) {
    refuse(err);
  }
  return importEvents(
    p,
    actor,
    events,
    { name: path.split('/').filter(Boolean).pop() ?? 'misp', partnerId: opts.partnerId },
    null,
  );
}

/**
 * Writes a MISP feed for the recipient into `dir`: one event with every observable the egress policy allows,
 * attribute types by the core mapping, `tlp:`/`PAP:` tags, deterministic uuids so a subscriber updates in place.
 */
export async function exportMispFeed(
  p: Platform,
  actor: AuditActor | null,
  to: Recipient,
  dir: string,
  ip: string | null,
): Promise<ExportReport & { eventUuid: string }> {
  const db = p.db.db;
  const report = newReport();
  const now = p.clock.now();
  const org = await organisationName(db);
  const who = to.kind === 'partner' ? to.partner.id : 'public';
  const eventUuid = uuidv5(NS, `feed:${who}`);
  const attributes: MispAttribute[] = [];
  let worst: TlpLabel = 'clear';
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('observables')
      .selectAll()
      .where('num', '>', after)
      .orderBy('num')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.num);
    const facts = await observableFacts(
      db,
      rows.map((r) => ({ num: Number(r.num), id: r.id, type: r.type, tlp: r.tlp })),
    );
    for (const r of rows) {
      const f = facts.get(Number(r.num))!;
      const d = decideEgress(f, to);
      if (!d.allowed) {
        report.withheld[d.reason] = (report.withheld[d.reason] ?? 0) + 1;
        if (report.withheldItems.length < 500)
          report.withheldItems.push({
            type: 'observable',
            id: r.id,
            label: `${r.type}: ${r.display}`,
            reason: d.reason,
          });
        continue;
      }
      const role: IocRole | undefined = f.observable?.role === 'suspect' ? 'suspect' : undefined;
      const spec =
        r.type === 'cidr'
          ? { type: 'ip-dst', category: 'Network activity', to_ids: true, value: r.value }
          : mispAttributeFor(r.type as IocType, r.value, role);
      if (!spec) continue;
      const tlp = tlpOf(r.tlp);
      if (TLPS.indexOf(tlp) > TLPS.indexOf(worst)) worst = tlp;
      const tags = [{ name: tlpTag(tlp) }];
      if (r.pap === 'clear' || r.pap === 'green' || r.pap === 'amber' || r.pap === 'red')
        tags.push({ name: papTag(r.pap) });
      attributes.push({
        uuid: uuidv5(NS, `attribute:${r.id}`),
        type: spec.type,
        category: spec.category,
        value: spec.value,
        to_ids: spec.to_ids,
        ...(spec.comment ? { comment: spec.comment } : {}),
        timestamp: String(Math.floor(Date.parse(r.updated_at) / 1000)),
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        disable_correlation: false,
        distribution: '5',
        Tag: tags,
      });
      report.sent[spec.type] = (report.sent[spec.type] ?? 0) + 1;
      report.objects++;
    }
  }
  const event: MispEvent = {
    uuid: eventUuid,
    info: `${org} 共有指標 (${to.kind === 'partner' ? to.partner.name : '公開'})`,
    date: now.toISOString().slice(0, 10),
    timestamp: String(Math.floor(now.getTime() / 1000)),
    publish_timestamp: String(Math.floor(now.getTime() / 1000)),
    published: true,
    analysis: '2',
    threat_level_id: '2',
    distribution: '0',
    Orgc: { name: org, uuid: uuidv5(NS, `org:${org}`) },
    Tag: [{ name: tlpTag(worst) }],
    Attribute: attributes,
  };
  await mkdir(dir, { recursive: true });
  const text = JSON.stringify({ Event: event });
  await writeFile(join(dir, mispEventFileName(eventUuid)), text);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ [eventUuid]: mispManifestEntry(event, text) }));
  await writeFile(join(dir, 'hashes.csv'), mispHashesCsv([event]));
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor,
      action: 'sharing.export.misp',
      target: { type: 'sharing_partner', id: who },
      result: 'success',
      clientIp: ip,
      details: { eventUuid, attributes: attributes.length, withheld: countsText(report.withheld) },
    });
  });
  return { ...report, eventUuid };
}
