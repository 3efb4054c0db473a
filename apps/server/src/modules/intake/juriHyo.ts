import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { renderStoredTemplate } from '../../platform/documents/index.ts';
import { actorOf, openReporter, readable } from './access.ts';
import { CHANNEL_LABELS, OUTCOME_LABELS } from './labels.ts';

const JST = (iso: string) => new Date(new Date(iso).getTime() + 9 * 3600_000);

/** The 相談受理票 as a PDF (documents engine, seeded template `sodan-juri-hyo`); printing is audited. */
export async function juriHyo(p: Platform, s: Subject, id: string, ip: string | null): Promise<Buffer> {
  const r = await readable(p, s, id);
  const db = p.db.db;
  const unit = await db.selectFrom('units').select('name').where('id', '=', r.receiving_unit_id).executeTakeFirst();
  const creator = r.created_by
    ? await db.selectFrom('users').select('name').where('id', '=', r.created_by).executeTakeFirst()
    : undefined;
  const reporter = openReporter(p, r);
  const c = reporter?.contact ?? {};
  const received = JST(r.received_at);
  const observables = await db
    .selectFrom('intake_observables')
    .select(['display', 'role'])
    .where('report_id', '=', id)
    .execute();
  const roleJa: Record<string, string> = { suspect: '加害者側', victim: '被害者側', unknown: '不明' };
  const data = {
    受理番号: r.receipt_number,
    受理日: received.toISOString().slice(0, 10),
    受理時刻: `${received.getUTCHours()}時${String(received.getUTCMinutes()).padStart(2, '0')}分`,
    受理所属: unit?.name ?? '',
    受理者: creator?.name ?? '（ウェブ受付）',
    受理方法: CHANNEL_LABELS[r.channel] ?? r.channel,
    相談者: {
      氏名: r.reporter_type === 'anonymous' ? '匿名' : (c.name ?? ''),
      フリガナ: c.nameKana ?? '',
      生年月日: c.birthDate ?? '',
      住所: c.address ?? '',
      電話番号: c.phone ?? '',
    },
    相談種別: r.category ?? `${r.suggested_category ?? 'その他'}（候補・未確認）`,
    発生日: r.occurred_on ?? '',
    相談概要: r.narrative,
    被害: r.amount_yen !== null ? [{ 日付: r.occurred_on ?? '', 内容: '被害額', 金額: Number(r.amount_yen) }] : [],
    措置: [
      r.outcome ? `結果: ${OUTCOME_LABELS[r.outcome] ?? r.outcome}` : '',
      observables.length > 0
        ? `抽出された値: ${observables.map((o) => `${o.display}（${roleJa[o.role] ?? o.role}）`).join('、')}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  };
  const pdf = await renderStoredTemplate(p, 'sodan-juri-hyo', data, {
    marking: { confidentiality: Math.max(2, r.confidentiality) as 2 | 3, handling: ['複製禁止'] },
  });
  await db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.report.print',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number, document: 'sodan-juri-hyo' },
    });
  });
  return pdf;
}
