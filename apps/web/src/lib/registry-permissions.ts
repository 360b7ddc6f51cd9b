import type { Permission } from '@qiao/contracts';

/**
 * The registry's permissions by name. They were cast while roles.ts did not list them yet; now
 * that it does the casts change nothing, and the constants keep one place to rename them.
 */
export const registryPermissions = {
  read: 'organization:read' as Permission,
  manage: 'organization:manage' as Permission,
  /** Deregistering (a district's power) without managing the profile. */
  deregister: 'organization:deregister' as Permission,
  reveal: 'organization:reveal' as Permission,
  recordActivity: 'activity:record' as Permission,
};
