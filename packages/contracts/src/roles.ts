/** The roles of PRODUCT.md. Every user has exactly one. */
export const roles = [
  'city_admin',
  'district_officer',
  'center_staff',
  'department_officer',
  'ngo_officer',
  'volunteer',
  'evaluator',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'overview:read',
  'jurisdiction:read',
  'jurisdiction:manage',
  'center:manage',
  'department:read',
  'department:manage',
  'user:read',
  'user:manage',
  'user:create_volunteer',
  'audit:read',
  'token:manage',
  'organization:read',
  'organization:manage',
  'organization:deregister',
  'organization:reveal',
  'activity:record',
  'application:own',
  'application:review',
  'registry:import',
  'risk:read',
  'risk:manage',
  'risk:scan',
  'abnormal_list:manage',
  'case:report',
  'case:work',
  'case:configure',
  'notification:manage',
  'household:read',
  'household:manage',
  'household:reveal',
  'household:resolve_duplicate',
  'household:configure',
  'aid:read',
  'aid:manage',
  'aid:approve_large',
  'volunteer:read',
  'volunteer:manage',
  'volunteer:own',
  'market:read',
  'store:manage',
  'catalogue:manage',
  'donation:record',
  'till:checkout',
  'entitlement:manage',
  'points:grant',
  'taxonomy:manage',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * The one role → permission matrix. Scope (the user's jurisdiction subtree) narrows every one of
 * these; an ngo_officer's scope is further narrowed to its own organization by the registry.
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  // Everything but the own-views of an applicant and of a volunteer: an administrator has neither an
  // application nor a volunteer record of their own.
  city_admin: permissions.filter((p) => p !== 'application:own' && p !== 'volunteer:own'),
  district_officer: [
    'overview:read',
    'jurisdiction:read',
    'department:read',
    'user:read',
    'organization:read',
    'organization:deregister',
    'organization:reveal',
    'registry:import',
    'risk:read',
    'case:report',
    'case:work',
    'household:read',
    'household:reveal',
    'household:resolve_duplicate',
    'aid:read',
    'aid:approve_large',
    'volunteer:read',
    'market:read',
    'catalogue:manage',
  ],
  center_staff: [
    'overview:read',
    'jurisdiction:read',
    'center:manage',
    'department:read',
    'user:read',
    'user:create_volunteer',
    'organization:read',
    'organization:manage',
    'organization:reveal',
    'activity:record',
    'application:review',
    'risk:read',
    'abnormal_list:manage',
    'case:report',
    'case:work',
    'household:read',
    'household:manage',
    'household:reveal',
    'aid:read',
    'aid:manage',
    'volunteer:read',
    'volunteer:manage',
    'market:read',
    'store:manage',
    'catalogue:manage',
    'donation:record',
    'till:checkout',
    'points:grant',
  ],
  department_officer: ['jurisdiction:read', 'department:read', 'organization:read', 'case:report', 'case:work'],
  ngo_officer: ['organization:read', 'activity:record', 'application:own', 'case:report'],
  volunteer: ['case:report', 'household:read', 'volunteer:own', 'market:read', 'donation:record', 'till:checkout'],
  evaluator: ['jurisdiction:read', 'organization:read', 'risk:read'],
  auditor: ['audit:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** Which jurisdiction level a user of each role is placed at (`any` = any level). */
export const roleLevels: Record<Role, readonly JurisdictionLevel[]> = {
  city_admin: ['city'],
  district_officer: ['district'],
  center_staff: ['subdistrict'],
  department_officer: ['city', 'district', 'subdistrict'],
  ngo_officer: ['subdistrict'],
  volunteer: ['subdistrict'],
  evaluator: ['city', 'district', 'subdistrict'],
  auditor: ['city', 'district', 'subdistrict'],
};

export const jurisdictionLevels = ['city', 'district', 'subdistrict'] as const;
export type JurisdictionLevel = (typeof jurisdictionLevels)[number];
