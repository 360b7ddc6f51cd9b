import { sql } from 'kysely';
import type { AuditEvent, ListAuditEventsQuery } from '@qiao/contracts';
import type { AuditEventRow } from '../../db/schema.js';
import { rowToContent } from '../../platform/audit/canonical.js';
import { verifyAuditChain, type ChainReport } from '../../platform/audit/verify-chain.js';
import type { Deps } from '../../platform/deps.js';
import { inSubtree, type RequestContext } from '../../platform/scope.js';

function presentEvent(r: AuditEventRow): AuditEvent {
  const { scopePath: _scope, ...event } = rowToContent(r);
  return {
    ...event,
    changes: Array.isArray(event.changes) ? (event.changes as AuditEvent['changes']) : [],
    details: event.details as AuditEvent['details'],
    outcome: r.outcome,
  };
}

/** Reading the audit trail: search in the caller's subtree, CSV export, chain verification. */
export function createAuditService({ db }: Deps) {
  const kysely = db.kysely;

  function filtered(ctx: RequestContext, query: Omit<ListAuditEventsQuery, 'limit'>) {
    let q = kysely.selectFrom('audit_events').selectAll().where(inSubtree('scope_path', ctx.actor.scopePath));
    if (query.actor) q = q.where(sql<boolean>`lower(actor_name) = ${query.actor.toLowerCase()}`);
    if (query.entityType) q = q.where('entity_type', '=', query.entityType);
    if (query.entityId) q = q.where('entity_id', '=', query.entityId);
    if (query.action) q = q.where('action', '=', query.action);
    // Instants compare as text only in one format: normalize what the client sent.
    if (query.from) q = q.where('occurred_at', '>=', new Date(query.from).toISOString());
    if (query.to) q = q.where('occurred_at', '<=', new Date(query.to).toISOString());
    if (query.cursor) q = q.where('id', '<', Number(query.cursor));
    return q.orderBy('id', 'desc');
  }

  return {
    async listAuditEvents(ctx: RequestContext, query: ListAuditEventsQuery) {
      const rows = await filtered(ctx, query)
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(presentEvent),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /** Every matching event, newest first, in pages so a long trail never sits in memory at once. */
    async *exportAuditEvents(
      ctx: RequestContext,
      query: Omit<ListAuditEventsQuery, 'limit' | 'cursor'>,
    ): AsyncGenerator<AuditEvent> {
      let cursor: string | undefined;
      for (;;) {
        const rows = await filtered(ctx, { ...query, cursor })
          .limit(1000)
          .execute();
        for (const r of rows) yield presentEvent(r);
        if (rows.length < 1000) return;
        cursor = String(rows[rows.length - 1]!.id);
      }
    },

    verifyAuditChain: (): Promise<ChainReport> => verifyAuditChain(kysely),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
