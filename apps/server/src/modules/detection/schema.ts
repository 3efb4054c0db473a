import { Type } from 'typebox';
import { OBSERVABLE_TYPES, TLPS } from '../intel/vocab.ts';
import { FEED_FORMATS, RELIABILITIES } from './feeds.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Column = Type.String({ minLength: 1, maxLength: 100 });

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
export const TypeParams = Type.Object({ type: lit(OBSERVABLE_TYPES) });

const feedFields = {
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  url: Type.String({ minLength: 8, maxLength: 2000 }),
  format: lit(FEED_FORMATS),
  columns: Type.Optional(
    Type.Object({ value: Type.Optional(Column), type: Type.Optional(Column) }, { additionalProperties: false }),
  ),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S' })),
  tlp: lit(TLPS),
  reliability: Type.Optional(Type.Union([lit(RELIABILITIES), Type.Null()])),
  intervalMinutes: Type.Integer({ minimum: 5, maximum: 10_080 }),
  enabled: Type.Optional(Type.Boolean()),
};

export const FeedBody = Type.Object(feedFields, { additionalProperties: false });
export const FeedPatch = Type.Partial(Type.Object(feedFields), { additionalProperties: false, minProperties: 1 });

export const RunsQuery = Type.Object(
  {
    errors: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);

export const HuntQuery = Type.Object(
  {
    file: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    record: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
  },
  { additionalProperties: false },
);

export const PolicyBody = Type.Object(
  { purgeAfterDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()]) },
  { additionalProperties: false },
);
