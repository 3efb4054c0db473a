import { Type } from 'typebox';
import { Business } from '../../intake/schema.ts';
import { CHANNELS, DIRECTIONS, SCOPES, SOURCES, STATUSES } from './assistance.ts';
import { JOINT_KINDS, PARTNER_KINDS } from './service.ts';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
const Id = Type.String({ pattern: '^[0-9a-f-]{36}$' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CaseParams = Obj({ caseId: Id });
export const CaseItemParams = Obj({ caseId: Id, id: Id });
export const IdParams = Obj({ id: Id });
export const FileParams = Obj({ id: Id, fileId: Id });
export const CheckParams = Obj({ caseId: Id, code: S(40, 1) });

export const Joint = Obj({
  kind: lit(JOINT_KINDS),
  partnerKind: lit(PARTNER_KINDS),
  partnerName: S(200, 1),
  startedOn: DateOnly,
  endedOn: Opt(DateOnly),
  notes: Opt(S(4000)),
});
export const Share = Obj({
  direction: lit(['sent', 'received'] as const),
  sharedAt: Opt(Type.String({ format: 'date-time' })),
  what: S(2000, 1),
  channel: Opt(S(100)),
});
export const PackageExport = Obj({
  partnerId: Opt(Id),
  jointId: Opt(Id),
  timelineIds: Opt(Type.Array(Id, { maxItems: 5000 })),
  observables: Opt(Type.Boolean()),
});
export const PackageImportQuery = Obj({ partner: Opt(Id), joint: Opt(Id), name: Opt(S(200)) });

export const Assistance = Obj({
  scope: lit(SCOPES),
  direction: lit(DIRECTIONS),
  source: lit(SOURCES),
  caseId: Opt(Id),
  counterpart: S(200, 1),
  channel: Opt(lit(CHANNELS)),
  reference: Opt(S(100)),
  subject: S(500, 1),
  details: Opt(S(10000)),
  requestedOn: DateOnly,
  dueOn: Opt(DateOnly),
});
export const AssistancePatch = Obj({
  status: Opt(lit(STATUSES)),
  sentOn: Opt(DateOnly),
  answeredOn: Opt(DateOnly),
  dueOn: Opt(DateOnly),
  reference: Opt(S(100)),
  caseId: Opt(Id),
});
export const AssistanceQuery = Obj({
  scope: Opt(lit(SCOPES)),
  direction: Opt(lit(DIRECTIONS)),
  caseId: Opt(Id),
  cursor: Opt(S(400)),
  limit: Opt(Type.String({ pattern: '^[0-9]{1,3}$' })),
});

export const NpaReport = Obj({
  kind: lit(['periodic', 'immediate'] as const),
  period: Opt(Type.String({ pattern: '^\\d{4}-\\d{2}$' })),
  caseId: Opt(Id),
  note: Opt(S(4000)),
});

export const VictimProfile = Obj({ fields: Business, ncoConsent: Type.Boolean() });
export const Tick = Obj({ done: Type.Boolean() });
