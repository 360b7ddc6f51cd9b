import type { OrganizationStatus, Permission } from '@qiao/contracts';

/** Who may make a move: a permission, or the organization's own officer (for submitting its draft). */
export interface TransitionRule {
  to: OrganizationStatus;
  permissions: readonly Permission[];
  ownOfficer?: boolean;
}

/** The registry's lifecycle: every allowed move from each status. Anything else is invalid_transition. */
export const transitions: Record<OrganizationStatus, readonly TransitionRule[]> = {
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

export type TransitionCheck = 'ok' | 'invalid' | 'forbidden';

/** Whether `from → to` is a move of the lifecycle, and whether this actor may make it. */
export function checkTransition(
  from: OrganizationStatus,
  to: OrganizationStatus,
  actor: { permissions: ReadonlySet<Permission>; isOwnOfficer: boolean },
): TransitionCheck {
  const rule = transitions[from].find((r) => r.to === to);
  if (!rule) return 'invalid';
  const allowed =
    rule.permissions.some((p) => actor.permissions.has(p)) || (rule.ownOfficer === true && actor.isOwnOfficer);
  return allowed ? 'ok' : 'forbidden';
}
