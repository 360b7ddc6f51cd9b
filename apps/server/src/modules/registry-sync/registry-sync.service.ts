import { type Organization, type RegistryImportResult } from '@qiao/contracts';
import type { Insertable, Updateable } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { OrganizationRow, OrganizationTable, OrganizationVersionTable } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields } from '../../platform/errors.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { loadPlaces as placesOf } from './places.js';
import { BATCH, changedColumns, placeRow, Rejections, rowColumns } from './registry-mapping.js';
import { historyFields, presentOrganization } from '../organizations/organization-record.js';
import * as oq from '../organizations/organizations.queries.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { readRegistryRecords, type SpooledFile } from './registry-file.js';
import { validateRecord, type RegistryRow } from './registry-row.js';

/** Bureau sync: import the municipal registry, place waiting organizations. */
export function createRegistrySyncService({ db }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;

  const loadPlaces = () => placesOf(kysely);

  return {
    /**
     * Upserts the bureau's registry file by USCC in batched transactions. Each organization it
     * creates or changes gets a version by the importing user; the import writes one audit event
     * (counts and the file's SHA-256) in the transaction of its last batch.
     */
    async importRegistry(
      ctx: RequestContext,
      upload: SpooledFile,
      filename: string | null,
    ): Promise<RegistryImportResult> {
      const places = await loadPlaces();
      const audit = auditContext(ctx);
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const rejected = new Rejections();
      let rows = 0;
      let batches = 0;

      const applyBatch = async (trx: Executor, batch: RegistryRow[]) => {
        if (!batch.length) return;
        const existing = new Map(
          (await oq.findOrganizationsByUsccs(trx, [...new Set(batch.map((r) => r.uscc))])).map((r) => [r.uscc!, r]),
        );
        const versions: Insertable<OrganizationVersionTable>[] = [];
        const now = nowIso();
        const version = (id: number, v: number, action: string, changes: unknown) =>
          versions.push({
            organization_id: id,
            version: v,
            changed_at: now,
            actor_id: audit.actorId,
            actor_name: audit.actorName,
            action,
            reason: null,
            changes: JSON.stringify(changes),
          });
        // New organizations go in one multi-row insert per batch (a round trip per row is what PostgreSQL pays most for).
        const pending = new Map<string, Omit<OrganizationRow, 'id'>>();
        const flush = async () => {
          if (!pending.size) return;
          const all = [...pending.values()];
          pending.clear();
          const ids = new Map((await oq.insertOrganizations(trx, all)).map((r) => [r.uscc!, r.id]));
          for (const values of all) {
            const created = { ...values, id: ids.get(values.uscc!)! };
            version(
              created.id,
              1,
              'organization.create',
              diffChanges(null, presentOrganization(created), historyFields),
            );
            existing.set(values.uscc!, created);
            counts.created += 1;
          }
        };
        for (const row of batch) {
          // The same USCC twice in one batch: the first row's insert happens before the second is compared.
          if (pending.has(row.uscc)) await flush();
          const before = existing.get(row.uscc);
          const placed = placeRow(ctx, places, row, before);
          if ('errors' in placed) {
            rejected.add(row.line, placed.errors);
            continue;
          }
          const cols = rowColumns(row, placed.target);
          if (!before) {
            const values = {
              name_en: null,
              filing_number: null,
              founded_on: null,
              registered_on: null,
              registration_authority: null,
              supervising_unit: null,
              address: null,
              pic_name: null,
              pic_id_sealed: null,
              pic_id_masked: null,
              pic_id_index: null,
              pic_phone_sealed: null,
              pic_phone_masked: null,
              fields: '[]',
              members_count: null,
              staff_count: null,
              volunteers_count: null,
              needs: null,
              capabilities: null,
              party_branch_kind: 'none',
              party_branch: null,
              certificate_expires_on: null,
              contact_status: 'reachable',
              unreachable_since: null,
              version: 1,
              created_at: now,
              updated_at: now,
              uscc: row.uscc,
              ...cols,
            } as Omit<OrganizationRow, 'id'>;
            pending.set(row.uscc, values);
            continue;
          }
          const changed = changedColumns(before, cols);
          if (!changed.length) {
            counts.unchanged += 1;
            continue;
          }
          const set: Updateable<OrganizationTable> = { ...cols, version: before.version + 1, updated_at: now };
          // A new legal representative is a new person: the previous one's ID number and phone go.
          if (changed.includes('pic_name') && before.pic_name !== null) {
            Object.assign(set, {
              pic_id_sealed: null,
              pic_id_masked: null,
              pic_id_index: null,
              pic_phone_sealed: null,
              pic_phone_masked: null,
            });
          }
          await oq.updateOrganizationColumns(trx, before.id, set);
          const after = { ...before, ...set } as OrganizationRow;
          version(
            before.id,
            after.version,
            'organization.update',
            diffChanges(presentOrganization(before), presentOrganization(after), historyFields),
          );
          existing.set(row.uscc, after);
          counts.updated += 1;
        }
        await flush();
        await oq.insertVersions(trx, versions);
      };

      const details = (extra: Record<string, unknown> = {}) => ({
        counts: { ...counts, rejected: rejected.count },
        sha256: upload.sha256,
        bytes: upload.bytes,
        rows,
        encoding: upload.encoding,
        format: upload.format,
        filename,
        ...extra,
      });
      const conflict = (e: unknown) => {
        throw isUniqueViolation(e)
          ? new DomainError('conflict', 'Another import wrote the same organizations meanwhile; import again.')
          : e;
      };

      let batch: RegistryRow[] = [];
      try {
        for await (const record of readRegistryRecords(upload)) {
          rows += 1;
          const checked = validateRecord(record);
          if (!checked.ok) {
            rejected.add(record.line, checked.errors);
            continue;
          }
          batch.push(checked.row);
          if (batch.length >= BATCH) {
            const full = batch;
            batch = [];
            await kysely
              .transaction()
              .execute((trx) => applyBatch(trx, full))
              .catch(conflict);
            batches += 1;
          }
        }
        await kysely
          .transaction()
          .execute(async (trx) => {
            await applyBatch(trx, batch);
            await recordAudit(trx, audit, { action: 'registry.import', details: details() });
          })
          .catch(conflict);
      } catch (e) {
        // Batches already committed stay (a re-import is idempotent); the trail says how far it got.
        if (batches > 0) {
          await kysely.transaction().execute((trx) =>
            recordAudit(trx, audit, {
              action: 'registry.import',
              outcome: 'failure',
              details: details({ error: e instanceof Error ? e.message : String(e) }),
            }),
          );
        }
        throw e;
      }
      return {
        ...counts,
        rejected: rejected.sorted(),
        rejectedCount: rejected.count,
        rows,
        sha256: upload.sha256,
      };
    },

    /** Places an organization (typically one waiting at district or city level) in a subdistrict of the caller's scope. */
    async assignOrganizationJurisdiction(
      ctx: RequestContext,
      id: number,
      jurisdictionId: number,
    ): Promise<Organization> {
      const row = await organizations.getVisible(ctx, id);
      const target = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path', 'level'])
        .where('id', '=', jurisdictionId)
        .executeTakeFirst();
      if (!target || !inScope(ctx.actor, target.path)) {
        throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
      }
      if (target.level !== 'subdistrict') {
        throw invalidFields([
          { field: 'jurisdictionId', code: 'level_mismatch', message: 'an organization is placed in a subdistrict' },
        ]);
      }
      if (target.id === row.jurisdiction_id) return presentOrganization(row);
      await kysely.transaction().execute(async (trx) => {
        const set = {
          jurisdiction_id: target.id,
          jurisdiction_path: target.path,
          version: row.version + 1,
          updated_at: nowIso(),
        };
        await oq.updateOrganizationColumns(trx, id, set);
        const after = { ...row, ...set };
        await organizations.recordVersion(
          trx,
          ctx,
          after,
          after.version,
          'organization.update',
          diffChanges(presentOrganization(row), presentOrganization(after), historyFields),
        );
      });
      return organizations.getOrganization(ctx, id);
    },
  };
}

export type RegistrySyncService = ReturnType<typeof createRegistrySyncService>;
