import { Type } from 'typebox';
import { CASE_STAGES, CASE_STATUSES, CASE_TYPES, MEMBER_ROLES, PERSON_KINDS } from './tables.ts';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const Enum = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Id = S(64, 1);
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const HANDLING = ['複製禁止', '配布禁止', '持出禁止', '閲覧者限定'] as const;
export const DAMAGE_METHODS = [
  'ib_transfer',
  'card_fraud',
  'ransom',
  'e_money',
  'crypto',
  'bank_transfer',
  'business_loss',
  'other',
] as const;

export const IdParams = Obj({ caseId: Id });
export const SubParams = Obj({ caseId: Id, sub: Id });

export const NewCase = Obj({
  title: S(200, 1),
  summary: Opt(S(10_000)),
  type: Enum(CASE_TYPES),
  classificationCode: Opt(Type.Union([S(64, 1), Type.Null()])),
  confidentiality: Opt(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
  handling: Opt(Type.Array(Enum(HANDLING), { maxItems: 4 })),
  tlp: Opt(Enum(TLPS)),
  recognisedOn: Opt(DateOnly),
  /** Open the case from an intake report: linked, its values become case observables. */
  reportId: Opt(Id),
});

export const CaseChange = Obj({
  title: Opt(S(200, 1)),
  summary: Opt(S(10_000)),
  classificationCode: Opt(Type.Union([S(64, 1), Type.Null()])),
  type: Opt(Enum(CASE_TYPES)),
  status: Opt(Enum(CASE_STATUSES)),
  stage: Opt(Enum(CASE_STAGES)),
  /** The day the new stage was reached (検挙日・送致日); defaults to today (JST). */
  stageOn: Opt(DateOnly),
  confidentiality: Opt(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
  handling: Opt(Type.Array(Enum(HANDLING), { maxItems: 4 })),
  tlp: Opt(Enum(TLPS)),
});

export const ListQuery = Obj({
  cursor: Opt(S(500)),
  limit: Opt(S(4)),
  q: Opt(S(100, 1)),
  status: Opt(Enum(CASE_STATUSES)),
  stage: Opt(Enum(CASE_STAGES)),
  type: Opt(Enum(CASE_TYPES)),
  leadUnitId: Opt(Id),
  classification: Opt(S(64, 1)),
});
export const PageQuery = Obj({ cursor: Opt(S(500)), limit: Opt(S(4)) });
export const StatsQuery = Obj({ year: S(4, 4) });

/** The person by id or by login (one of the two). */
export const NewMember = Obj({ userId: Opt(Id), login: Opt(S(100, 1)), role: Enum(MEMBER_ROLES) });
export const Override = Obj({ reason: S(1000, 10) });
export const NewUnit = Obj({ unitId: Id });
export const NewTimeline = Obj({ body: S(10_000, 1), at: Opt(Type.String({ format: 'date-time' })) });
export const NewTask = Obj({ title: S(300, 1), assigneeId: Opt(Type.Union([Id, Type.Null()])), dueOn: Opt(DateOnly) });
export const TaskChange = Obj({
  status: Opt(Enum(['open', 'done'] as const)),
  assigneeId: Opt(Type.Union([Id, Type.Null()])),
  dueOn: Opt(Type.Union([DateOnly, Type.Null()])),
});
export const NewPerson = Obj({
  kind: Enum(PERSON_KINDS),
  label: S(50, 1),
  name: Opt(S(200)),
  nameKana: Opt(S(200)),
  birthDate: Opt(DateOnly),
  address: Opt(S(500)),
  contact: Opt(S(200)),
  note: Opt(S(2000)),
});
export const NewDamage = Obj({
  amountYen: Type.Integer({ minimum: 0, maximum: 1e13 }),
  method: Enum(DAMAGE_METHODS),
  occurredOn: Opt(DateOnly),
  note: Opt(S(2000)),
});
export const LinkReport = Obj({ reportId: Id });
export const NewObservables = Obj({
  items: Type.Array(Obj({ value: S(2000, 1), role: Opt(Enum(['suspect', 'victim', 'unknown'] as const)) }), {
    minItems: 1,
    maxItems: 200,
  }),
});
