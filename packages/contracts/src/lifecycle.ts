import type { OrganizationStatus } from './organizations.js';
import type { Permission } from './roles.js';

/** Who may make a move: a permission, or the organization's own officer (for submitting its draft). */
export interface TransitionRule {
  to: OrganizationStatus;
  permissions: readonly Permission[];
  ownOfficer?: boolean;
}

/**
 * The registry's lifecycle: every allowed move from each status and who may make it. The server
 * enforces it (anything else answers 409 invalid_transition); the web offers exactly these moves.
 */
export const organizationTransitions: Record<OrganizationStatus, readonly TransitionRule[]> = {
  draft: [
    { to: 'submitted', permissions: ['organization:manage'], ownOfficer: true },
    // Staff entering an organization that already exists skip the review.
    { to: 'active', permissions: ['organization:manage'] },
  ],
  submitted: [{ to: 'under_review', permissions: ['organization:manage'] }],
  under_review: [
    { to: 'active', permissions: ['organization:manage'] },
    { to: 'rejected', permissions: ['organization:manage'] },
    // Returned to the applicant to amend; resubmitting is the draft → submitted move.
    { to: 'draft', permissions: ['organization:manage'] },
  ],
  active: [
    { to: 'dormant', permissions: ['organization:manage'] },
    { to: 'suspended', permissions: ['organization:manage'] },
    { to: 'deregistered', permissions: ['organization:manage', 'organization:deregister'] },
  ],
  dormant: [
    { to: 'active', permissions: ['organization:manage'] },
    { to: 'deregistered', permissions: ['organization:manage', 'organization:deregister'] },
  ],
  suspended: [
    { to: 'active', permissions: ['organization:manage'] },
    { to: 'deregistered', permissions: ['organization:manage', 'organization:deregister'] },
  ],
  rejected: [],
  deregistered: [],
};
