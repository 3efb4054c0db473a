import { Type } from 'typebox';
import { URGENCIES } from './clock.ts';
import { SUPPORT_KINDS } from './service.ts';

const S = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = Type.Optional;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
const Id = Type.String({ pattern: '^[0-9a-f-]{36}$' });

export const IdParams = Obj({ id: Id });
export const CaseParams = Obj({ caseId: Id });
export const NewSupport = Obj({
  caseId: Opt(Id),
  reportId: Opt(Id),
  toUnitId: Opt(Id),
  kind: lit(SUPPORT_KINDS),
  urgency: lit(URGENCIES),
  summary: S(300, 1),
  details: Opt(S(4000)),
});
export const ListQuery = Obj({
  box: Opt(lit(['inbox', 'outbox'] as const)),
  status: Opt(lit(['open', 'requested', 'accepted', 'declined', 'handed_back', 'completed', 'withdrawn'] as const)),
  cursor: Opt(S(400)),
  limit: Opt(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export const Accept = Obj({ assigneeId: Opt(Id) });
export const Reason = Obj({ reason: S(2000, 1) });
export const WorkloadQuery = Obj({ unitId: Opt(Id) });
