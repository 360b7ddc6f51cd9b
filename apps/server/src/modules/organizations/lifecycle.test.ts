import { describe, expect, it } from 'vitest';
import { organizationStatuses, type Permission } from '@qiao/contracts';
import { checkTransition, transitions } from './lifecycle.js';

const staff = { permissions: new Set<Permission>(['organization:manage']), isOwnOfficer: false };
const district = { permissions: new Set<Permission>(['organization:deregister']), isOwnOfficer: false };
const officer = { permissions: new Set<Permission>(), isOwnOfficer: true };

describe('the organization lifecycle', () => {
  it('allows exactly the moves of the registry', () => {
    const allowed = organizationStatuses.flatMap((from) =>
      organizationStatuses.filter((to) => checkTransition(from, to, staff) === 'ok').map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'draft→submitted',
        'draft→active',
        'submitted→under_review',
        'under_review→active',
        'under_review→rejected',
        'under_review→draft',
        'active→dormant',
        'active→suspended',
        'active→deregistered',
        'dormant→active',
        'dormant→deregistered',
        'suspended→active',
        'suspended→deregistered',
      ].sort(),
    );
  });
  it('lets district officers deregister only, and an organization’s officer submit its own draft only', () => {
    expect(checkTransition('active', 'deregistered', district)).toBe('ok');
    expect(checkTransition('active', 'suspended', district)).toBe('forbidden');
    expect(checkTransition('draft', 'submitted', officer)).toBe('ok');
    expect(checkTransition('draft', 'active', officer)).toBe('forbidden');
    expect(checkTransition('deregistered', 'active', staff)).toBe('invalid');
    expect(transitions.rejected).toEqual([]);
  });
});
