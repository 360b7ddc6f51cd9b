import type { Insertable, Transaction } from 'kysely';
import type { AuditAction, AuditEntityType } from '@qiao/contracts';
import { prepare } from '../../db/prepared.js';
import type { AuditEventTable, Database } from '../../db/schema.js';
import { nowIso } from '../../db/database.js';
import { chainHash, type AuditContent } from './canonical.js';

/** Who did it, from where: taken from the request by the HTTP layer, or from the CLI. */
export interface AuditContext {
  actorId: number | null;
  actorName: string | null;
  actorRole: string | null;
  /** The actor's jurisdiction and its path: the default scope of the event. */
  jurisdictionId: number | null;
  scopePath: string | null;
  requestId: string | null;
  ip: string | null;
}

/** An actor without an account: the system (start-up, CLI) or a sign-in attempt by an unknown name. */
export function anonymousContext(
  name: string | null,
  root?: { id: number; path: string },
  request: { requestId: string | null; ip: string | null } = { requestId: null, ip: null },
): AuditContext {
  return {
    actorId: null,
    actorName: name,
    actorRole: null,
    jurisdictionId: root?.id ?? null,
    scopePath: root?.path ?? null,
    requestId: request.requestId,
    ip: request.ip,
  };
}

export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  action: AuditAction;
  entityType?: AuditEntityType;
  entityId?: string | number;
  /** The jurisdiction the event belongs to (who may read it); defaults to the actor's. */
  jurisdiction?: { id: number; path: string };
  changes?: AuditChange[];
  details?: Record<string, unknown>;
  outcome?: 'success' | 'failure' | 'denied';
}

export const MASK = '***';

// Every write in the city runs these three: compiled once (db/prepared.ts).
const takeHead = prepare<Record<string, never>, { last_id: number; last_hash: string }>((k) =>
  k
    .updateTable('audit_chain_head')
    .set((eb) => ({ last_id: eb.ref('last_id') }))
    .where('id', '=', 1)
    .returning(['last_id', 'last_hash']),
);
const EVENT_COLUMNS = [
  'id',
  'occurred_at',
  'actor_id',
  'actor_name',
  'actor_role',
  'jurisdiction_id',
  'scope_path',
  'action',
  'entity_type',
  'entity_id',
  'changes',
  'details',
  'request_id',
  'ip',
  'outcome',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditEventTable)[];
const insertEvent = prepare<{ row: Insertable<AuditEventTable> }, never>((k, p) =>
  k.insertInto('audit_events').values(p.row('row', EVENT_COLUMNS)),
);
const moveHead = prepare<{ id: number; hash: string }, never>((k, p) =>
  k
    .updateTable('audit_chain_head')
    .set({ last_id: p('id'), last_hash: p('hash') })
    .where('id', '=', 1),
);

/**
 * Appends one event to the hash chain inside the caller's transaction, so the event exists
 * exactly when the change does. Touching the head row first takes the chain lock on both engines.
 */
export async function recordAudit(trx: Transaction<Database>, ctx: AuditContext, entry: AuditEntry): Promise<number> {
  const head = await takeHead.first(trx, {});
  if (!head) throw new Error('audit_chain_head has no row: run the migrations');
  const content: AuditContent = {
    id: head.last_id + 1,
    occurredAt: nowIso(),
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    actorRole: ctx.actorRole,
    jurisdictionId: entry.jurisdiction?.id ?? ctx.jurisdictionId,
    scopePath: entry.jurisdiction?.path ?? ctx.scopePath,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId === undefined ? null : String(entry.entityId),
    changes: entry.changes ?? [],
    details: entry.details ?? null,
    requestId: ctx.requestId,
    ip: ctx.ip,
    outcome: entry.outcome ?? 'success',
  };
  const hash = chainHash(head.last_hash, content);
  await insertEvent.execute(trx, {
    row: {
      id: content.id,
      occurred_at: content.occurredAt,
      actor_id: content.actorId,
      actor_name: content.actorName,
      actor_role: content.actorRole,
      jurisdiction_id: content.jurisdictionId,
      scope_path: content.scopePath,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      changes: JSON.stringify(content.changes),
      details: content.details === null ? null : JSON.stringify(content.details),
      request_id: content.requestId,
      ip: content.ip,
      outcome: content.outcome as AuditEventTable['outcome'],
      prev_hash: head.last_hash,
      hash,
    },
  });
  await moveHead.execute(trx, { id: content.id, hash });
  return content.id;
}

/**
 * The changed fields between two snapshots. Fields in `masked` are recorded as changed with
 * their values hidden, so the trail shows that personal data changed without holding it.
 */
export function diffChanges<T extends Record<string, unknown>>(
  before: Partial<T> | null,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
  masked: readonly string[] = [],
): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const b = before ? (before[field] ?? null) : null;
    const a = after[field] ?? null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    const hide = masked.includes(field);
    changes.push({ field, before: hide && b !== null ? MASK : b, after: hide && a !== null ? MASK : a });
  }
  return changes;
}
