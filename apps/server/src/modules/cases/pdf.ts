import { type Block, renderPdf } from '../../platform/documents/index.ts';
import type { Confidentiality, Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { actorOf } from './access.ts';
import { STAGE_LABELS, getCase } from './service.ts';
import { listTimeline } from './records.ts';

export const TYPE_LABELS: Record<string, string> = {
  cyber_crime: 'サイバー犯罪',
  cyber_attack: 'サイバー攻撃',
  serious_cyber: '重大サイバー事案',
  csirt: '庁内CSIRT事案',
};
const STATUS_LABELS: Record<string, string> = { open: '捜査中', suspended: '中断', closed: '終結' };
const KIND_LABELS: Record<string, string> = { suspect: '被疑者', victim: '被害者', witness: '参考人' };
const ROLE_LABELS: Record<string, string> = { lead: '主任者', member: '構成員', reader: '閲覧者' };

/**
 * 事件概要 (case summary) as a Japanese PDF with the documents engine: 格付 and 取扱制限 on every page, persons by
 * label only (no 要配慮個人情報), the latest 50 timeline entries. Printing is audited.
 */
export async function caseSummaryPdf(
  p: Platform,
  s: Subject,
  caseId: string,
  ip: string | null,
): Promise<{ name: string; pdf: Buffer }> {
  const c = await getCase(p, s, caseId, ip);
  const timeline = await listTimeline(p, s, caseId, { limit: '50' }, ip);
  const cls = c.classificationCode
    ? await p.db.db
        .selectFrom('case_classifications')
        .select('label_ja')
        .where('code', '=', c.classificationCode)
        .executeTakeFirst()
    : undefined;
  const total = c.damages.reduce((a, d) => a + d.amountYen, 0);
  const blocks: Block[] = [
    { kind: 'title', text: '事件概要' },
    {
      kind: 'table',
      header: null,
      rows: [
        ['事件番号', c.caseNumber],
        ['事件名', c.title],
        ['種別', TYPE_LABELS[c.type] ?? c.type],
        ['罪種', cls?.label_ja ?? '未分類'],
        ['主管課', c.leadUnitName ?? ''],
        ['支援所属', c.supportingUnits.map((u) => u.name).join('、') || 'なし'],
        [
          '段階',
          `${STAGE_LABELS[c.stage] ?? c.stage}（認知 ${c.recognisedOn ?? '-'} / 検挙 ${c.clearedOn ?? '-'} / 送致 ${c.referredOn ?? '-'}）`,
        ],
        ['状態', STATUS_LABELS[c.status] ?? c.status],
        ['TLP', c.tlp.toUpperCase()],
        ['被害額合計', `${total.toLocaleString('ja-JP')}円`],
      ],
    },
    { kind: 'heading', level: 2, text: '概要' },
    { kind: 'paragraph', text: c.summary || '（記載なし）', align: 'left' },
    { kind: 'heading', level: 2, text: '構成員' },
    { kind: 'table', header: ['氏名', '役割'], rows: c.members.map((m) => [m.name, ROLE_LABELS[m.role] ?? m.role]) },
  ];
  if (c.persons.length)
    blocks.push(
      { kind: 'heading', level: 2, text: '関係者' },
      {
        kind: 'table',
        header: ['区分', '表示名'],
        rows: c.persons.map((x) => [KIND_LABELS[x.kind] ?? x.kind, x.label]),
      },
    );
  if (c.reports.length)
    blocks.push(
      { kind: 'heading', level: 2, text: '関連する通報・相談' },
      { kind: 'table', header: ['受理番号', '要旨'], rows: c.reports.map((r) => [r.receiptNumber, r.summary]) },
    );
  if (c.tasks.length)
    blocks.push(
      { kind: 'heading', level: 2, text: 'タスク' },
      {
        kind: 'table',
        header: ['内容', '期限', '状態'],
        rows: c.tasks.map((t) => [t.title, t.dueOn ?? '', t.status === 'done' ? '完了' : '未了']),
      },
    );
  blocks.push(
    { kind: 'heading', level: 2, text: '経過（新しい順）' },
    {
      kind: 'table',
      header: ['日時', '内容'],
      rows: timeline.items.map((e) => [e.at.slice(0, 16).replace('T', ' '), e.body]),
    },
  );
  const pdf = await renderPdf(
    {
      title: `事件概要 ${c.caseNumber}`,
      marking: { confidentiality: c.confidentiality as Confidentiality, handling: c.handling },
      blocks,
    },
    { now: p.clock.now() },
  );
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.print',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { bytes: pdf.length },
    }),
  );
  return { name: `事件概要_${c.caseNumber}.pdf`, pdf };
}
