import { Type } from 'typebox';
import { PARTNER_KINDS, TLP_CEILINGS } from './egress.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Uuid = Type.String({ pattern: '^[0-9a-f-]{36}$' });
const Contact = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    role: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid });

export const PartnerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: lit(PARTNER_KINDS),
    tlpMax: Type.Optional(lit(TLP_CEILINGS)),
    official: Type.Optional(Type.Boolean()),
    agreement: Type.Optional(Type.String({ maxLength: 2000 })),
    agreementSignedOn: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const PartnerPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(lit(PARTNER_KINDS)),
    tlpMax: Type.Optional(lit(TLP_CEILINGS)),
    official: Type.Optional(Type.Boolean()),
    agreement: Type.Optional(Type.String({ maxLength: 2000 })),
    agreementSignedOn: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const TokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 730 }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** `partner`: a partner id, or absent for the public. */
export const ExportQuery = Type.Object(
  {
    partner: Type.Optional(Uuid),
    since: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    partner: Type.Optional(Uuid),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    format: Type.Optional(lit(['txt', 'csv'] as const)),
  },
  { additionalProperties: false },
);

export const ImportQuery = Type.Object(
  {
    partner: Type.Optional(Uuid),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    tlp: Type.Optional(lit(['clear', 'green', 'amber', 'amber+strict', 'red'] as const)),
  },
  { additionalProperties: false },
);

export const MarkingBody = Type.Object(
  {
    objectType: lit(['observable', 'intel_entity'] as const),
    objectId: Uuid,
    confidentiality: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    recipients: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    personal: Type.Optional(Type.Array(lit(['reporter', 'victim', 'suspect'] as const), { maxItems: 3 })),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
