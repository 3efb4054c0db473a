import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Status = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('held'),
]);

export const OutboxQuery = Type.Object(
  {
    status: Type.Optional(Status),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });

export const Attachment = Type.Object({
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
});

export const Related = Type.Object({ type: Type.String(), id: Type.String() });

export const OutboxItem = Type.Object({
  id: Type.String(),
  from: Type.String(),
  to: Type.Array(Type.String()),
  cc: Type.Array(Type.String()),
  subject: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  attachments: Type.Array(Attachment),
  related: Type.Array(Related),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  sentAt: Nullable(Type.String()),
});

export const OutboxDetail = Type.Intersect([
  OutboxItem,
  Type.Object({
    bodyLength: Type.Integer(),
    jobId: Nullable(Type.String()),
    smtpMessageId: Nullable(Type.String()),
  }),
]);

export const OutboxPage = Type.Object({
  items: Type.Array(OutboxItem),
  nextCursor: Nullable(Type.String()),
});
