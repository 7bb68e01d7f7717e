import { type TSchema, Type } from 'typebox';
import { outboxStatuses } from './channels.tables.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Status = Type.Unsafe<(typeof outboxStatuses)[number]>({ type: 'string', enum: [...outboxStatuses] });

export const OutboxQuery = Type.Object(
  {
    /** Part of the recipient's address, case-insensitive. */
    to: Type.Optional(Type.String({ maxLength: 320 })),
    status: Type.Optional(Status),
    caseId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export const OutboxSummary = Type.Object({
  id: Type.String(),
  to: Type.String(),
  from: Type.String(),
  subject: Type.String(),
  template: Type.String(),
  status: Status,
  lastError: Nullable(Type.String()),
  attempts: Type.Integer(),
  caseId: Nullable(Type.String()),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
});

export const OutboxMessage = Type.Object({
  ...OutboxSummary.properties,
  text: Type.String(),
  html: Nullable(Type.String()),
  language: Type.String(),
  messageId: Type.String(),
  inReplyTo: Nullable(Type.String()),
  references: Type.Array(Type.String()),
  caseMessageId: Nullable(Type.String()),
  failedAt: Nullable(DateTime),
  attachments: Type.Array(
    Type.Object({
      attachmentId: Type.String(),
      filename: Type.String(),
      mimeType: Type.String(),
      size: Type.Integer(),
      url: Type.String(),
    }),
  ),
});

export const DeliveriesQuery = Type.Object(
  { caseId: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

export const Delivery = Type.Object({
  outboxId: Type.String(),
  caseMessageId: Type.String(),
  to: Type.String(),
  status: Status,
  lastError: Nullable(Type.String()),
  attempts: Type.Integer(),
  sentAt: Nullable(DateTime),
  failedAt: Nullable(DateTime),
});
