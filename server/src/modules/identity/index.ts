// Module identity: who is calling and what they may do. Staff users and portal
// accounts, sessions, roles and market scopes, step-up, API tokens and the audit log.

export { identityAdminRoutes } from './identity.admin.routes.js';
export { type AuditEntry, auditInsert, recordAudit } from './identity.audit.js';
export type { IdentityDeps } from './identity.deps.js';
export { hashPassword } from './identity.passwords.js';
export {
  type Permission,
  permissions,
  permissionsOf,
  type StaffRole,
  staffRoles,
} from './identity.permissions.js';
export {
  type CustomerPrincipal,
  coversMarket,
  isElevated,
  type Principal,
  type RequestContext,
  type StaffPrincipal,
  systemContext,
} from './identity.principal.js';
export { authRoutes } from './identity.routes.js';
export { installRouteRules, needsRule, type RouteRule, requirePrincipal } from './identity.rules.js';
export { type SessionCache, startSessionCache, stopSessionCache } from './identity.session-cache.js';
export { stepUpRoutes } from './identity.stepup.routes.js';
export { API_TOKEN_PREFIX } from './identity.tokens.js';
export { apiTokenRoutes } from './identity.tokens.routes.js';
export {
  accountOfCustomer,
  listMarkets,
  type StaffMember,
  staffForMarket,
  staffMembers,
} from './identity.users.js';
