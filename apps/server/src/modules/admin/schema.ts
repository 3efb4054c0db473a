import { Type } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const UnitKind = Type.Union(
  ['headquarters', 'bureau', 'division', 'station', 'office'].map((k) => Type.Literal(k)),
);

export const Unit = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameKana: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  abbreviation: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  sortOrder: Type.Integer(),
});

const unitFields = {
  code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Text(100),
  nameKana: Type.String({ maxLength: 200 }),
  kind: UnitKind,
  parentId: Type.Union([Id, Type.Null()]),
  abbreviation: Type.Union([Type.String({ minLength: 1, maxLength: 16 }), Type.Null()]),
  validFrom: DateOnly,
  validTo: Type.Union([DateOnly, Type.Null()]),
  sortOrder: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
};

export const UnitCreate = Type.Object(
  {
    code: unitFields.code,
    name: unitFields.name,
    kind: unitFields.kind,
    nameKana: Type.Optional(unitFields.nameKana),
    parentId: Type.Optional(unitFields.parentId),
    abbreviation: Type.Optional(unitFields.abbreviation),
    validFrom: Type.Optional(unitFields.validFrom),
    validTo: Type.Optional(unitFields.validTo),
    sortOrder: Type.Optional(unitFields.sortOrder),
  },
  { additionalProperties: false },
);
export const UnitPatch = Type.Partial(Type.Object(unitFields), { additionalProperties: false, minProperties: 1 });

export const Position = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  rank: Type.Integer(),
  isHead: Type.Boolean(),
});
const positionFields = {
  code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Text(50),
  nameEn: Type.String({ maxLength: 50 }),
  rank: Type.Integer({ minimum: 1, maximum: 99 }),
  isHead: Type.Boolean(),
};
export const PositionCreate = Type.Object(
  {
    code: positionFields.code,
    name: positionFields.name,
    rank: positionFields.rank,
    nameEn: Type.Optional(positionFields.nameEn),
    isHead: Type.Optional(positionFields.isHead),
  },
  { additionalProperties: false },
);
export const PositionPatch = Type.Partial(Type.Object(positionFields), {
  additionalProperties: false,
  minProperties: 1,
});

export const Group = Type.Object({ id: Type.String(), name: Type.String(), description: Type.String() });
export const GroupCreate = Type.Object(
  { name: Text(100), description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

const Clearance = Type.Integer({ minimum: 1, maximum: 3 });
const Roles = Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 9, uniqueItems: true });
const GroupIds = Type.Array(Id, { maxItems: 100, uniqueItems: true });

export const User = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  nameKana: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  positionId: Type.Union([Type.String(), Type.Null()]),
  positionName: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  groupIds: Type.Array(Type.String()),
  clearance: Type.Integer(),
  status: Type.String(),
  mfaEnrolled: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
});

export const UserCreate = Type.Object(
  {
    login: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    name: Text(100),
    nameKana: Type.String({ maxLength: 200 }),
    unitId: Id,
    positionId: Type.Optional(Type.Union([Id, Type.Null()])),
    roles: Roles,
    groupIds: Type.Optional(GroupIds),
    clearance: Clearance,
  },
  { additionalProperties: false },
);
export const UserPatch = Type.Partial(
  Type.Object({
    name: Text(100),
    nameKana: Type.String({ maxLength: 200 }),
    unitId: Id,
    positionId: Type.Union([Id, Type.Null()]),
    roles: Roles,
    groupIds: GroupIds,
    clearance: Clearance,
  }),
  { additionalProperties: false, minProperties: 1 },
);
export const UserQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    unitId: Type.Optional(Id),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const DisableBody = Type.Object({ reason: Text(500) }, { additionalProperties: false });

export const TokenMeta = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  userLogin: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export const TokenCreate = Type.Object(
  { userId: Id, name: Text(100), expiresInDays: Type.Integer({ minimum: 1, maximum: 730 }) },
  { additionalProperties: false },
);
export const IdParams = Type.Object({ id: Id });
