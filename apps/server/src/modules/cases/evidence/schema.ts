import { Type } from 'typebox';
import { CUSTODY_ACTIONS } from './custody.ts';
import { LINK_TYPES, WARRANT_STATUSES } from './warrants.ts';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
const Id = Type.String({ pattern: '^[0-9a-f-]{36}$' });
const DateTime = Type.String({ format: 'date-time' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CaseParams = Obj({ caseId: Id });
export const ItemParams = Obj({ caseId: Id, id: Id });

const Meta = {
  title: S(200, 1),
  description: Opt(S(4000)),
  itemNumber: Opt(S(60)),
  seizedAt: Opt(DateTime),
  seizedFrom: Opt(S(300)),
  parentId: Opt(Id),
  location: S(300, 1),
  reason: Opt(S(1000)),
};
/** The `item` field of an upload (multipart, JSON text). */
export const UploadMeta = Obj(Meta);

export const Register = Obj({
  ...Meta,
  sha256: S(64, 64),
  md5: Opt(S(32, 32)),
  sha1: Opt(S(40, 40)),
  size: Opt(Type.Integer({ minimum: 0 })),
});

export const Custody = Obj({
  action: lit(CUSTODY_ACTIONS),
  at: Opt(DateTime),
  location: S(300, 1),
  reason: S(1000, 1),
  counterpart: Opt(S(300)),
});

const Tool = Obj({ name: S(200, 1), version: S(100) });
const Check = Obj({ item: S(500, 1), done: Type.Boolean() });
export const Analysis = Obj({
  evidenceIds: Type.Array(Id, { minItems: 1, maxItems: 100 }),
  purpose: S(2000, 1),
  equipment: Type.Array(S(200, 1), { maxItems: 50 }),
  tools: Type.Array(Tool, { maxItems: 50 }),
  checklist: Opt(Type.Array(Check, { minItems: 1, maxItems: 50 })),
});
export const AnalysisPatch = Obj({
  evidenceIds: Opt(Type.Array(Id, { minItems: 1, maxItems: 100 })),
  purpose: Opt(S(2000, 1)),
  equipment: Opt(Type.Array(S(200, 1), { maxItems: 50 })),
  tools: Opt(Type.Array(Tool, { maxItems: 50 })),
  checklist: Opt(Type.Array(Check, { minItems: 1, maxItems: 50 })),
});
export const Decision = Obj({ decision: lit(['approve', 'return'] as const), note: Opt(S(2000)) });
export const Completion = Obj({ result: S(20000, 1) });

const Link = Obj({ type: lit(LINK_TYPES), id: S(64, 1) });
export const Warrant = Obj({
  kind: S(40, 1),
  reference: Opt(S(100)),
  court: Opt(S(200)),
  target: S(4000, 1),
  issuedOn: Opt(DateOnly),
  validUntil: Opt(DateOnly),
  status: Opt(lit(WARRANT_STATUSES)),
  links: Opt(Type.Array(Link, { maxItems: 100 })),
});
export const WarrantPatch = Obj({
  status: Opt(lit(WARRANT_STATUSES)),
  issuedOn: Opt(DateOnly),
  validUntil: Opt(DateOnly),
  links: Opt(Type.Array(Link, { maxItems: 100 })),
});
