/**
 * Request types (domain.md §4–§6), seeded into `request_types` by migration 0013 and editable there. `fields` are
 * the per-type fields a request of the type carries (validated by the service); `rules` the time limits.
 */
export interface FieldDef {
  key: string;
  label: string;
  required: boolean;
  /** text | date | number | select */
  kind: 'text' | 'date' | 'number' | 'select';
  options?: string[];
}

export interface TypeRules {
  /** Default days until a reply is due (reminder at due, escalation after `escalateAfterDays` more). */
  replyDays: number;
  escalateAfterDays: number;
  /** 通信履歴保全: first period and the total ceiling (刑訴法197条3項・4項). */
  preservationDays?: number;
  preservationMaxDays?: number;
  /** Days before the end of the period when a warning is raised. */
  warnBeforeDays?: number;
  /** The items are bank/transfer accounts to validate (zengin) or wallets. */
  itemKind?: 'url' | 'account' | 'wallet' | 'phone' | 'any';
  /** print: sent by FAX in practice. */
  delivery: 'mail' | 'print';
}

export interface RequestTypeSeed {
  code: string;
  name: string;
  legalBasis: string;
  recipientKinds: string[];
  fields: FieldDef[];
  rules: TypeRules;
  template: string;
}

const t = (key: string, label: string, required = false, kind: FieldDef['kind'] = 'text'): FieldDef => ({
  key,
  label,
  required,
  kind,
});

export const REQUEST_TYPES: readonly RequestTypeSeed[] = [
  {
    code: 'sosa_shokai',
    name: '捜査関係事項照会',
    legalBasis: '刑事訴訟法第197条第2項',
    recipientKinds: ['isp', 'hosting', 'sns', 'carrier', 'other'],
    fields: [t('照会事項', '照会事項', true), t('対象期間', '対象期間'), t('回答方法', '回答方法')],
    rules: { replyDays: 14, escalateAfterDays: 7, itemKind: 'any', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'hozen_yosei',
    name: '通信履歴保全要請',
    legalBasis: '刑事訴訟法第197条第3項',
    recipientKinds: ['isp', 'carrier', 'hosting', 'other'],
    fields: [t('保全対象記録', '保全を求める記録（送信元・送信先・通信日時等）', true), t('対象期間', '対象期間')],
    rules: {
      replyDays: 7,
      escalateAfterDays: 3,
      preservationDays: 30,
      preservationMaxDays: 60,
      warnBeforeDays: 5,
      itemKind: 'any',
      delivery: 'mail',
    },
    template: 'irai-bunsho',
  },
  {
    code: 'takedown',
    name: 'テイクダウン依頼',
    legalBasis: '任意の協力依頼',
    recipientKinds: ['hosting', 'registrar', 'coordinator'],
    fields: [t('依頼理由', '依頼理由', true), t('調整機関', '調整機関（JPCERT/CC 等）')],
    rules: { replyDays: 3, escalateAfterDays: 2, itemKind: 'url', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'c2_teishi',
    name: 'C2サーバ停止依頼',
    legalBasis: '任意の協力依頼',
    recipientKinds: ['hosting', 'isp', 'coordinator'],
    fields: [t('マルウェア名', 'マルウェア名'), t('依頼理由', '依頼理由', true)],
    rules: { replyDays: 3, escalateAfterDays: 2, itemKind: 'any', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'koza_toketsu',
    name: '口座凍結検討依頼',
    legalBasis: '犯罪利用預金口座等に係る資金による被害回復分配金の支払等に関する法律第3条第1項',
    recipientKinds: ['bank'],
    fields: [
      t('被害者振込日時', '被害者の振込日時', true, 'date'),
      t('振込金額', '振込金額（円）', true, 'number'),
      {
        key: '振込方法',
        label: '振込方法',
        required: false,
        kind: 'select',
        options: ['ATM', 'ネットバンキング', '窓口'],
      },
      t('同意', '金融機関への情報提供の同意', true),
    ],
    rules: { replyDays: 2, escalateAfterDays: 1, itemKind: 'account', delivery: 'print' },
    template: 'koza-toketsu',
  },
  {
    code: 'shikin_ido_toketsu',
    name: '口座凍結検討依頼（資金移動業者）',
    legalBasis: '資金決済に関する法律・任意の協力依頼',
    recipientKinds: ['funds_transfer'],
    fields: [t('アカウント情報', 'アカウント情報', true), t('被害額', '被害額（円）', false, 'number')],
    rules: { replyDays: 2, escalateAfterDays: 1, itemKind: 'any', delivery: 'print' },
    template: 'irai-bunsho',
  },
  {
    code: 'angoshisan_toketsu',
    name: '口座凍結検討依頼（暗号資産交換業者）',
    legalBasis: '資金決済に関する法律・任意の協力依頼',
    recipientKinds: ['crypto_exchange'],
    fields: [t('ウォレット', '対象ウォレットアドレス', true), t('被害額', '被害額（円）', false, 'number')],
    rules: { replyDays: 2, escalateAfterDays: 1, itemKind: 'wallet', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'sakujo',
    name: '削除依頼',
    legalBasis: '送信防止措置依頼（任意の協力依頼）',
    recipientKinds: ['hosting', 'sns', 'bbs', 'other'],
    fields: [t('違法有害情報の種別', '違法・有害情報の種別', true), t('IHC参照番号', 'IHC参照番号')],
    rules: { replyDays: 7, escalateAfterDays: 3, itemKind: 'url', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'sms_shadan',
    name: 'SMS遮断情報提供',
    legalBasis: '情報提供（任意）',
    recipientKinds: ['carrier', 'coordinator'],
    fields: [t('SMS本文', 'SMS本文の要旨', true), t('送信元番号', '送信元番号')],
    rules: { replyDays: 7, escalateAfterDays: 7, itemKind: 'phone', delivery: 'mail' },
    template: 'irai-bunsho',
  },
  {
    code: 'joho_teikyo',
    name: '情報提供・働き掛け',
    legalBasis: '情報提供（任意）',
    recipientKinds: ['isp', 'hosting', 'sns', 'carrier', 'registrar', 'coordinator', 'other'],
    fields: [t('要旨', '提供する情報・働き掛けの要旨', true)],
    rules: { replyDays: 14, escalateAfterDays: 7, itemKind: 'any', delivery: 'mail' },
    template: 'irai-bunsho',
  },
];

export const RECIPIENT_KINDS = [
  'isp',
  'hosting',
  'registrar',
  'sns',
  'bbs',
  'carrier',
  'bank',
  'funds_transfer',
  'crypto_exchange',
  'coordinator',
  'other',
] as const;

export const STATUSES = [
  'draft',
  'approved',
  'sent',
  'acknowledged',
  'done',
  'refused',
  'expired',
  'withdrawn',
] as const;
export type RequestStatus = (typeof STATUSES)[number];

/** Allowed transitions: from → to. Approval and sending have their own checks in the service. */
export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  draft: ['approved'],
  approved: ['sent'],
  sent: ['acknowledged', 'done', 'refused', 'expired', 'withdrawn'],
  acknowledged: ['done', 'refused', 'expired', 'withdrawn'],
  done: ['withdrawn'],
  refused: [],
  expired: [],
  withdrawn: [],
};

/** Item outcomes: what came back per URL, account or number. */
export const ITEM_OUTCOMES = [
  'pending',
  'taken_down',
  'frozen',
  'preserved',
  'answered',
  'refused',
  'no_action',
] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];
