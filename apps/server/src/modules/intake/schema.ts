import { Type } from 'typebox';
import { INTAKE_CATEGORIES } from '@renkei/core/intake/index';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const Strings = (max = 20) => Type.Array(S(500, 1), { maxItems: max });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CHANNELS = ['web', 'phone', 'counter', 'mail', 'npa_online', 'ihc', 'patrol', 'partner'] as const;
export const STAFF_CHANNELS = CHANNELS.filter((c) => c !== 'web');
export const KINDS = ['report', 'consultation', 'information'] as const;
export const REPORTER_TYPES = ['individual', 'business', 'anonymous'] as const;
export const STATUSES = ['received', 'assigned', 'in_progress', 'closed'] as const;
export const OUTCOMES = [
  'advice',
  'referred_ipa',
  'referred_consumer_center',
  'referred_legal_affairs',
  'referred_ihaho',
  'case_opened',
  'no_further_action',
] as const;
export const ROLES = ['suspect', 'victim', 'unknown'] as const;
/** Plain-language choices of the public form (what happened), each mapped to one category. */
export const WHAT_HAPPENED = {
  money: '詐欺・悪質商法',
  auction: 'インターネットオークション',
  posted_about_me: '名誉毀損・誹謗中傷等',
  account: '不正アクセス・コンピュータウイルス',
  virus: '不正アクセス・コンピュータウイルス',
  message: '迷惑メール',
  illegal_content: '違法・有害情報',
  other: 'その他',
} as const;

const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));

export const Contact = Obj({
  name: Opt(S(100)),
  nameKana: Opt(S(100)),
  birthDate: Opt(DateOnly),
  address: Opt(S(300)),
  phone: Opt(S(40)),
  email: Opt(S(254)),
  organisation: Opt(S(200)),
});

export const Indicators = Obj({
  urls: Opt(Strings()),
  phones: Opt(Strings()),
  smsSenders: Opt(Strings()),
  bankAccounts: Opt(Strings()),
  wallets: Opt(Strings()),
  snsAccounts: Opt(Strings()),
  emails: Opt(Strings()),
});

/** The NCO common template (domain.md §3) for business victims: ransomware and DDoS. */
export const Business = Obj({
  incidentType: lit(['ransomware', 'ddos', 'other'] as const),
  occurredAt: Opt(S(40)),
  discoveredAt: Opt(S(40)),
  currentState: Opt(lit(['recovered', 'ongoing', 'intermittent'] as const)),
  impact: Opt(S(2000)),
  initialResponse: Opt(S(2000)),
  criticalInfrastructure: Opt(Type.Boolean()),
  ransomNote: Opt(S(10000)),
  encryptedExtension: Opt(S(100)),
  encrypted: Opt(Type.Boolean()),
  leakThreat: Opt(Type.Boolean()),
  ransomDemanded: Opt(Type.Boolean()),
  intrusionVector: Opt(S(500)),
  iocs: Opt(S(10000)),
  ddosType: Opt(lit(['T1498', 'T1498.001', 'T1498.002', 'T1499', 'other'] as const)),
  peakGbps: Opt(Type.Number({ minimum: 0, maximum: 1e6 })),
  peakPps: Opt(Type.Number({ minimum: 0, maximum: 1e12 })),
  durationMinutes: Opt(Type.Integer({ minimum: 0, maximum: 1e7 })),
  mitigation: Opt(S(2000)),
});

export const Consent = Obj({ shareWithBanks: Opt(Type.Boolean()), shareWithNco: Opt(Type.Boolean()) });

const commonFields = {
  kind: lit(KINDS),
  reporterType: lit(REPORTER_TYPES),
  contact: Opt(Contact),
  whatHappened: Opt(Type.Array(lit(Object.keys(WHAT_HAPPENED) as (keyof typeof WHAT_HAPPENED)[]), { maxItems: 8 })),
  occurredOn: Opt(DateOnly),
  narrative: S(20000, 1),
  amountYen: Opt(Type.Integer({ minimum: 0, maximum: 1e13 })),
  indicators: Opt(Indicators),
  business: Opt(Business),
  consent: Opt(Consent),
};

/** `POST /api/public/reports` (INTERFACES.md). `website` is the honeypot: people never see it, bots fill it. */
export const PublicReport = Obj({ ...commonFields, website: Opt(S(500)) });

export const FiveW1H = Obj({
  who: Opt(S(2000)),
  what: Opt(S(2000)),
  when: Opt(S(500)),
  where: Opt(S(500)),
  why: Opt(S(2000)),
  how: Opt(S(2000)),
});

/** The Internet Hotline Center fields (domain.md §2.2). */
export const Ihc = Obj({
  category: Opt(S(200)),
  referenceNumber: Opt(S(100)),
  judgmentDate: Opt(DateOnly),
  url: Opt(S(2000)),
  preservationHold: Opt(Type.Boolean()),
  deletionRequestedOn: Opt(DateOnly),
  deletionConfirmedOn: Opt(DateOnly),
});

export const StaffReport = Obj({
  ...commonFields,
  channel: lit(STAFF_CHANNELS),
  receivedAt: Opt(Type.String({ format: 'date-time' })),
  victim: Opt(Contact),
  fiveW1H: Opt(FiveW1H),
  npa: Opt(Obj({ prefecture: Opt(S(20)), routedUnitId: Opt(S(36)), reference: Opt(S(100)) })),
  ihc: Opt(Ihc),
  partner: Opt(Obj({ name: S(100, 1), reference: Opt(S(100)) })),
  patrol: Opt(Obj({ foundOn: Opt(DateOnly), location: Opt(S(2000)) })),
  confidentiality: Opt(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
  category: Opt(lit(INTAKE_CATEGORIES)),
  note: Opt(S(5000)),
});

export const Receipt = Obj({ receiptNumber: Type.String(), statusToken: Type.String() });

export const ReceiptParams = Obj({ receiptNumber: S(40, 1) });
export const IdParams = Obj({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
export const ObservableParams = Obj({
  id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  observableId: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
});
export const FileParams = Obj({
  id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  fileId: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
});

export const Addition = Obj({ text: S(20000, 1) });

export const PublicStatus = Obj({
  receiptNumber: Type.String(),
  receivedAt: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  message: Type.Union([Type.String(), Type.Null()]),
  additions: Type.Array(Obj({ createdAt: Type.String() })),
  attachments: Type.Integer(),
  updatedAt: Type.String(),
});

export const QueueQuery = Obj({
  status: Opt(lit(STATUSES)),
  category: Opt(S(50)),
  channel: Opt(lit(CHANNELS)),
  cluster: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  olderThanHours: Opt(Type.String({ pattern: '^\\d{1,5}$' })),
  urgent: Opt(lit(['true', 'false'] as const)),
  unit: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  cursor: Opt(S(400)),
  limit: Opt(Type.String({ pattern: '^\\d{1,3}$' })),
});

export const AssignBody = Obj({
  assigneeId: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  unitId: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
});
export const CategoryBody = Obj({ category: lit(INTAKE_CATEGORIES) });
export const RoleBody = Obj({ role: lit(ROLES) });
export const CloseBody = Obj({ outcome: lit(OUTCOMES), message: Opt(S(2000)) });
export const NoteBody = Obj({ body: S(10000, 1) });
export const StatusBody = Obj({ status: lit(['in_progress'] as const) });
export const BulkBody = Obj({
  ids: Type.Array(Type.String({ pattern: '^[0-9a-f-]{36}$' }), { minItems: 1, maxItems: 200 }),
  action: lit(['acknowledge', 'assign', 'route', 'category', 'close'] as const),
  assigneeId: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  unitId: Opt(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  category: Opt(lit(INTAKE_CATEGORIES)),
  outcome: Opt(lit(OUTCOMES)),
  message: Opt(S(2000)),
});
export const PromoteBody = Obj({ name: S(200, 1), description: Opt(S(2000)) });
export const SuggestBody = Obj({ text: S(20000, 1) });
export const RoutingRule = Obj({
  category: Type.Union([lit(INTAKE_CATEGORIES), Type.Null()]),
  urgent: Type.Union([Type.Boolean(), Type.Null()]),
  target: lit(['cyber', 'receiving', 'unit'] as const),
  targetUnitId: Opt(Type.Union([Type.String({ pattern: '^[0-9a-f-]{36}$' }), Type.Null()])),
  enabled: Opt(Type.Boolean()),
  note: Opt(S(500)),
});
export const RoutingRulesBody = Obj({ rules: Type.Array(RoutingRule, { maxItems: 100 }) });
