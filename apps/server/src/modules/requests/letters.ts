import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { todayJst } from '@renkei/core/calendar/index';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import {
  type TemplateObject,
  type TemplateSeed,
  ensureDocumentTemplates,
  renderStoredTemplate,
} from '../../platform/documents/index.ts';
import { fileStoreFor } from '../../platform/files/index.ts';
import { findUnitHead } from '../../platform/organisation.ts';
import type { RequestTable } from './tables.ts';
import { requestType } from './service.ts';

/** 口座凍結検討依頼: the FAX layout banks receive (情報提供シート fields, domain.md §5). Editable like any template. */
export const KOZA_TOKETSU: TemplateSeed = {
  code: 'koza-toketsu',
  name: '口座凍結検討依頼（FAX）',
  description: '金融機関あて預金口座の不正利用に関する情報提供（振り込め詐欺救済法第3条第1項）。FAXで送付する。',
  marking: { confidentiality: 2, handling: ['複製禁止'] },
  body: `> {{文書番号}}
> {{日付|和暦}}

{{宛先.名称}}　御中

> {{差出人.所属}}
> {{差出人.役職}}　{{差出人.氏名}}

# 預金口座の不正利用に関する情報提供及び口座凍結の検討について（依頼）

{{本文}}

^ 記

## 1 口座に関する情報
| 金融機関名 | 本・支店名 | 預金種別 | 口座番号 | 口座名義人（フリガナ） |
|---|---|---|---|---|
| {{口座[].金融機関}} | {{口座[].支店}} | {{口座[].種別}} | {{口座[].番号}} | {{口座[].名義}} |

## 2 被害の状況
| 項目 | 内容 |
|---|---|
| {{事項[].項目}} | {{事項[].内容}} |

### 担当
{{担当.所属}}　{{担当.氏名}}
参照番号　{{参照番号}}
> 以上
`,
  sampleData: {
    宛先: { 名称: '見本銀行' },
    差出人: { 所属: 'サイバー犯罪対策課', 役職: '課長', 氏名: '山本 一郎' },
    本文: '　下記口座が詐欺に利用されている疑いがあるので、情報提供します。',
    口座: [{ 金融機関: '見本銀行(0000)', 支店: '本店(001)', 種別: '普通', 番号: '1234567', 名義: 'ﾐﾎﾝ ﾀﾛｳ' }],
    事項: [{ 項目: '振込日時', 内容: '令和7年6月1日' }],
    担当: { 所属: 'サイバー犯罪対策課', 氏名: '警部補　田中 誠' },
    参照番号: 'RQ-20250601-0000',
  },
};

export async function ensureRequestTemplates(p: Platform): Promise<void> {
  await ensureDocumentTemplates(p, [KOZA_TOKETSU]);
}

const ACCOUNT_JA: Record<string, string> = { futsu: '普通', toza: '当座' };

/** The letter's data: recipient, sender (unit and its head), items, type fields, reference. */
async function letterData(p: Platform, r: RequestTable, kind: 'letter' | 'withdrawal' | 'extension') {
  const db = p.db.db;
  const t = await requestType(p, r.type_code);
  const recipient = await db
    .selectFrom('request_recipients')
    .selectAll()
    .where('id', '=', r.recipient_id)
    .executeTakeFirstOrThrow();
  const unit = await db
    .selectFrom('units')
    .select(['name'])
    .where('id', '=', r.owner_unit_id)
    .executeTakeFirstOrThrow();
  const headRef = await findUnitHead(db, r.owner_unit_id);
  const head = headRef
    ? await db.selectFrom('users').select('name').where('id', '=', headRef.id).executeTakeFirst()
    : undefined;
  const drafter = await db.selectFrom('users').select('name').where('id', '=', r.created_by).executeTakeFirst();
  const items = await db
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', r.id)
    .orderBy('position')
    .execute();
  const fields = JSON.parse(r.fields) as Record<string, string | number>;
  const 事項: { 項目: string; 内容: string }[] = [
    { 項目: '根拠', 内容: t.legalBasis },
    ...t.fields.filter((f) => fields[f.key] !== undefined).map((f) => ({ 項目: f.label, 内容: String(fields[f.key]) })),
    ...items
      .filter((i) => i.kind !== 'bank_account')
      .map((i, n) => ({ 項目: `対象${n + 1}`, 内容: i.display.replace(/^http/i, 'hxxp') })),
  ];
  if (r.period_days) 事項.push({ 項目: '保全期間', 内容: `${r.period_days}日間（通じて60日を超えない）` });
  事項.push({ 項目: '参照番号', 内容: r.reference });
  const 口座 = items
    .filter((i) => i.kind === 'bank_account')
    .map((i) => {
      const d = JSON.parse(i.details) as Record<string, string>;
      return {
        金融機関: `${d.bankName}(${d.bankCode})`,
        支店: `${d.branchName}(${d.branchCode})`,
        種別: ACCOUNT_JA[d.accountType ?? ''] ?? '',
        番号: d.number ?? '',
        名義: d.holderKana ?? '',
      };
    });
  const subject = kind === 'withdrawal' ? `${t.name}の撤回` : kind === 'extension' ? `${t.name}の期間延長` : t.name;
  const body =
    kind === 'withdrawal'
      ? `　${r.document_number ?? ''}により依頼した${t.name}については、保全の必要がなくなったので撤回します。`
      : kind === 'extension'
        ? `　${r.document_number ?? ''}により依頼した${t.name}について、保全期間を通じて${r.period_days}日間に延長するよう依頼します。`
        : `　日頃から警察業務に御協力を賜り、厚く御礼申し上げます。\n　${t.legalBasis}に基づき、下記のとおり依頼します。回答の際は参照番号を記載願います。`;
  const data: TemplateObject = {
    宛先: { 名称: recipient.name, 役職: 'ご担当者' },
    差出人: { 所属: unit.name, 役職: '所属長', 氏名: head?.name ?? '' },
    件名: subject,
    本文: body,
    事項,
    口座,
    担当: { 所属: unit.name, 氏名: drafter?.name ?? '', 電話: '' },
    参照番号: r.reference,
  };
  return { data, template: kind === 'letter' ? t.templateCode : 'irai-bunsho', typeName: t.name };
}

/**
 * Renders the letter (or withdrawal / extension notice) with the unit's document number and today's 和暦 date, and
 * keeps it in the file store as the record of what was sent. Returns the stored file id.
 */
export async function renderAndKeep(
  p: Platform,
  r: RequestTable,
  kind: 'letter' | 'withdrawal' | 'extension',
  actor: AuditActor | null,
): Promise<{ fileId: string; pdf: Buffer; documentNumber: string }> {
  await ensureRequestTemplates(p);
  const { data, template } = await letterData(p, r, kind);
  const documentNumber = r.document_number ?? '';
  const pdf = await renderStoredTemplate(p, template, data, {
    documentNumber,
    date: todayJst(p.clock.now()),
    marking: { confidentiality: Math.max(2, r.confidentiality) as 2 | 3 },
  });
  const ref = await fileStoreFor(p).put(
    Readable.from([pdf]),
    {
      ownerType: 'request',
      ownerId: r.id,
      originalName: `${kind}-${r.reference}.pdf`,
      declaredType: 'application/pdf',
    },
    actor,
  );
  await p.db.db
    .insertInto('request_documents')
    .values({
      id: randomUUID(),
      request_id: r.id,
      kind,
      file_id: ref.id,
      document_number: documentNumber,
      mail_id: null,
      created_by: actor?.id ?? null,
      created_at: p.clock.now().toISOString(),
    })
    .execute();
  return { fileId: ref.id, pdf, documentNumber };
}
