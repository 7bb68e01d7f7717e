import { type Static, type TSchema, Type } from 'typebox';
import { caseChannels, casePriorities, caseStatuses } from './cases.tables.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

/**
 * `T | null` as one schema with a list of types (`type: ['string', 'null']`) rather than an
 * `anyOf`: fast-json-stringify writes a list of types after a `typeof` check, but picks an
 * `anyOf` branch by running Ajv on the value (a date-time's format check included) — half of
 * the time it spent serialising an inbox page. Used for the summaries, the inbox's rows.
 */
const OrNull = <T extends TSchema>(schema: T) => {
  const { type, enum: values, ...rest } = schema as unknown as { type: unknown; enum?: unknown[] };
  if (typeof type !== 'string') throw new Error('OrNull needs a schema of one type');
  return Type.Unsafe<Static<T> | null>({
    ...rest,
    type: [type, 'null'],
    ...(values && { enum: [...values, null] }),
  });
};
const Uuid = Type.String({ format: 'uuid' });

export const CaseStatusSchema = enumOf(caseStatuses);
export const CasePrioritySchema = enumOf(casePriorities);
export const CaseChannelSchema = enumOf(caseChannels);
const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[\\p{L}\\p{N}:_.-]+$' });

export const Sla = Type.Object({
  state: enumOf(['ok', 'warning', 'breached', 'paused', 'met', 'none'] as const),
  metric: OrNull(enumOf(['first_response', 'next_response', 'resolution'] as const)),
  dueAt: OrNull(DateTime),
  breachedAt: OrNull(DateTime),
});
export type Sla = Static<typeof Sla>;

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const CaseSummary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  subject: Type.String(),
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  channel: CaseChannelSchema,
  market: Type.String(),
  language: enumOf(['de', 'en'] as const),
  tags: Type.Array(Type.String()),
  customer: Ref,
  vehicle: OrNull(Type.Object({ id: Type.String(), vin: Type.String(), model: Type.String() })),
  assignee: OrNull(Ref),
  team: OrNull(Ref),
  createdAt: DateTime,
  updatedAt: DateTime,
  lastCustomerMessageAt: OrNull(DateTime),
  sla: Sla,
});
export type CaseSummary = Static<typeof CaseSummary>;

export const AttachmentView = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
  previewUrl: Nullable(Type.String()),
});
export type AttachmentView = Static<typeof AttachmentView>;

export const PhoneCallSchema = Type.Object({
  direction: enumOf(['inbound', 'outbound'] as const),
  durationSeconds: Type.Integer({ minimum: 0, maximum: 86400 }),
  outcome: enumOf(['resolved', 'callback_needed', 'no_answer', 'dropped', 'voicemail'] as const),
});

export const MessageView = Type.Object({
  id: Type.String(),
  kind: enumOf(['reply', 'note', 'phone_call', 'system'] as const),
  internal: Type.Boolean(),
  author: Type.Object({
    kind: enumOf(['customer', 'staff', 'system'] as const),
    id: Nullable(Type.String()),
    name: Type.String(),
  }),
  channel: CaseChannelSchema,
  bodyText: Type.String(),
  bodyHtml: Nullable(Type.String()),
  quotedText: Nullable(Type.String()),
  call: Nullable(PhoneCallSchema),
  attachments: Type.Array(AttachmentView),
  createdAt: DateTime,
});
export type MessageView = Static<typeof MessageView>;

const CaseRefView = Type.Object({ id: Type.String(), number: Type.String() });

export const CaseDetail = Type.Intersect([
  CaseSummary,
  Type.Object({
    followers: Type.Array(Ref),
    links: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        subject: Type.String(),
        status: CaseStatusSchema,
      }),
    ),
    followUpOf: Nullable(CaseRefView),
    mergedFrom: Type.Array(CaseRefView),
    redirectedFrom: Nullable(Type.String()),
    viewerIsFollower: Type.Boolean(),
    timeline: Type.Array(MessageView),
  }),
]);
export type CaseDetail = Static<typeof CaseDetail>;

export const inboxViews = ['mine', 'unassigned', 'team', 'sla_at_risk', 'sla_breached', 'all'] as const;
export type InboxView = (typeof inboxViews)[number];
export const inboxSorts = [
  'updated_desc',
  'updated_asc',
  'created_desc',
  'priority_desc',
  'sla_due_asc',
] as const;

export const InboxQuery = Type.Object(
  {
    view: Type.Optional(enumOf(inboxViews)),
    status: Type.Optional(Type.Array(CaseStatusSchema, { maxItems: 6 })),
    priority: Type.Optional(CasePrioritySchema),
    market: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    assigneeId: Type.Optional(Uuid),
    teamId: Type.Optional(Uuid),
    tag: Type.Optional(Tag),
    customerId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    sort: Type.Optional(enumOf(inboxSorts)),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
    offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
  },
  { additionalProperties: false },
);
export type InboxQuery = Static<typeof InboxQuery>;

export const InboxPage = Type.Object({
  items: Type.Array(CaseSummary),
  /** Exact up to 1,000 cases past the page's offset; beyond that a lower bound ("1,000+"). */
  total: Type.Integer(),
  totalIsLowerBound: Type.Boolean(),
});

const Body = Type.String({ minLength: 1, maxLength: 50000 });
const AttachmentIds = Type.Array(Uuid, { maxItems: 10, uniqueItems: true });

export const StaffCreateCaseBody = Type.Object(
  {
    customerId: Uuid,
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    body: Body,
    channel: Type.Optional(enumOf(['portal', 'email', 'phone', 'social'] as const)),
    priority: Type.Optional(CasePrioritySchema),
    vehicleId: Type.Optional(Uuid),
    teamId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20, uniqueItems: true })),
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type StaffCreateCaseBody = Static<typeof StaffCreateCaseBody>;

export const caseTopics = ['charging', 'software', 'delivery', 'service', 'billing', 'other'] as const;
export const CustomerCreateCaseBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    topic: enumOf(caseTopics),
    body: Body,
    vehicleId: Type.Optional(Uuid),
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type CustomerCreateCaseBody = Static<typeof CustomerCreateCaseBody>;

export const UpdateCaseBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    status: Type.Optional(CaseStatusSchema),
    priority: Type.Optional(CasePrioritySchema),
    assigneeId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20, uniqueItems: true })),
    vehicleId: Type.Optional(Nullable(Uuid)),
    /** Attach the case to the right customer (e.g. an email from an unverified address). */
    customerId: Type.Optional(Uuid),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCaseInput = Static<typeof UpdateCaseBody>;

export const AddMessageBody = Type.Object(
  {
    kind: enumOf(['reply', 'note'] as const),
    body: Body,
    attachmentIds: Type.Optional(AttachmentIds),
    status: Type.Optional(CaseStatusSchema),
  },
  { additionalProperties: false },
);
export type AddMessageInput = Static<typeof AddMessageBody> & { bodyHtml?: string | null };

export const LogCallBody = Type.Object(
  {
    direction: enumOf(['inbound', 'outbound'] as const),
    durationSeconds: Type.Integer({ minimum: 0, maximum: 86400 }),
    outcome: enumOf(['resolved', 'callback_needed', 'no_answer', 'dropped', 'voicemail'] as const),
    notes: Type.String({ maxLength: 20000 }),
  },
  { additionalProperties: false },
);
export type LogCallInput = Static<typeof LogCallBody>;

export const BulkBody = Type.Object(
  {
    caseIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }),
    status: Type.Optional(CaseStatusSchema),
    assigneeId: Type.Optional(Nullable(Uuid)),
    addTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    removeTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type BulkInput = Static<typeof BulkBody>;

export const CaseRefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 40 }) });
export const RefBody = Type.Object(
  { ref: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
