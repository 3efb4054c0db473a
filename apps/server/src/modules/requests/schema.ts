import { Type } from 'typebox';
import { ITEM_OUTCOMES, RECIPIENT_KINDS, STATUSES } from './vocab.ts';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const Enum = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = S(64, 1);

export const IdParams = Obj({ requestId: Id });
export const SubParams = Obj({ requestId: Id, sub: Id });
export const SourceParams = Obj({ kind: Enum(['campaign', 'case'] as const), id: Id });
export const BankParams = Obj({ code: Type.String({ pattern: '^[0-9]{4}$' }) });

export const ListQuery = Obj({
  status: Opt(Enum(STATUSES)),
  typeCode: Opt(S(64, 1)),
  recipientId: Opt(Id),
  caseId: Opt(Id),
  campaignId: Opt(Id),
  cursor: Opt(S(512)),
  limit: Opt(Type.String({ pattern: '^[0-9]{1,3}$' })),
});

const Account = Obj({
  bankCode: S(8, 1),
  branchCode: S(8, 1),
  accountType: Enum(['futsu', 'toza'] as const),
  number: S(16, 1),
  holderKana: S(100, 1),
});

export const NewRequest = Obj({
  typeCode: S(64, 1),
  recipientId: Id,
  title: S(200, 1),
  confidentiality: Opt(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
  caseId: Opt(Id),
  reportId: Opt(Id),
  campaignId: Opt(Id),
  fields: Type.Record(Type.String({ maxLength: 64 }), Type.Union([S(4000), Type.Number()])),
  items: Type.Array(
    Obj({
      kind: S(32, 1),
      value: Opt(S(2048)),
      observableId: Opt(Id),
      recipientId: Opt(Id),
      account: Opt(Account),
    }),
    { minItems: 1, maxItems: 500 },
  ),
  periodDays: Opt(Type.Integer({ minimum: 1, maximum: 366 })),
});

export const StatusChange = Obj({
  to: Enum(['acknowledged', 'done', 'refused', 'expired'] as const),
  note: Opt(S(2000)),
});
export const Send = Obj({ via: Enum(['mail', 'print'] as const) });
export const Extend = Obj({ days: Type.Integer({ minimum: 1, maximum: 366 }) });
export const Withdraw = Obj({ note: Opt(S(2000)) });
export const Outcome = Obj({ outcome: Enum(ITEM_OUTCOMES) });

export const NewRecipient = Obj({
  name: S(200, 1),
  kind: Enum(RECIPIENT_KINDS),
  abuseEmail: Opt(Type.String({ maxLength: 254, format: 'email' })),
  legalEmail: Opt(Type.String({ maxLength: 254, format: 'email' })),
  fax: Opt(S(40)),
  phone: Opt(S(40)),
  address: Opt(S(400)),
  bankCode: Opt(Type.String({ pattern: '^[0-9]{4}$' })),
  notes: Opt(S(2000)),
});
export const RecipientQuery = Obj({ kind: Opt(Enum(RECIPIENT_KINDS)) });

/** POST /takedowns: the URLs grouped by hosting provider into one draft per provider (takedowns.ts). */
export const Takedowns = Obj({
  urls: Type.Array(Type.String({ maxLength: 2048, minLength: 1, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' }), {
    minItems: 1,
    maxItems: 200,
  }),
  title: S(200, 1),
  reason: Opt(S(4000)),
  typeCode: Opt(Enum(['takedown', 'c2_teishi'] as const)),
  fields: Opt(Type.Record(Type.String({ maxLength: 64 }), Type.Union([S(4000), Type.Number()]))),
  campaignId: Opt(Id),
  caseId: Opt(Id),
  capture: Opt(Type.Boolean()),
  screenshot: Opt(Type.Boolean()),
  profile: Opt(Enum(['desktop', 'iphone', 'android'] as const)),
});
