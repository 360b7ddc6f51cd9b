import type { ExportFilingsQuery, ExportOrganizationsQuery } from '@qiao/contracts';
import { recordAudit, type AuditEntry } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { PII_KEY } from '../organizations/organization-record.js';
import * as oq from '../organizations/organizations.queries.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { filingColumns, organizationColumns, writeSpreadsheet, type Spreadsheet } from './export-writer.js';
import { loadPlaces } from './places.js';

/** Spreadsheets of the registry: the filtered organization list, and the filings for the bureau. */
export function createRegistryExportService({ db, keyring }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;

  /**
   * The file is written first, so its audit events carry the exact row count before a byte
   * leaves; when the audit cannot be written, the file is thrown away.
   */
  async function audited(ctx: RequestContext, sheet: Spreadsheet, entries: (rows: number) => AuditEntry[]) {
    try {
      await kysely.transaction().execute(async (trx) => {
        for (const entry of entries(sheet.rows)) await recordAudit(trx, auditContext(ctx), entry);
      });
    } catch (e) {
      await sheet.dispose();
      throw e;
    }
    return sheet;
  }

  return {
    /** The filtered list of the caller's scope, personal data masked unless revealed for a reason. */
    async exportOrganizations(ctx: RequestContext, query: ExportOrganizationsQuery): Promise<Spreadsheet> {
      const reveal = query.reveal === true;
      if (reveal && !ctx.actor.permissions.has('organization:reveal'))
        throw forbidden('Revealing personal data needs the permission organization:reveal.');
      const { format, reveal: _r, reason, ...filter } = query;
      const places = await loadPlaces(kysely);
      const open = (sealed: string | null, masked: string | null) =>
        reveal ? (sealed ? keyring.decrypt(PII_KEY, sealed) : null) : masked;
      const rows = (async function* () {
        for await (const page of organizations.iterateOrganizationRows(ctx, filter)) {
          for (const r of page) {
            const j = places.byId.get(r.jurisdiction_id);
            yield organizationColumns.map((c) =>
              c.value(r, {
                jurisdictionCode: j?.code ?? '',
                jurisdictionName: j?.name ?? '',
                picId: open(r.pic_id_sealed, r.pic_id_masked),
                picPhone: open(r.pic_phone_sealed, r.pic_phone_masked),
              }),
            );
          }
        }
      })();
      const sheet = await writeSpreadsheet(format, '社会组织', organizationColumns, rows);
      return audited(ctx, sheet, (count) => [
        {
          action: 'organization.export',
          entityType: 'organization',
          details: { filter: { ...filter, format }, rows: count, revealed: reveal },
        },
        ...(reveal
          ? [
              {
                action: 'organization.reveal' as const,
                entityType: 'organization' as const,
                details: {
                  reason,
                  fields: ['personInCharge.idNumber', 'personInCharge.phone'],
                  export: true,
                  rows: count,
                },
              },
            ]
          : []),
      ]);
    },

    /** The center's filed community organizations in the bureau's column layout. */
    async exportFilings(ctx: RequestContext, query: ExportFilingsQuery): Promise<Spreadsheet> {
      const places = await loadPlaces(kysely);
      let scope = ctx.actor.scopePath;
      if (query.jurisdictionId) {
        const j = places.byId.get(query.jurisdictionId);
        if (!j || !inScope(ctx.actor, j.path)) throw notFound('jurisdiction');
        scope = j.path;
      }
      const onlyId = ctx.actor.role === 'ngo_officer' ? (ctx.actor.organizationId ?? 0) : null;
      const rows = (async function* () {
        for (let after = 0; ;) {
          const page = await oq.listFiledUnder(kysely, scope, after, 1000);
          for (const r of page) {
            if (onlyId !== null && r.id !== onlyId) continue;
            const j = places.byId.get(r.jurisdiction_id);
            yield filingColumns.map((c) =>
              c.value(r, {
                jurisdictionCode: j?.code ?? '',
                jurisdictionName: j?.name ?? '',
                picId: r.pic_id_masked,
                picPhone: r.pic_phone_masked,
              }),
            );
          }
          if (page.length < 1000) return;
          after = page[page.length - 1]!.id;
        }
      })();
      const sheet = await writeSpreadsheet(query.format, '社区社会组织备案', filingColumns, rows);
      return audited(ctx, sheet, (count) => [
        {
          action: 'organization.export',
          entityType: 'organization',
          details: { filter: { ...query, filings: true }, rows: count, revealed: false },
        },
      ]);
    },
  };
}

export type RegistryExportService = ReturnType<typeof createRegistryExportService>;
