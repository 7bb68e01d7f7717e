import type { Language } from '../../app/i18n';

export interface StepUpState {
  totpEnrolled: boolean;
  passkeyCount: number;
  elevatedUntil: string | null;
}

/** The signed-in principal as answered by GET /api/me. */
export interface Me {
  id: string;
  kind: 'staff' | 'customer';
  email: string;
  name: string;
  roles: string[];
  markets: string[];
  language: Language;
  customerId: string | null;
  csrfToken: string;
  permissions: string[];
  stepUp: StepUpState;
}

export interface User {
  id: string;
  kind: 'staff' | 'customer';
  email: string;
  name: string;
  roles: string[];
  markets: string[];
  language: Language;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface Market {
  code: string;
  name: string;
  timezone: string;
  language: Language;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export interface AuditFilters {
  q?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

export interface ListResponse<T> {
  items: T[];
}

/** Permissions the screens ask for; the server grants them by role (all of them to `admin`). */
export type AdminPermission =
  | 'users:read'
  | 'users:manage'
  | 'tokens:manage'
  | 'audit:read'
  | 'jobs:manage'
  | 'outbox:read'
  | 'cases:read'
  | 'cases:write'
  | 'macros:manage'
  | 'sla:manage'
  | 'email:manage';

export function can(me: Pick<Me, 'roles' | 'permissions'>, permission: AdminPermission): boolean {
  return me.permissions.includes(permission) || me.roles.includes('admin');
}
