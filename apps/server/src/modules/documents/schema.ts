import { Type } from 'typebox';

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const Marking = Type.Object(
  {
    confidentiality: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    handling: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 8 }),
  },
  { additionalProperties: false },
);

/** Sample values: any JSON object (strings, numbers, booleans, nested objects and lists). */
const SampleData = Type.Record(Type.String(), Type.Unknown());

export const TemplateSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  version: Type.Integer(),
  updatedAt: Type.String(),
});

export const Template = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  body: Type.String(),
  marking: Marking,
  sampleData: SampleData,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const TemplateList = Type.Object({ items: Type.Array(TemplateSummary) });

const BODY_MAX = 100_000;

/** PUT replaces the editable fields; `version` is the one the editor started from (optimistic concurrency). */
export const TemplatePut = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.String({ maxLength: 1000 }),
    body: Type.String({ minLength: 1, maxLength: BODY_MAX }),
    marking: Marking,
    sampleData: SampleData,
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

/** An unsaved draft to preview. */
export const DraftPreview = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    body: Type.String({ minLength: 1, maxLength: BODY_MAX }),
    marking: Type.Optional(Marking),
    sampleData: Type.Optional(SampleData),
  },
  { additionalProperties: false },
);
