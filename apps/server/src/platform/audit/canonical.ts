import { createHash } from 'node:crypto';
import type { AuditEventRow } from '../../db/schema.js';

/** JSON with object keys sorted at every depth: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What an audit event's hash covers: every column but the two hashes, plus the previous hash. */
export interface AuditContent {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorName: string | null;
  actorRole: string | null;
  jurisdictionId: number | null;
  scopePath: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  changes: unknown;
  details: unknown;
  requestId: string | null;
  ip: string | null;
  outcome: string;
}

export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** What was hashed, read back from a stored row; JSON that no longer parses stays visible as text. */
export function rowToContent(r: AuditEventRow): AuditContent {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    jurisdictionId: r.jurisdiction_id,
    scopePath: r.scope_path,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    changes: parseJson(r.changes),
    details: r.details === null ? null : parseJson(r.details),
    requestId: r.request_id,
    ip: r.ip,
    outcome: r.outcome,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparseable: text };
  }
}
