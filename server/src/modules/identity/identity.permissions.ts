// Roles are bundles of permissions; routes ask for permissions, never for roles.
export const staffRoles = [
  'admin',
  'agent',
  'order_manager',
  'service_advisor',
  'community_manager',
  'quality',
  'executive',
] as const;
export type StaffRole = (typeof staffRoles)[number];

export const permissions = [
  'customers:read',
  'customers:write',
  'users:read',
  'users:manage',
  'tokens:manage',
  'audit:read',
  'jobs:manage',
  'outbox:read',
  'cases:read',
  'cases:write',
  'macros:manage',
  'sla:manage',
  'email:manage',
] as const;
export type Permission = (typeof permissions)[number];

const frontline: Permission[] = ['customers:read', 'customers:write', 'cases:read', 'cases:write'];
const observers: Permission[] = ['customers:read', 'cases:read'];

export const rolePermissions: Record<StaffRole, readonly Permission[]> = {
  admin: permissions,
  agent: frontline,
  order_manager: frontline,
  service_advisor: frontline,
  community_manager: observers,
  quality: observers,
  executive: [...observers, 'cases:write'],
};

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) {
    if (isStaffRole(role)) for (const permission of rolePermissions[role]) granted.add(permission);
  }
  return granted;
}
