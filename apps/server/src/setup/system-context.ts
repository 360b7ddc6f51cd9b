import type { AuditContext } from '../platform/audit/audit-log.js';

/** The actor of start-up and command-line work: no user, no request. */
export function systemContext(name = 'system', root?: { id: number; path: string }): AuditContext {
  return {
    actorId: null,
    actorName: name,
    actorRole: null,
    jurisdictionId: root?.id ?? null,
    scopePath: root?.path ?? null,
    requestId: null,
    ip: null,
  };
}
