import { Type } from 'typebox';
import { ENTITY_KINDS } from './entities.ts';
import { OBSERVABLE_TYPES, ROLES, TLPS } from './vocab.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Limit = Type.String({ pattern: '^[0-9]{1,4}$' });
const Cursor = Type.String({ maxLength: 200 });
const PlaceTypeName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' });
const PlaceId = Type.String({ minLength: 1, maxLength: 100 });
const Tag = Type.String({ minLength: 1, maxLength: 200 });

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });

export const LookupQuery = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 4096 }), type: Type.Optional(lit(OBSERVABLE_TYPES)) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    type: Type.Optional(lit(OBSERVABLE_TYPES)),
    tag: Type.Optional(Tag),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const PlacesQuery = Type.Object(
  { type: Type.Optional(PlaceTypeName), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);

export const GraphQuery = Type.Object(
  {
    depth: Type.Optional(Type.String({ pattern: '^[12]$' })),
    types: Type.Optional(Type.String({ pattern: '^[a-z0-9_]+(,[a-z0-9_]+)*$', maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RoleBody = Type.Object(
  { placeType: PlaceTypeName, placeId: PlaceId, role: lit(ROLES) },
  { additionalProperties: false },
);

export const TagsBody = Type.Object(
  { add: Type.Optional(Type.Array(Tag, { maxItems: 100 })), remove: Type.Optional(Type.Array(Tag, { maxItems: 100 })) },
  { additionalProperties: false },
);

export const ImportQuery = Type.Object(
  {
    source: Type.String({ minLength: 1, maxLength: 200 }),
    format: Type.Optional(lit(['txt', 'csv', 'jsonl'] as const)),
    tlp: Type.Optional(lit(TLPS)),
    valueColumn: Type.Optional(Type.String({ maxLength: 100 })),
    typeColumn: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const Entry = Type.Object(
  { type: lit(OBSERVABLE_TYPES), value: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);

export const WarningListBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const WarningListPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    enabled: Type.Optional(Type.Boolean()),
    add: Type.Optional(Type.Array(Entry, { maxItems: 10000 })),
    remove: Type.Optional(Type.Array(Entry, { maxItems: 10000 })),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object(
  { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);

export const EntityQuery = Type.Object(
  { kind: Type.Optional(lit(ENTITY_KINDS)), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);

export const EntityBody = Type.Object(
  {
    kind: lit(ENTITY_KINDS),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    tlp: Type.Optional(lit(TLPS)),
  },
  { additionalProperties: false },
);

export const EntityPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    tlp: Type.Optional(lit(TLPS)),
  },
  { additionalProperties: false },
);

const Reason = Type.String({ minLength: 1, maxLength: 2000 });

export const LinkPlacesBody = Type.Object(
  {
    places: Type.Array(
      Type.Object({ type: PlaceTypeName, id: PlaceId, reason: Reason }, { additionalProperties: false }),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const LinkObservablesBody = Type.Object(
  {
    observables: Type.Array(
      Type.Object(
        { observableId: Type.String({ pattern: '^[0-9a-f-]{36}$' }), reason: Reason, role: Type.Optional(lit(ROLES)) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
