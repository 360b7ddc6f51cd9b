import { organizationTransitions, type OrganizationStatus, type Permission } from '@qiao/contracts';

/** The registry's lifecycle, kept in contracts so the web offers exactly the moves the server allows. */
export const transitions = organizationTransitions;

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
