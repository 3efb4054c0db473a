/**
 * The case package as a STIX 2.1 bundle for one partner (ADR 0021): a `report` for the case (title, summary, type,
 * classification, dates; the 事件番号 only where the policy lets 機密性2 go), the case's observables as indicators
 * and SCOs, the selected timeline entries as `note`s referring to the report, our identity, the TLP 2.0 and 格付
 * markings. Every piece is decided by sharing's `decideEgress` for the partner, at least as restricted as the case
 * itself (the package reveals what belongs to the investigation); what may not leave is withheld and said why.
 * Persons and damages never go in. The bundle is validated with core's validator before it is offered.
 */
import { randomUUID } from 'node:crypto';
import { validateBundle } from '@renkei/core/stix/index';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { TLPS, type TlpLabel } from '../../intel/vocab.ts';
import {
  type EgressObject,
  type PersonalKind,
  REASON_LABELS,
  type Recipient,
  type WithheldReason,
  confidentialityOf,
  decideEgress,
  tlpOf,
} from '../../sharing/egress.ts';
import { observableFacts } from '../../sharing/facts.ts';
import { countsText, organisationName } from '../../sharing/stixExport.ts';
import {
  CONFIDENTIALITY_MARKING_IDS,
  type StixObject,
  TLP2_IDS,
  confidentialityMarking,
  identityObject,
  indicatorFor,
  scoFor,
  stixIdOf,
  tlpMarkingDefinition,
} from '../../sharing/stixModel.ts';
import { addTimeline } from '../timeline.ts';
import { caseForRead, caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import { CASE_EXTENSION_ID, jointOf, partnerOf, personScanner, receivedFrom } from './packageCommon.ts';
import { insertShare } from './service.ts';

export interface PackageRequest {
  partnerId?: string | undefined;
  jointId?: string | undefined;
  timelineIds?: string[] | undefined;
  /** Include the case's observables (default true). */
  observables?: boolean | undefined;
}

export interface WithheldPiece {
  type: string;
  id: string;
  label: string;
  reason: WithheldReason;
  reasonLabel: { ja: string; en: string };
}

export interface PackagePlan {
  recipient: { id: string; name: string };
  /** Set when the case itself may not go to the partner: then nothing does. */
  blocked: WithheldReason | null;
  caseNumberIncluded: boolean;
  sent: Record<string, number>;
  withheld: Partial<Record<WithheldReason, number>>;
  withheldItems: WithheldPiece[];
  objects: StixObject[];
  personsChecked: number;
}

/** Entry kinds that are about persons or damages (要配慮個人情報): never in a package. */
const PERSONAL_ENTRY_KINDS: Record<string, PersonalKind[]> = {
  person: ['suspect', 'victim'],
  damage: ['victim'],
  victim: ['victim'],
};

const rank = (t: TlpLabel) => TLPS.indexOf(t);
const maxTlp = (a: TlpLabel, b: TlpLabel): TlpLabel => (rank(a) >= rank(b) ? a : b);
const markingRefs = (tlp: TlpLabel, conf: 1 | 2 | 3) =>
  conf === 1 ? [TLP2_IDS[tlp]] : [TLP2_IDS[tlp], CONFIDENTIALITY_MARKING_IDS[conf]];

/** Builds the bundle's objects and the account of what is withheld; writes nothing. */
export async function planPackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: PackageRequest,
  mode: 'read' | 'write',
  ip: string | null,
): Promise<PackagePlan> {
  if (mode === 'write') await caseForWrite(p, s, caseId, undefined, ip);
  else await caseForRead(p, s, caseId, undefined, ip);
  const db = p.db.db;
  const joint = await jointOf(db, caseId, input.jointId);
  const partner = (await partnerOf(db, input.partnerId, joint, true))!;
  const to: Recipient = { kind: 'partner', partner };
  const c = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  const caseTlp = tlpOf(c.tlp);
  const caseConf = confidentialityOf(c.confidentiality);
  const plan: PackagePlan = {
    recipient: { id: partner.id, name: partner.name },
    blocked: null,
    caseNumberIncluded: false,
    sent: {},
    withheld: {},
    withheldItems: [],
    objects: [],
    personsChecked: 0,
  };
  const withhold = (type: string, id: string, label: string, reason: WithheldReason) => {
    plan.withheld[reason] = (plan.withheld[reason] ?? 0) + 1;
    if (plan.withheldItems.length < 500)
      plan.withheldItems.push({ type, id, label, reason, reasonLabel: REASON_LABELS[reason] });
  };
  const decide = (o: Omit<EgressObject, 'id'> & { id?: string }) => decideEgress({ id: caseId, ...o }, to);

  const whole = decide({ type: 'case', tlp: caseTlp, confidentiality: caseConf });
  if (!whole.allowed) {
    plan.blocked = whole.reason;
    withhold('case', caseId, '事件パッケージ全体', whole.reason);
    return plan;
  }
  const persons = await personScanner(p, caseId);
  plan.personsChecked = persons.persons;
  const identity = identityObject(await organisationName(db), '2024-04-01T00:00:00.000Z');
  const used = { tlp: new Set<TlpLabel>([caseTlp]), conf: new Set<1 | 2 | 3>([caseConf]) };
  const content: StixObject[] = [];

  // Observables of the case, each at least as restricted as the case.
  if (input.observables !== false) {
    const rows = await db
      .selectFrom('observables as o')
      .selectAll('o')
      .where('o.num', 'in', (eb) =>
        eb
          .selectFrom('observable_places as pl')
          .innerJoin('observable_occurrences as oc', 'oc.place_num', 'pl.num')
          .select('oc.observable_num')
          .where('pl.place_type', '=', 'case')
          .where('pl.place_id', '=', caseId),
      )
      .orderBy('o.num')
      .limit(10_000)
      .execute();
    const facts = await observableFacts(
      db,
      rows.map((r) => ({ num: Number(r.num), id: r.id, type: r.type, tlp: r.tlp })),
    );
    const verdicts = new Map<number, ReturnType<typeof decideEgress> & { tlp2: TlpLabel; conf: 1 | 2 | 3 }>();
    for (const r of rows) {
      const f = facts.get(Number(r.num))!;
      const tlp = maxTlp(f.tlp, caseTlp);
      const conf = Math.max(f.confidentiality, caseConf) as 1 | 2 | 3;
      verdicts.set(Number(r.num), { ...decideEgress({ ...f, tlp, confidentiality: conf }, to), tlp2: tlp, conf });
    }
    // What is derived from a withheld value (a RED URL's host, a victim's mail domain) is withheld with it.
    // (by `from_num` only, in chunks: SQLite would probe every pair of two long IN lists)
    const links: { from_num: number; to_num: number }[] = [];
    const nums = rows.map((r) => Number(r.num));
    for (let i = 0; i < nums.length; i += 500) {
      const part = await db
        .selectFrom('observable_links')
        .select(['from_num', 'to_num'])
        .where('from_num', 'in', nums.slice(i, i + 500))
        .execute();
      for (const l of part) if (verdicts.has(Number(l.to_num))) links.push(l);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const l of links) {
        const from = verdicts.get(Number(l.from_num));
        const toV = verdicts.get(Number(l.to_num));
        if (from && toV && !from.allowed && toV.allowed) {
          verdicts.set(Number(l.to_num), {
            allowed: false,
            reason: 'depends_on_withheld',
            tlp2: toV.tlp2,
            conf: toV.conf,
          });
          changed = true;
        }
      }
    }
    for (const r of rows) {
      const d = verdicts.get(Number(r.num))!;
      const { tlp2: tlp, conf } = d;
      if (!d.allowed) {
        withhold('observable', r.id, `${r.type}: ${r.display}`, d.reason);
        continue;
      }
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
          tags: [],
        },
        identity.id,
      );
      if (!ind) continue;
      ind.object_marking_refs = markingRefs(tlp, conf);
      content.push(ind);
      const sco = scoFor(r.type, r.value);
      if (sco) content.push({ ...sco, object_marking_refs: markingRefs(tlp, conf) });
      used.tlp.add(tlp);
      used.conf.add(conf);
    }
  }

  // The selected timeline entries: notes on the report.
  const reportId = stixIdOf('report', 'case', caseId);
  const ids = [...new Set(input.timelineIds ?? [])];
  const entries = ids.length
    ? await db
        .selectFrom('case_timeline')
        .select(['id', 'at', 'kind', 'body', 'created_at'])
        .where('case_id', '=', caseId)
        .where('id', 'in', ids)
        .orderBy('at')
        .orderBy('id')
        .execute()
    : [];
  if (entries.length !== ids.length) throw new AppError('VALIDATION_FAILED', 'timelineIds: not entries of this case');
  const origins = await receivedFrom(
    p,
    entries.map((e) => e.id),
  );
  const notes: StixObject[] = [];
  for (const e of entries) {
    const personal = [...(PERSONAL_ENTRY_KINDS[e.kind] ?? []), ...persons.find(e.body)];
    const d = decide({
      type: 'timeline',
      id: e.id,
      tlp: caseTlp,
      confidentiality: caseConf,
      personal,
      // An entry received from a partner goes back to its sender only.
      recipients: origins.get(e.id),
    });
    if (!d.allowed) {
      withhold('timeline', e.id, `${e.at.slice(0, 10)} ${e.body.slice(0, 60)}`, d.reason);
      continue;
    }
    notes.push({
      type: 'note',
      spec_version: '2.1',
      id: stixIdOf('note', 'case_timeline', e.id),
      created: e.created_at,
      modified: e.created_at,
      created_by_ref: identity.id,
      content: e.body,
      object_refs: [reportId],
      object_marking_refs: markingRefs(caseTlp, caseConf),
      extensions: {
        [CASE_EXTENSION_ID]: { extension_type: 'property-extension', occurred_at: e.at, entry_kind: e.kind },
      },
    });
  }

  // The case itself: the report. Title and summary only without persons' data; the number only where 機密性2 may go.
  const cls = c.classification_code
    ? await db
        .selectFrom('case_classifications')
        .select('label_ja')
        .where('code', '=', c.classification_code)
        .executeTakeFirst()
    : undefined;
  const titleOk = decide({
    type: 'case_title',
    tlp: caseTlp,
    confidentiality: caseConf,
    personal: persons.find(c.title),
  });
  if (!titleOk.allowed) withhold('case_title', caseId, '件名', titleOk.reason);
  const summaryOk = c.summary.trim()
    ? decide({ type: 'case_summary', tlp: caseTlp, confidentiality: caseConf, personal: persons.find(c.summary) })
    : null;
  if (summaryOk && !summaryOk.allowed) withhold('case_summary', caseId, '事件の概要', summaryOk.reason);
  const numberOk = decide({
    type: 'case_number',
    tlp: caseTlp,
    confidentiality: Math.max(2, caseConf) as 2 | 3,
  });
  if (!numberOk.allowed) withhold('case_number', caseId, '事件番号', numberOk.reason);
  plan.caseNumberIncluded = numberOk.allowed;
  const now = p.clock.now().toISOString();
  const org = identity.name as string;
  const refs = [...content.map((o) => o.id), ...notes.map((o) => o.id)];
  const handling = (JSON.parse(c.handling) as unknown[]).filter((h): h is string => typeof h === 'string');
  const report: StixObject = {
    type: 'report',
    spec_version: '2.1',
    id: reportId,
    created: c.created_at,
    modified: [c.created_at, now].sort()[1], // the later ISO instant
    created_by_ref: identity.id,
    name: titleOk.allowed ? c.title : `${org} 事件パッケージ`,
    ...(summaryOk?.allowed ? { description: c.summary } : {}),
    report_types: ['threat-report'],
    labels: ['renkei-case-package', `case-type:${c.type}`],
    published: now,
    object_refs: refs.length ? refs : [identity.id],
    object_marking_refs: markingRefs(caseTlp, caseConf),
    ...(numberOk.allowed
      ? { external_references: [{ source_name: org, external_id: c.case_number, description: '事件番号' }] }
      : {}),
    extensions: {
      [CASE_EXTENSION_ID]: {
        extension_type: 'property-extension',
        case_type: c.type,
        stage: c.stage,
        ...(c.classification_code ? { classification_code: c.classification_code } : {}),
        ...(cls ? { classification_label: cls.label_ja } : {}),
        confidentiality: caseConf,
        ...(handling.length ? { handling } : {}),
        ...(c.recognised_on ? { recognised_on: c.recognised_on } : {}),
        ...(c.cleared_on ? { cleared_on: c.cleared_on } : {}),
        ...(c.referred_on ? { referred_on: c.referred_on } : {}),
      },
    },
  };
  const markings = [
    ...TLPS.filter((t) => used.tlp.has(t)).map((t) => tlpMarkingDefinition(t)),
    ...([2, 3] as const).filter((n) => used.conf.has(n)).map((n) => confidentialityMarking(n)),
  ];
  plan.objects = [identity, ...markings, ...content, report, ...notes];
  for (const o of plan.objects) plan.sent[o.type] = (plan.sent[o.type] ?? 0) + 1;
  return plan;
}

/**
 * The export: the plan, validated, recorded as a share with the joint investigation (when given) and in the
 * timeline, and audited with what left and what was withheld — all in one transaction before the file is offered.
 */
export async function exportCasePackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: PackageRequest,
  ip: string | null,
) {
  const plan = await planPackage(p, s, caseId, input, 'write', ip);
  if (plan.blocked) {
    const why = REASON_LABELS[plan.blocked];
    throw new AppError('UNPROCESSABLE', `nothing of this case may go to ${plan.recipient.name}`, {
      reason: plan.blocked,
      reasonLabel: why,
    });
  }
  const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: plan.objects };
  const v = validateBundle(bundle);
  if (!v.valid) {
    const first = v.issues[0];
    const reason = `the package failed STIX validation: ${first?.objectId ?? ''} ${first?.path} ${first?.message}`;
    throw new AppError('UNPROCESSABLE', reason, { reason });
  }
  const joint = await jointOf(p.db.db, caseId, input.jointId);
  const n = (t: string) => plan.sent[t] ?? 0;
  const withheldCount = Object.values(plan.withheld).reduce((a, b) => a + (b ?? 0), 0);
  const what = `事件パッケージ（STIX）: 指標${n('indicator') + n('vulnerability')}件・経過${n('note')}件${withheldCount ? `、提供しないもの${withheldCount}件` : ''}`;
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    if (joint) {
      await insertShare(
        trx,
        p,
        s,
        { caseId, jointId: joint.id, partnerName: joint.partner_name },
        { direction: 'sent', what, channel: 'file' },
        now,
        ip,
      );
    } else {
      await addTimeline(trx, {
        caseId,
        kind: 'package',
        body: `${plan.recipient.name}へ${what}`,
        authorId: s.userId,
        now,
      });
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.package.export',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: {
        partnerId: plan.recipient.id,
        jointId: joint?.id ?? null,
        bundleId: bundle.id,
        objects: bundle.objects.length,
        sent: countsText(plan.sent),
        withheld: countsText(plan.withheld),
        caseNumber: plan.caseNumberIncluded,
        personsChecked: plan.personsChecked,
      },
    });
  });
  return { bundle, plan };
}

/** What the preview shows before a download (nothing leaves, nothing is written but the refusal audit of 404s). */
export async function previewCasePackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: PackageRequest,
  ip: string | null,
) {
  const plan = await planPackage(p, s, caseId, input, 'read', ip);
  return {
    recipient: plan.recipient,
    blocked: plan.blocked,
    caseNumberIncluded: plan.caseNumberIncluded,
    sent: plan.sent,
    withheld: plan.withheld,
    withheldItems: plan.withheldItems,
  };
}
