import type { Static } from 'typebox';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { Business } from '../../intake/schema.ts';
import { caseForRead, caseForWrite } from '../evidence/caseGate.ts';
import { actorOf } from '../evidence/service.ts';
import { addTimeline } from '../timeline.ts';

export type VictimFields = Static<typeof Business>;

/**
 * Early-recovery checklist of a business victim. Evidence preservation comes first: the recovery steps cannot be
 * ticked before every preservation step is done, and the recovery steps ask for the least business disruption.
 */
export const CHECKLIST: readonly {
  code: string;
  phase: 'preserve' | 'recover';
  ja: string;
  only?: 'ransomware' | 'ddos';
}[] = [
  { code: 'isolate', phase: 'preserve', ja: '被害機器の電源は切らず、ネットワークから隔離する（LANケーブルを抜く）' },
  { code: 'logs', phase: 'preserve', ja: '通信ログ・アクセスログを保全する（上書き・ローテーション停止）' },
  { code: 'images', phase: 'preserve', ja: '被害サーバ上の不正プログラム等の情報を保全する（メモリ・ディスクの複製）' },
  { code: 'diagram', phase: 'preserve', ja: 'システム構成図を入手する' },
  { code: 'note', phase: 'preserve', ja: 'ランサムノートと暗号化ファイルの拡張子を記録する', only: 'ransomware' },
  { code: 'traffic', phase: 'preserve', ja: '攻撃通信の記録（送信元、Gbps/pps、時間帯）を保全する', only: 'ddos' },
  { code: 'backup', phase: 'recover', ja: 'バックアップの有無と健全性（感染前の世代）を確認する' },
  { code: 'plan', phase: 'recover', ja: '業務への影響が最小となる復旧手順を事業者と協議する' },
  { code: 'mitigate', phase: 'recover', ja: '侵入経路の遮断・脆弱性の修正を確認してから復旧する' },
  { code: 'nco', phase: 'recover', ja: 'NCO（国家サイバー統括室）への共有について同意を確認する' },
  { code: 'ppc', phase: 'recover', ja: '個人情報保護委員会への漏えい等報告の要否を事業者に確認する' },
];

function itemsFor(type: string) {
  return CHECKLIST.filter((c) => !c.only || c.only === type);
}

interface CheckState {
  code: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

function present(
  row: { incident_type: string; fields: string; checklist: string; nco_consent: number; updated_at: string } | null,
  fallback: VictimFields | null,
) {
  const type = row?.incident_type ?? fallback?.incidentType ?? 'other';
  const state = new Map((row ? (JSON.parse(row.checklist) as CheckState[]) : []).map((c) => [c.code, c]));
  return {
    saved: row !== null,
    incidentType: type,
    fields: row ? (JSON.parse(row.fields) as VictimFields) : fallback,
    ncoConsent: row ? row.nco_consent === 1 : false,
    checklist: itemsFor(type).map((c) => ({
      code: c.code,
      phase: c.phase,
      label: c.ja,
      done: state.get(c.code)?.done ?? false,
      doneAt: state.get(c.code)?.doneAt ?? null,
    })),
    updatedAt: row?.updated_at ?? null,
  };
}

/** The profile, or (before it is saved) the business-template fields of a report linked to the case. */
export async function getVictimProfile(p: Platform, s: Subject, caseId: string, ip: string | null) {
  await caseForRead(p, s, caseId, undefined, ip);
  const row = await p.db.db
    .selectFrom('case_victim_profiles')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (row) return present(row, null);
  const reports = await p.db.db
    .selectFrom('case_reports')
    .innerJoin('intake_reports', 'intake_reports.id', 'case_reports.report_id')
    .select('intake_reports.details')
    .where('case_reports.case_id', '=', caseId)
    .execute();
  const fromReport =
    reports.map((r) => (JSON.parse(r.details) as { business?: VictimFields }).business).find(Boolean) ?? null;
  return present(null, fromReport);
}

export async function saveVictimProfile(
  p: Platform,
  s: Subject,
  caseId: string,
  input: { fields: VictimFields; ncoConsent: boolean },
  ip: string | null,
) {
  await caseForWrite(p, s, caseId, undefined, ip);
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const had = await trx
      .selectFrom('case_victim_profiles')
      .select('checklist')
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    const values = {
      incident_type: input.fields.incidentType,
      fields: JSON.stringify(input.fields),
      nco_consent: input.ncoConsent ? 1 : 0,
      updated_by: s.userId,
      updated_at: now,
    };
    if (had) await trx.updateTable('case_victim_profiles').set(values).where('case_id', '=', caseId).execute();
    else {
      await trx
        .insertInto('case_victim_profiles')
        .values({ case_id: caseId, checklist: '[]', ...values })
        .execute();
      await addTimeline(trx, {
        caseId,
        kind: 'victim',
        body: '被害事業者情報（共通様式）を登録',
        authorId: s.userId,
        now,
      });
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.victim.save',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { incidentType: input.fields.incidentType, ncoConsent: input.ncoConsent },
    });
  });
  return getVictimProfile(p, s, caseId, ip);
}

export async function tickChecklist(
  p: Platform,
  s: Subject,
  caseId: string,
  code: string,
  done: boolean,
  ip: string | null,
) {
  await caseForWrite(p, s, caseId, undefined, ip);
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('case_victim_profiles')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!row) throw new AppError('CONFLICT', 'save the victim profile first');
    const items = itemsFor(row.incident_type);
    const item = items.find((c) => c.code === code);
    if (!item) throw new AppError('NOT_FOUND');
    const state = JSON.parse(row.checklist) as CheckState[];
    const isDone = (c: string) => state.find((x) => x.code === c)?.done === true;
    if (done && item.phase === 'recover' && items.some((c) => c.phase === 'preserve' && !isDone(c.code))) {
      throw new AppError(
        'CONFLICT',
        'preserve the evidence first: every preservation step must be done before recovery',
      );
    }
    const next = [
      ...state.filter((x) => x.code !== code),
      { code, done, doneAt: done ? now : null, doneBy: done ? s.userId : null },
    ];
    await trx
      .updateTable('case_victim_profiles')
      .set({ checklist: JSON.stringify(next), updated_at: now })
      .where('case_id', '=', caseId)
      .execute();
    if (done) await addTimeline(trx, { caseId, kind: 'victim', body: `初動措置: ${item.ja}`, authorId: s.userId, now });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.victim.checklist',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { code, done },
    });
  });
  return getVictimProfile(p, s, caseId, ip);
}
