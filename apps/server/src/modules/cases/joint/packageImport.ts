/**
 * A STIX 2.1 bundle (a partner's case package, or any producer's bundle) into a case (ADR 0021), through sharing's
 * streaming, all-or-nothing import: every object is validated and kept as received (機密性2 at least: a police
 * partner's case material is re-shared with official bodies only; reports and notes 機密性3, never re-emitted); the
 * indicators and SCOs are linked to the case; reports and notes become timeline entries marked as received (from
 * whom, when); the joint investigation records what was received. One transaction: a refused bundle writes nothing
 * to the case.
 */
import type { Transaction } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { AsnResolver, type IngestItem, ingest } from '../../intel/ingest.ts';
import { TLPS, type TlpLabel } from '../../intel/vocab.ts';
import { tlpOf } from '../../sharing/egress.ts';
import { type StixImportResult, importStixBundle } from '../../sharing/stixImport.ts';
import type { StixObject } from '../../sharing/stixModel.ts';
import { addTimeline } from '../timeline.ts';
import { caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import { CASE_EXTENSION_ID, jointOf, partnerOf } from './packageCommon.ts';
import { insertShare } from './service.ts';

const OLD_FORMAT = /"format"\s*:\s*"renkei-case-package"/;
const MAX_BODY = 20_000;

/** Reads the first bytes of a stream and gives them back with the rest (to recognise the old format cheaply). */
async function peek(input: AsyncIterable<Buffer | string>, bytes: number) {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    head.push(b);
    size += b.length;
  }
  const first = Buffer.concat(head);
  async function* rest() {
    yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head: first.toString('utf8'), stream: rest() };
}

export async function importCasePackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: AsyncIterable<Buffer | string>,
  opts: { partnerId?: string | undefined; jointId?: string | undefined; name?: string | undefined },
  ip: string | null,
) {
  const head = await caseForWrite(p, s, caseId, undefined, ip);
  const db = p.db.db;
  const joint = await jointOf(db, caseId, opts.jointId);
  const partner = await partnerOf(db, opts.partnerId, joint, false);
  const peeked = await peek(input, 4096);
  if (OLD_FORMAT.test(peeked.head)) {
    const reason =
      'this is an old Renkei case package (renkei-case-package version 1 JSON), which is no longer imported: ' +
      'ask the sender to export the case package again as a STIX 2.1 bundle (.stix.json)';
    throw new AppError('STIX_BUNDLE_INVALID', reason, { reason });
  }
  const caseTlp = tlpOf(head.tlp);
  const defaultTlp: TlpLabel = TLPS.indexOf(caseTlp) > TLPS.indexOf('amber') ? caseTlp : 'amber';
  const out = { importId: '', from: '', objects: 0, observables: 0, timeline: 0 };
  const within = async (trx: Transaction<Database>, result: StixImportResult) => {
    const now = p.clock.now().toISOString();
    const importIds = (eb: Transaction<Database>) =>
      eb
        .selectFrom('sharing_object_map')
        .select('foreign_id')
        .where('format', '=', 'stix')
        .where('object_type', '=', 'sharing_import')
        .where('object_id', '=', result.importId);
    await trx
      .updateTable('sharing_stix_objects')
      .set({ confidentiality: 3 })
      .where('stix_id', 'in', importIds(trx))
      .where('type', 'in', ['report', 'note', 'opinion', 'grouping'])
      .execute();
    const objects = (
      await trx
        .selectFrom('sharing_stix_objects')
        .select(['stix_id', 'type', 'body'])
        .where('stix_id', 'in', importIds(trx))
        .where('type', 'in', ['report', 'note', 'identity'])
        .execute()
    ).map((r) => JSON.parse(r.body) as StixObject);
    const identities = new Map(objects.filter((o) => o.type === 'identity').map((o) => [o.id, String(o.name ?? '')]));
    const sender = (o: StixObject) =>
      partner?.name ??
      joint?.partner_name ??
      (typeof o.created_by_ref === 'string' ? identities.get(o.created_by_ref) : undefined) ??
      '出所不明';
    out.from = partner?.name ?? joint?.partner_name ?? [...identities.values()][0] ?? '出所不明';

    // Observables: linked to the case, an indicator's as suspect-side, an SCO's as unknown.
    const maps = await trx
      .selectFrom('sharing_object_map as m')
      .innerJoin('sharing_stix_objects as so', 'so.stix_id', 'm.foreign_id')
      .innerJoin('observables as o', 'o.id', 'm.object_id')
      .select(['so.type as stixType', 'o.type', 'o.value', 'o.display', 'o.tlp'])
      .where('m.format', '=', 'stix')
      .where('m.object_type', '=', 'observable')
      .where('m.foreign_id', 'in', importIds(trx))
      .execute();
    const byTlp = new Map<TlpLabel, Map<string, IngestItem>>();
    for (const m of maps) {
      const tlp = tlpOf(m.tlp);
      const list = byTlp.get(tlp) ?? new Map<string, IngestItem>();
      const key = `${m.type}\u0000${m.value}`;
      const role = m.stixType === 'indicator' || list.get(key)?.role === 'suspect' ? 'suspect' : 'unknown';
      list.set(key, {
        type: m.type as IngestItem['type'],
        value: m.value,
        display: m.display,
        role,
        firstSeen: now,
        lastSeen: now,
      });
      byTlp.set(tlp, list);
    }
    const asn = new AsnResolver();
    for (const [tlp, items] of byTlp) {
      const res = await ingest(
        trx,
        { place: { type: 'case', id: caseId }, tlp, sourceId: null, reason: `case package ${result.importId}` },
        [...items.values()],
        now,
        asn,
      );
      out.observables += res.observables;
    }

    // Reports and notes: timeline entries marked as received, in the order they happened.
    const entries = objects
      .filter((o) => o.type === 'report' || o.type === 'note')
      .map((o) => ({ o, at: occurredAt(o) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const { o, at } of entries) {
      const text =
        o.type === 'report'
          ? [String(o.name ?? ''), typeof o.description === 'string' ? o.description : ''].filter(Boolean).join('\n')
          : [typeof o.abstract === 'string' ? o.abstract : '', String(o.content ?? '')].filter(Boolean).join(': ');
      const label = o.type === 'report' ? '事件の概要' : '経過';
      const id = await addTimeline(trx, {
        caseId,
        kind: 'received',
        body: `［${sender(o)}から受領 ${now.slice(0, 10)}・${label}］${text}`.slice(0, MAX_BODY),
        authorId: s.userId,
        at,
        now,
      });
      await trx
        .insertInto('sharing_object_map')
        .values({ format: 'stix', foreign_id: o.id, object_type: 'case_timeline', object_id: id })
        .execute();
      out.timeline++;
    }

    const what = `事件パッケージ（STIX）: 指標${out.observables}件・経過${out.timeline}件`;
    if (joint) {
      await insertShare(
        trx,
        p,
        s,
        { caseId, jointId: joint.id, partnerName: joint.partner_name },
        { direction: 'received', what, channel: 'file' },
        now,
        ip,
      );
    } else {
      await addTimeline(trx, {
        caseId,
        kind: 'package',
        body: `${out.from}から${what}を受領`,
        authorId: s.userId,
        now,
      });
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.package.import',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: {
        importId: result.importId,
        partnerId: partner?.id ?? null,
        jointId: joint?.id ?? null,
        objects: result.objects,
        observables: out.observables,
        timeline: out.timeline,
      },
    });
  };
  let result: StixImportResult;
  try {
    result = await importStixBundle(
      p,
      actorOf(s),
      peeked.stream,
      {
        name: `case ${head.caseNumber}: ${opts.name ?? 'package'}`.slice(0, 180),
        partnerId: partner?.id ?? null,
        defaultTlp,
        minConfidentiality: 2,
        within,
      },
      ip,
    );
  } catch (err) {
    // The reason (which object, which property) goes back to the user: the catalogue's message alone does not say.
    if (err instanceof AppError && err.code === 'STIX_BUNDLE_INVALID') {
      throw new AppError(err.code, err.message, { reason: err.message.slice(0, 2000) });
    }
    throw err;
  }
  out.importId = result.importId;
  out.objects = result.objects;
  return out;
}

/** When a report or note's matter happened: our extension's time, else published / created. */
function occurredAt(o: StixObject): string {
  const ext = (o.extensions as Record<string, Record<string, unknown>> | undefined)?.[CASE_EXTENSION_ID];
  const v = ext?.occurred_at ?? (o.type === 'report' ? o.published : undefined) ?? o.created;
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? new Date(0).toISOString() : new Date(t).toISOString();
}
