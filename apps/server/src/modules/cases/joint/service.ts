import { randomUUID } from 'node:crypto';
import { isCalendarDate } from '@renkei/core/calendar/index';
import type { Selectable } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { ROLES as OCC_ROLES, type OccurrenceRole } from '../../intel/vocab.ts';
import { addObservables, listObservables } from '../records.ts';
import { addTimeline } from '../timeline.ts';
import { caseForRead, caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import type { CaseJointShareTable, CaseJointTable } from './tables.ts';
import './tables.ts';

export const JOINT_KINDS = ['joint', 'cooperative'] as const;
export const PARTNER_KINDS = ['prefecture', 'national', 'other'] as const;
const KIND_JA: Record<string, string> = { joint: '合同捜査', cooperative: '共同捜査' };

export interface JointInput {
  kind: (typeof JOINT_KINDS)[number];
  partnerKind: (typeof PARTNER_KINDS)[number];
  partnerName: string;
  startedOn: string;
  endedOn?: string | undefined;
  notes?: string | undefined;
}

function presentJoint(j: Selectable<CaseJointTable>, shares: Selectable<CaseJointShareTable>[]) {
  return {
    id: j.id,
    caseId: j.case_id,
    kind: j.kind,
    kindLabel: KIND_JA[j.kind] ?? j.kind,
    partnerKind: j.partner_kind,
    partnerName: j.partner_name,
    startedOn: j.started_on,
    endedOn: j.ended_on,
    notes: j.notes,
    shares: shares.map((x) => ({
      id: x.id,
      direction: x.direction,
      sharedAt: x.shared_at,
      what: x.what,
      channel: x.channel,
      recordedBy: x.recorded_by,
    })),
  };
}

export async function createJoint(p: Platform, s: Subject, caseId: string, input: JointInput, ip: string | null) {
  await caseForWrite(p, s, caseId, undefined, ip);
  if (!isCalendarDate(input.startedOn) || (input.endedOn && !isCalendarDate(input.endedOn))) {
    throw new AppError('VALIDATION_FAILED', 'dates are YYYY-MM-DD');
  }
  const now = p.clock.now().toISOString();
  const row: Selectable<CaseJointTable> = {
    id: randomUUID(),
    case_id: caseId,
    kind: input.kind,
    partner_kind: input.partnerKind,
    partner_name: input.partnerName,
    started_on: input.startedOn,
    ended_on: input.endedOn ?? null,
    notes: input.notes ?? '',
    created_by: s.userId,
    created_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_joint').values(row).execute();
    await addTimeline(trx, {
      caseId,
      kind: 'joint',
      body: `${KIND_JA[row.kind]}を開始（${row.partner_name}）`,
      authorId: s.userId,
      now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.joint.create',
      target: { type: 'case_joint', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { caseId, kind: row.kind, partnerKind: row.partner_kind },
    });
  });
  return presentJoint(row, []);
}

export async function listJoint(p: Platform, s: Subject, caseId: string, ip: string | null) {
  await caseForRead(p, s, caseId, undefined, ip);
  const rows = await p.db.db
    .selectFrom('case_joint')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
  const shares = rows.length
    ? await p.db.db
        .selectFrom('case_joint_shares')
        .selectAll()
        .where(
          'joint_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('shared_at')
        .execute()
    : [];
  return {
    items: rows.map((r) =>
      presentJoint(
        r,
        shares.filter((x) => x.joint_id === r.id),
      ),
    ),
  };
}

/** What was shared with (or received from) the partner, and when. */
export async function recordShare(
  p: Platform,
  s: Subject,
  caseId: string,
  jointId: string,
  input: { direction: 'sent' | 'received'; sharedAt?: string | undefined; what: string; channel?: string | undefined },
  ip: string | null,
) {
  await caseForWrite(p, s, caseId, undefined, ip);
  const j = await p.db.db
    .selectFrom('case_joint')
    .select(['id', 'case_id', 'partner_name'])
    .where('id', '=', jointId)
    .executeTakeFirst();
  if (!j || j.case_id !== caseId) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  if (input.sharedAt && Date.parse(input.sharedAt) > Date.parse(now))
    throw new AppError('VALIDATION_FAILED', 'sharedAt is in the future');
  const row: Selectable<CaseJointShareTable> = {
    id: randomUUID(),
    joint_id: jointId,
    direction: input.direction,
    shared_at: input.sharedAt ? new Date(input.sharedAt).toISOString() : now,
    what: input.what,
    channel: input.channel ?? null,
    recorded_by: s.userId,
    recorded_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_joint_shares').values(row).execute();
    await addTimeline(trx, {
      caseId,
      kind: 'joint',
      body: `${j.partner_name}${row.direction === 'sent' ? 'へ提供' : 'から受領'}: ${row.what}`,
      authorId: s.userId,
      at: row.shared_at,
      now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.joint.share',
      target: { type: 'case_joint', id: jointId },
      result: 'success',
      clientIp: ip,
      details: { caseId, direction: row.direction },
    });
  });
  return row;
}

/* ───────────── case package (export / import as a file) ───────────── */

export const PACKAGE_FORMAT = 'renkei-case-package';
export interface CasePackage {
  format: typeof PACKAGE_FORMAT;
  version: 1;
  exportedAt: string;
  case: {
    caseNumber: string;
    title: string;
    summary: string;
    type: string;
    stage: string;
    tlp: string;
    classificationCode: string | null;
  };
  observables: { type: string; value: string; role: string }[];
  timeline: { at: string; kind: string; body: string }[];
}

/**
 * The package a partner receives: the summary, the observables and the timeline entries chosen by id (none unless
 * chosen). Persons, damages and evidence never go in. With `jointId`, the export is recorded as a share.
 */
export async function exportPackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: { timelineIds?: string[] | undefined; observables?: boolean | undefined; jointId?: string | undefined },
  ip: string | null,
): Promise<CasePackage> {
  await caseForRead(p, s, caseId, undefined, ip);
  const c = await p.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  const obs = input.observables === false ? [] : (await listObservables(p, s, caseId, ip)).items;
  const timeline = input.timelineIds?.length
    ? await p.db.db
        .selectFrom('case_timeline')
        .select(['at', 'kind', 'body'])
        .where('case_id', '=', caseId)
        .where('id', 'in', input.timelineIds)
        .orderBy('at')
        .execute()
    : [];
  const pkg: CasePackage = {
    format: PACKAGE_FORMAT,
    version: 1,
    exportedAt: p.clock.now().toISOString(),
    case: {
      caseNumber: c.case_number,
      title: c.title,
      summary: c.summary,
      type: c.type,
      stage: c.stage,
      tlp: c.tlp,
      classificationCode: c.classification_code,
    },
    observables: obs.map((o) => ({ type: o.type, value: o.value, role: o.role })),
    timeline,
  };
  if (input.jointId) {
    await recordShare(
      p,
      s,
      caseId,
      input.jointId,
      {
        direction: 'sent',
        what: `事件パッケージ（指標${pkg.observables.length}件、経過${pkg.timeline.length}件）`,
        channel: 'file',
      },
      ip,
    );
  }
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.package.export',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { observables: pkg.observables.length, timeline: pkg.timeline.length, jointId: input.jointId ?? null },
    }),
  );
  return pkg;
}

function isPackage(v: unknown): v is CasePackage {
  const x = v as CasePackage | null;
  return (
    !!x &&
    x.format === PACKAGE_FORMAT &&
    x.version === 1 &&
    typeof x.case?.caseNumber === 'string' &&
    Array.isArray(x.observables) &&
    Array.isArray(x.timeline) &&
    x.observables.every((o) => typeof o?.value === 'string' && typeof o?.role === 'string') &&
    x.timeline.every((e) => typeof e?.body === 'string' && typeof e?.at === 'string' && !Number.isNaN(Date.parse(e.at)))
  );
}

const ROLES: readonly string[] = OCC_ROLES;

/** A partner's package, imported into a case: its observables are linked, its timeline copied and marked as received. */
export async function importPackage(
  p: Platform,
  s: Subject,
  caseId: string,
  input: { package: unknown; jointId?: string | undefined },
  ip: string | null,
) {
  await caseForWrite(p, s, caseId, undefined, ip);
  if (!isPackage(input.package)) throw new AppError('VALIDATION_FAILED', `not a ${PACKAGE_FORMAT} version 1 file`);
  const pkg = input.package;
  if (pkg.observables.length > 5000 || pkg.timeline.length > 5000) throw new AppError('PAYLOAD_TOO_LARGE');
  if (pkg.observables.length) {
    await addObservables(
      p,
      s,
      caseId,
      pkg.observables.map((o) => ({
        value: o.value,
        role: (ROLES.includes(o.role) ? o.role : 'unknown') as OccurrenceRole,
      })),
      ip,
    );
  }
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    for (const e of pkg.timeline) {
      await addTimeline(trx, {
        caseId,
        kind: 'package',
        body: `［${pkg.case.caseNumber} より受領］${e.body}`,
        authorId: s.userId,
        at: new Date(e.at).toISOString(),
        now,
      });
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.package.import',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { from: pkg.case.caseNumber, observables: pkg.observables.length, timeline: pkg.timeline.length },
    });
  });
  if (input.jointId) {
    await recordShare(
      p,
      s,
      caseId,
      input.jointId,
      {
        direction: 'received',
        what: `事件パッケージ ${pkg.case.caseNumber}（指標${pkg.observables.length}件、経過${pkg.timeline.length}件）`,
        channel: 'file',
      },
      ip,
    );
  }
  return { from: pkg.case.caseNumber, observables: pkg.observables.length, timeline: pkg.timeline.length };
}
