/**
 * The observable vocabulary: types, their Japanese labels and expiry, the roles an occurrence can carry, and the
 * per-type sharing rule with its legal basis (issue 5 §1; used by issue 9's egress policy through `mayShare`).
 * Pure data and pure functions: no I/O.
 */

export const OBSERVABLE_TYPES = [
  'url',
  'domain',
  'ipv4',
  'ipv6',
  'cidr',
  'asn',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ssdeep',
  'phone',
  'bank_account',
  'btc',
  'eth',
  'xmr',
  'sns_account',
  'cve',
  'file_name',
  'postal_address',
  'payment_card',
] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export function isObservableType(v: string): v is ObservableType {
  return (OBSERVABLE_TYPES as readonly string[]).includes(v);
}

export const TYPE_LABELS: Record<ObservableType, { ja: string; en: string }> = {
  url: { ja: 'URL', en: 'URL' },
  domain: { ja: 'ドメイン', en: 'Domain' },
  ipv4: { ja: 'IPアドレス (v4)', en: 'IPv4 address' },
  ipv6: { ja: 'IPアドレス (v6)', en: 'IPv6 address' },
  cidr: { ja: 'IPアドレス帯', en: 'IP prefix' },
  asn: { ja: 'AS番号', en: 'AS number' },
  email: { ja: 'メールアドレス', en: 'E-mail address' },
  md5: { ja: 'ハッシュ値 (MD5)', en: 'MD5' },
  sha1: { ja: 'ハッシュ値 (SHA-1)', en: 'SHA-1' },
  sha256: { ja: 'ハッシュ値 (SHA-256)', en: 'SHA-256' },
  sha512: { ja: 'ハッシュ値 (SHA-512)', en: 'SHA-512' },
  ssdeep: { ja: 'ファジーハッシュ (ssdeep)', en: 'ssdeep' },
  phone: { ja: '電話番号', en: 'Phone number' },
  bank_account: { ja: '銀行口座', en: 'Bank account' },
  btc: { ja: '暗号資産アドレス (BTC)', en: 'Bitcoin address' },
  eth: { ja: '暗号資産アドレス (ETH)', en: 'Ethereum address' },
  xmr: { ja: '暗号資産アドレス (XMR)', en: 'Monero address' },
  sns_account: { ja: 'SNSアカウント', en: 'Social media account' },
  cve: { ja: '脆弱性 (CVE)', en: 'CVE' },
  file_name: { ja: 'ファイル名', en: 'File name' },
  postal_address: { ja: '住所（荷受代行等）', en: 'Postal address' },
  payment_card: { ja: 'クレジットカード（BIN・下4桁）', en: 'Payment card (BIN + last four)' },
};

/** Days after the last sighting when an indicator of the type stops being treated as current (null: never). */
export const EXPIRY_DAYS: Record<ObservableType, number | null> = {
  url: 180,
  domain: 365,
  ipv4: 90,
  ipv6: 90,
  cidr: 180,
  asn: null,
  email: 365,
  md5: null,
  sha1: null,
  sha256: null,
  sha512: null,
  ssdeep: null,
  phone: 365,
  bank_account: 730,
  btc: 730,
  eth: 730,
  xmr: 730,
  sns_account: 365,
  cve: null,
  file_name: 365,
  postal_address: 365,
  payment_card: 730,
};

export function expiresAt(type: ObservableType, lastSeen: string): string | null {
  const days = EXPIRY_DAYS[type];
  if (days === null) return null;
  return new Date(Date.parse(lastSeen) + days * 86_400_000).toISOString();
}

/** Whose value it is, as decided for one occurrence: 加害者側 / 被害者側 / 不明. */
export const ROLES = ['suspect', 'victim', 'unknown'] as const;
export type OccurrenceRole = (typeof ROLES)[number];
export const ROLE_LABELS: Record<OccurrenceRole, { ja: string; en: string }> = {
  suspect: { ja: '加害者側', en: 'Suspect side' },
  victim: { ja: '被害者側', en: 'Victim side' },
  unknown: { ja: '不明', en: 'Unknown' },
};

/** Types that identify a person (電話番号・口座・住所…): victim-side reads are audited, sharing is narrow. */
export const PERSONAL_TYPES: ReadonlySet<ObservableType> = new Set<ObservableType>([
  'email',
  'phone',
  'bank_account',
  'sns_account',
  'postal_address',
  'payment_card',
  'btc',
  'eth',
  'xmr',
]);

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLabel = (typeof TLPS)[number];

/** Who a value might be given to (issue 9's partners are each of one kind). */
export const RECIPIENT_KINDS = ['police', 'jc3', 'bank', 'telecom', 'isp', 'vendor', 'public'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface SharingRule {
  types: readonly ObservableType[];
  role: OccurrenceRole;
  recipients: readonly RecipientKind[];
  /** 法的根拠 / legal basis, shown to the person approving the egress and recorded with it. */
  basis: string;
}

const TECHNICAL: readonly ObservableType[] = [
  'url',
  'domain',
  'ipv4',
  'ipv6',
  'cidr',
  'asn',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ssdeep',
  'cve',
  'file_name',
];

/**
 * What may be shared with whom. Anything not listed is refused (deny by default). Victim-side phone numbers, bank
 * accounts and other personal values appear in no rule, so they are never shareable. The texts are the reference
 * for 法務 review; changing a rule is a code change, reviewed like one, and the migration mirrors this list into
 * the `intel_sharing_rules` table for reports.
 */
export const SHARING_RULES: readonly SharingRule[] = [
  {
    types: ['bank_account'],
    role: 'suspect',
    recipients: ['bank'],
    basis:
      '犯罪利用預金口座等に係る資金による被害回復分配金の支払等に関する法律（振り込め詐欺救済法）第3条第1項：捜査機関等からの情報提供に基づく取引停止等の措置',
  },
  {
    types: ['phone'],
    role: 'suspect',
    recipients: ['telecom'],
    basis:
      '携帯音声通信事業者による契約者等の本人確認等及び携帯音声通信役務の不正な利用の防止に関する法律（警察署長による契約者確認の求め）',
  },
  {
    types: ['bank_account', 'phone', 'email', 'sns_account', 'postal_address', 'btc', 'eth', 'xmr'],
    role: 'suspect',
    recipients: ['police', 'jc3'],
    basis: '個人情報の保護に関する法律 第69条第2項第3号（他の行政機関等への相当の理由のある提供）・警察の共助',
  },
  {
    types: ['btc', 'eth', 'xmr'],
    role: 'suspect',
    recipients: ['vendor'],
    basis: '犯罪収益移転防止法の趣旨に基づく暗号資産交換業者への不正利用情報の提供（TLP の範囲内）',
  },
  {
    types: ['email', 'sns_account'],
    role: 'suspect',
    recipients: ['isp'],
    basis: '情報流通プラットフォーム対処法に基づく送信防止措置・利用停止の要請（不正利用の疎明に必要な範囲）',
  },
  {
    types: TECHNICAL,
    role: 'suspect',
    recipients: ['police', 'jc3', 'isp', 'vendor', 'public'],
    basis: '技術的指標（個人を識別しない情報）：TLP と連携協定の範囲で共有。公開は TLP:CLEAR に限る',
  },
  {
    types: TECHNICAL,
    role: 'unknown',
    recipients: ['police', 'jc3', 'vendor'],
    basis: '技術的指標（個人を識別しない情報）：役割未確定のため公開・事業者への措置要請は不可',
  },
  {
    types: TECHNICAL,
    role: 'victim',
    recipients: ['police', 'jc3'],
    basis: '被害者側の技術的情報（被害端末・被害サイト）：被害拡大防止のため警察・JC3 に限り共有',
  },
  {
    types: ['payment_card'],
    role: 'suspect',
    recipients: ['police'],
    basis: 'BIN と下4桁のみ保持。割賦販売法の安全管理措置に照らし警察内部に限る',
  },
];

/** The sharing decision issue 9's egress policy asks: may a value of this type and role go to this kind? */
export function mayShare(type: ObservableType, role: OccurrenceRole, recipient: RecipientKind): boolean {
  return sharingBasis(type, role, recipient) !== null;
}

/** The legal basis that allows it, or null when sharing is refused. */
export function sharingBasis(type: ObservableType, role: OccurrenceRole, recipient: RecipientKind): string | null {
  for (const r of SHARING_RULES) {
    if (r.role === role && r.types.includes(type) && r.recipients.includes(recipient)) return r.basis;
  }
  return null;
}

/** Flattened rows for the vocabulary table. */
export function sharingRows(): {
  type: ObservableType;
  role: OccurrenceRole;
  recipient_kind: RecipientKind;
  legal_basis: string;
}[] {
  const out = new Map<
    string,
    { type: ObservableType; role: OccurrenceRole; recipient_kind: RecipientKind; legal_basis: string }
  >();
  for (const r of SHARING_RULES) {
    for (const type of r.types) {
      for (const recipient of r.recipients) {
        const key = `${type}|${r.role}|${recipient}`;
        if (!out.has(key)) out.set(key, { type, role: r.role, recipient_kind: recipient, legal_basis: r.basis });
      }
    }
  }
  return [...out.values()];
}

/** Warning lists shipped with the product (editable afterwards): very common values that are marked, not cut off. */
export const SEED_WARNING_LISTS: {
  code: string;
  name: string;
  description: string;
  entries: [ObservableType, string][];
}[] = [
  {
    code: 'public-resolvers',
    name: '公開DNSリゾルバ',
    description: '広く使われる公開DNSリゾルバ。多数の事案に現れても関連を示さない。',
    entries: [
      ['ipv4', '8.8.8.8'],
      ['ipv4', '8.8.4.4'],
      ['ipv4', '1.1.1.1'],
      ['ipv4', '1.0.0.1'],
      ['ipv4', '9.9.9.9'],
      ['ipv4', '149.112.112.112'],
      ['ipv4', '208.67.222.222'],
      ['ipv4', '208.67.220.220'],
      ['ipv6', '2001:4860:4860::8888'],
      ['ipv6', '2001:4860:4860::8844'],
      ['ipv6', '2606:4700:4700::1111'],
      ['ipv6', '2606:4700:4700::1001'],
    ],
  },
  {
    code: 'big-platforms',
    name: '大手プラットフォーム',
    description: '大手サービスの正規ドメイン。悪用URLのドメイン部分として頻出する。',
    entries: (
      [
        'google.com',
        'google.co.jp',
        'youtube.com',
        'line.me',
        'amazon.co.jp',
        'amazon.com',
        'yahoo.co.jp',
        'rakuten.co.jp',
        'microsoft.com',
        'live.com',
        'outlook.com',
        'apple.com',
        'icloud.com',
        'facebook.com',
        'instagram.com',
        'x.com',
        'twitter.com',
        'docomo.ne.jp',
        'au.com',
        'softbank.jp',
        'gmail.com',
        'github.com',
        'cloudflare.com',
        'dropbox.com',
      ] as const
    ).map((d): [ObservableType, string] => ['domain', d]),
  },
];
