import { type Static, Type } from 'typebox';
import { type Permission, permissions, type StaffRole, staffRoles } from './identity.permissions.js';

export const Email = Type.String({ format: 'email', maxLength: 320 });
export const LanguageSchema = Type.Union([Type.Literal('de'), Type.Literal('en')]);
export const MarketCode = Type.String({ pattern: '^[A-Z]{2}$' });
export const RoleSchema = Type.Unsafe<StaffRole>({ type: 'string', enum: [...staffRoles] });
export const PermissionSchema = Type.Unsafe<Permission>({ type: 'string', enum: [...permissions] });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const Me = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  markets: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  language: LanguageSchema,
  customerId: Nullable(Type.String()),
  csrfToken: Type.String(),
  stepUp: Type.Object({
    totpEnrolled: Type.Boolean(),
    passkeyCount: Type.Integer(),
    elevatedUntil: Nullable(DateTime),
  }),
});
export type Me = Static<typeof Me>;

export const LoginBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const User = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  markets: Type.Array(Type.String()),
  language: LanguageSchema,
  disabled: Type.Boolean(),
  lockedUntil: Nullable(DateTime),
  createdAt: DateTime,
});
export type User = Static<typeof User>;

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
    markets: Type.Array(MarketCode, { uniqueItems: true }),
    language: LanguageSchema,
    password: Type.String({ minLength: 10, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
    markets: Type.Optional(Type.Array(MarketCode, { uniqueItems: true })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const AuditItem = Type.Object({
  id: Type.String(),
  at: DateTime,
  actorId: Nullable(Type.String()),
  actorKind: Type.String(),
  actorLabel: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});

export const AuditQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    entityType: Type.Optional(Type.String({ maxLength: 100 })),
    entityId: Type.Optional(Type.String({ maxLength: 100 })),
    actorId: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    before: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const Market = Type.Object({
  code: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  language: LanguageSchema,
  currency: Type.String(),
});

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  /** Market codes the token may see; `*` means all markets. */
  markets: Type.Array(Type.String()),
  createdAt: DateTime,
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  expiresAt: Nullable(DateTime),
});
export type ApiToken = Static<typeof ApiToken>;

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(PermissionSchema, { minItems: 1, uniqueItems: true }),
    /** Defaults to the creator's own markets. */
    markets: Type.Optional(
      Type.Array(Type.Union([MarketCode, Type.Literal('*')]), { uniqueItems: true, maxItems: 50 }),
    ),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;

export const CreatedApiToken = Type.Object({
  token: Type.String({ description: 'Shown once; only its hash is stored.' }),
  item: ApiToken,
});
