/**
 * Staff roles and API-token scopes the server knows. The contract does not list them; these
 * follow the server's identity module and are the choices offered in the admin forms.
 */
export const staffRoles = [
  'admin',
  'agent',
  'order_manager',
  'service_advisor',
  'community_manager',
  'quality',
  'executive',
] as const;

export const tokenScopes = [
  'customers:read',
  'customers:write',
  'users:read',
  'users:manage',
  'tokens:manage',
  'audit:read',
  'jobs:manage',
  'outbox:read',
] as const;
