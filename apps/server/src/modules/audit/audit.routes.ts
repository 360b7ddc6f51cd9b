import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditChainReport, auditEvent, listAuditEventsQuery, type AuditEvent } from '@qiao/contracts';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { requestContext } from '../../platform/http/auth-hook.js';
import { neutralizeCell } from '../../platform/spreadsheet.js';
import { auditContext } from '../../platform/scope.js';
import type { AuditService } from './audit.service.js';

const tags = ['audit'];

function csvRow(e: AuditEvent): string[] {
  return [
    e.id,
    e.occurredAt,
    e.actorName,
    e.actorRole,
    e.action,
    e.entityType,
    e.entityId,
    e.outcome,
    e.changes,
    e.details,
    e.requestId,
    e.ip,
  ].map(neutralizeCell);
}

export const auditRoutes: FastifyPluginAsyncZod<{ service: AuditService; deps: Deps }> = async (
  app,
  { service, deps },
) => {
  app.get(
    '/audit-events',
    {
      schema: {
        operationId: 'listAuditEvents',
        tags,
        summary: 'Search the audit trail of the caller’s subtree, newest first',
        querystring: listAuditEventsQuery,
        response: { 200: z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'audit:read' },
    },
    async (req) => service.listAuditEvents(requestContext(req), req.query),
  );

  app.get(
    '/audit-events/export',
    {
      schema: {
        operationId: 'exportAuditEvents',
        tags,
        summary: 'The matching audit events as CSV (UTF-8 with BOM for spreadsheet programs)',
        querystring: listAuditEventsQuery.omit({ limit: true, cursor: true }),
        produces: ['text/csv'],
      },
      config: { permission: 'audit:read' },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      await deps.db.kysely.transaction().execute((trx) =>
        recordAudit(trx, auditContext(ctx), {
          action: 'audit.export',
          entityType: 'audit_event',
          details: { filter: req.query },
        }),
      );
      const header = [
        'id',
        'occurred_at',
        'actor',
        'role',
        'action',
        'entity_type',
        'entity_id',
        'outcome',
        'changes',
        'details',
        'request_id',
        'ip',
      ];
      const rows = Readable.from(
        (async function* () {
          for await (const e of service.exportAuditEvents(ctx, req.query)) yield csvRow(e);
        })(),
      );
      const csv = rows.pipe(stringify({ header: true, columns: header, bom: true }));
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="qiao-audit-${day}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/audit-events/verify',
    {
      schema: {
        operationId: 'verifyAuditChain',
        tags,
        summary: 'Re-hash the whole audit chain from its first event and name the first broken link',
        response: { 200: auditChainReport },
      },
      config: { permission: 'audit:read' },
    },
    async () => service.verifyAuditChain(),
  );
};
