import type { RegistryReconciliation } from '@qiao/contracts';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import * as oq from '../organizations/organizations.queries.js';
import { loadPlaces } from './places.js';
import { readRegistryRecords, type SpooledFile } from './registry-file.js';
import { BATCH, changedColumns, fieldName, placeRow, Rejections, rowColumns } from './registry-mapping.js';
import { validateRecord, type RegistryRow } from './registry-row.js';

/** Reconciliation: what the bureau's file and the registry disagree on, within the caller's scope. */
export function createRegistryReconcileService({ db }: Deps) {
  const kysely = db.kysely;
  return {
    /**
     * Compares the bureau's file with the registry in the caller's scope; writes nothing but its
     * audit event.
     */
    async reconcileRegistry(ctx: RequestContext, upload: SpooledFile): Promise<RegistryReconciliation> {
      const places = await loadPlaces(kysely);
      const rejected = new Rejections();
      const seen = new Set<string>();
      const onlyInFile: RegistryReconciliation['onlyInFile'] = [];
      const differing: RegistryReconciliation['differing'] = [];
      let rows = 0;
      let batch: RegistryRow[] = [];
      const compare = async (rowsOfBatch: RegistryRow[]) => {
        if (!rowsOfBatch.length) return;
        const existing = new Map(
          (await oq.findOrganizationsByUsccs(kysely, db.engine, [...new Set(rowsOfBatch.map((r) => r.uscc))])).map(
            (r) => [r.uscc!, r],
          ),
        );
        for (const row of rowsOfBatch) {
          const before = existing.get(row.uscc);
          const placed = placeRow(ctx, places, row, before);
          // Outside the caller's scope: neither side of the comparison is theirs.
          if ('errors' in placed) continue;
          seen.add(row.uscc);
          if (!before) {
            onlyInFile.push({ uscc: row.uscc, name: row.name });
            continue;
          }
          const cols = rowColumns(row, placed.target);
          const fields = changedColumns(before, cols).map((k) =>
            k === 'jurisdiction_id'
              ? {
                  field: 'jurisdiction_code',
                  file: row.jurisdictionCode,
                  qiao: places.byId.get(before.jurisdiction_id)?.code ?? null,
                }
              : { field: fieldName[k], file: String(cols[k]), qiao: before[k] === null ? null : String(before[k]) },
          );
          if (fields.length) differing.push({ uscc: row.uscc, id: before.id, fields });
        }
      };
      for await (const record of readRegistryRecords(upload)) {
        rows += 1;
        const checked = validateRecord(record);
        if (!checked.ok) {
          rejected.add(record.line, checked.errors);
          continue;
        }
        batch.push(checked.row);
        if (batch.length >= BATCH) {
          await compare(batch);
          batch = [];
        }
      }
      await compare(batch);
      const onlyInQiao: RegistryReconciliation['onlyInQiao'] = [];
      for (let after = 0; ;) {
        const page = await oq.listRegisteredUnder(kysely, ctx.actor.scopePath, after, 1000);
        for (const r of page) if (!seen.has(r.uscc!)) onlyInQiao.push({ id: r.id, uscc: r.uscc!, name: r.name });
        if (page.length < 1000) break;
        after = page[page.length - 1]!.id;
      }
      await kysely.transaction().execute((trx) =>
        recordAudit(trx, auditContext(ctx), {
          action: 'registry.reconcile',
          details: {
            counts: {
              onlyInFile: onlyInFile.length,
              onlyInQiao: onlyInQiao.length,
              differing: differing.length,
              rejected: rejected.count,
            },
            sha256: upload.sha256,
            rows,
          },
        }),
      );
      return {
        onlyInFile,
        onlyInQiao,
        differing,
        rejected: rejected.sorted(),
        rejectedCount: rejected.count,
        rows,
        sha256: upload.sha256,
      };
    },
  };
}

export type RegistryReconcileService = ReturnType<typeof createRegistryReconcileService>;
