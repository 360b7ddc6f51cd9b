import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { permissions, rolePermissions, roles } from './roles.js';
import { permissionsTable } from './permissions-doc.js';

describe('the role → permission matrix', () => {
  it('gives the city admin everything but an applicant’s and a volunteer’s own views, and the auditor only the audit trail', () => {
    expect([...rolePermissions.city_admin].sort()).toEqual(
      permissions.filter((p) => p !== 'application:own' && p !== 'volunteer:own').sort(),
    );
    // Only a volunteer sees and logs their own hours; staff who log and approve hours do not.
    for (const role of roles) expect(rolePermissions[role].includes('volunteer:own'), role).toBe(role === 'volunteer');
    expect(rolePermissions.auditor).toEqual(['audit:read']);
    expect(rolePermissions.ngo_officer).toEqual([
      'organization:read',
      'activity:record',
      'application:own',
      'case:report',
    ]);
  });

  it('lets only city admins manage users and jurisdictions, and center staff create volunteers', () => {
    for (const role of roles) {
      expect(rolePermissions[role].includes('user:manage'), role).toBe(role === 'city_admin');
      expect(rolePermissions[role].includes('jurisdiction:manage'), role).toBe(role === 'city_admin');
      expect(rolePermissions[role].includes('audit:read'), role).toBe(role === 'city_admin' || role === 'auditor');
    }
    expect(rolePermissions.center_staff).toContain('user:create_volunteer');
  });

  it('is shown in docs/permissions.md exactly as the code has it', () => {
    const doc = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    expect(doc).toContain(permissionsTable());
  });
});
