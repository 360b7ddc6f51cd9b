import {
  MAX_REJECTED_LISTED,
  usccRegion,
  type ExportFilingsQuery,
  type ExportOrganizationsQuery,
  type Organization,
  type RegistryImportResult,
  type RegistryReconciliation,
} from '@qiao/contracts';
import type { Insertable, Updateable } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { OrganizationRow, OrganizationTable, OrganizationVersionTable } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { listJurisdictionsUnder } from '../jurisdictions/jurisdictions.queries.js';
import { historyFields, PII_KEY, presentOrganization } from '../organizations/organization-record.js';
import * as oq from '../organizations/organizations.queries.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { filingColumns, organizationColumns, writeSpreadsheet, type Spreadsheet } from './export-writer.js';
import { readRegistryRecords, type SpooledFile } from './registry-file.js';
import { validateRecord, type RegistryRow, type RowError } from './registry-row.js';

/** Rows per transaction: big enough to amortize a commit, small enough to keep locks short. */
const BATCH = 500;

interface Place {
  id: number;
  path: string;
  level: string;
  code: string;
  name: string;
}

/** The registry fields a bureau row sets, compared and written as columns. */
const syncedColumns = [
  'kind',
  'name',
  'status',
  'registered_on',
  'registration_authority',
  'address',
  'pic_name',
  'jurisdiction_id',
] as const;

/** Rejected rows, the first MAX_REJECTED_LISTED listed, all counted. */
class Rejections {
  list: { line: number; errors: RowError[] }[] = [];
  count = 0;
  add(line: number, errors: RowError[]) {
    this.count += 1;
    if (this.list.length < MAX_REJECTED_LISTED) this.list.push({ line, errors });
  }
  sorted() {
    return [...this.list].sort((a, b) => a.line - b.line);
  }
}

/** Bureau sync: import and reconcile the municipal registry, place waiting organizations, exports. */
export function createRegistrySyncService({ db, keyring }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;

  async function loadPlaces() {
    const all = await listJurisdictionsUnder(kysely, '/');
    const byCode = new Map<string, Place>();
    const byId = new Map<number, Place>();
    let root: Place | undefined;
    for (const j of all) {
      const p: Place = { id: j.id, path: j.path, level: j.level, code: j.code, name: j.name };
      byCode.set(p.code, p);
      byId.set(p.id, p);
      if (p.level === 'city') root = p;
    }
    if (!root) throw new Error('the city jurisdiction is missing');
    return { byCode, byId, root };
  }
  type Places = Awaited<ReturnType<typeof loadPlaces>>;

  /**
   * Where a row goes: its jurisdiction_code; else, for a new organization, the district whose code
   * is the USCC's region, or the city when none is; an existing one stays where it is.
   */
  function placeRow(
    ctx: RequestContext,
    places: Places,
    row: RegistryRow,
    before: OrganizationRow | undefined,
  ): { target: Place | null } | { errors: RowError[] } {
    if (before && !inScope(ctx.actor, before.jurisdiction_path))
      return { errors: [{ field: 'uscc', code: 'out_of_scope' }] };
    let target: Place | null = null;
    if (row.jurisdictionCode) {
      target = places.byCode.get(row.jurisdictionCode) ?? null;
      if (!target) return { errors: [{ field: 'jurisdiction_code', code: 'not_found' }] };
    } else if (!before) {
      const region = places.byCode.get(usccRegion(row.uscc));
      target = region?.level === 'district' ? region : places.root;
    }
    if (target && !inScope(ctx.actor, target.path))
      return { errors: [{ field: 'jurisdiction_code', code: 'out_of_scope' }] };
    return { target };
  }

  /** The columns a row sets; fields the file leaves empty keep what Qiao has. */
  function rowColumns(row: RegistryRow, target: Place | null): Updateable<OrganizationTable> {
    const c: Updateable<OrganizationTable> = { kind: row.kind, name: row.name, status: row.status };
    if (row.registeredOn) c.registered_on = row.registeredOn;
    if (row.authority) c.registration_authority = row.authority;
    if (row.address) c.address = row.address;
    if (row.legalRepresentative) c.pic_name = row.legalRepresentative;
    if (target) {
      c.jurisdiction_id = target.id;
      c.jurisdiction_path = target.path;
    }
    return c;
  }

  function changedColumns(before: OrganizationRow, cols: Updateable<OrganizationTable>) {
    return syncedColumns.filter((k) => cols[k] !== undefined && cols[k] !== before[k]);
  }

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

    /**
     * Compares the bureau's file with the registry in the caller's scope; writes nothing but its
     * audit event.
     */
    async reconcileRegistry(ctx: RequestContext, upload: SpooledFile): Promise<RegistryReconciliation> {
      const places = await loadPlaces();
      const rejected = new Rejections();
      const seen = new Set<string>();
      const onlyInFile: RegistryReconciliation['onlyInFile'] = [];
      const differing: RegistryReconciliation['differing'] = [];
      let rows = 0;
      let batch: RegistryRow[] = [];
      const compare = async (rowsOfBatch: RegistryRow[]) => {
        if (!rowsOfBatch.length) return;
        const existing = new Map(
          (await oq.findOrganizationsByUsccs(kysely, [...new Set(rowsOfBatch.map((r) => r.uscc))])).map((r) => [
            r.uscc!,
            r,
          ]),
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

    /**
     * The filtered list of the caller's scope as a spreadsheet file, personal data masked unless
     * revealed for a reason. The file is written first, so the one audit event carries the exact
     * row count before a byte leaves.
     */
    async exportOrganizations(ctx: RequestContext, query: ExportOrganizationsQuery): Promise<Spreadsheet> {
      const reveal = query.reveal === true;
      if (reveal && !ctx.actor.permissions.has('organization:reveal'))
        throw forbidden('Revealing personal data needs the permission organization:reveal.');
      const { format, reveal: _r, reason, ...filter } = query;
      const places = await loadPlaces();
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
      try {
        await kysely.transaction().execute(async (trx) => {
          await recordAudit(trx, auditContext(ctx), {
            action: 'organization.export',
            entityType: 'organization',
            details: { filter: { ...filter, format }, rows: sheet.rows, revealed: reveal },
          });
          if (reveal) {
            await recordAudit(trx, auditContext(ctx), {
              action: 'organization.reveal',
              entityType: 'organization',
              details: {
                reason,
                fields: ['personInCharge.idNumber', 'personInCharge.phone'],
                export: true,
                rows: sheet.rows,
              },
            });
          }
        });
      } catch (e) {
        await sheet.dispose();
        throw e;
      }
      return sheet;
    },

    /** The center's filed community organizations in the bureau's column layout. */
    async exportFilings(ctx: RequestContext, query: ExportFilingsQuery): Promise<Spreadsheet> {
      const places = await loadPlaces();
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
      try {
        await kysely.transaction().execute((trx) =>
          recordAudit(trx, auditContext(ctx), {
            action: 'organization.export',
            entityType: 'organization',
            details: { filter: { ...query, filings: true }, rows: sheet.rows, revealed: false },
          }),
        );
      } catch (e) {
        await sheet.dispose();
        throw e;
      }
      return sheet;
    },
  };
}

const fieldName: Record<(typeof syncedColumns)[number], string> = {
  kind: 'kind',
  name: 'name',
  status: 'status',
  registered_on: 'registered_on',
  registration_authority: 'authority',
  address: 'address',
  pic_name: 'legal_representative',
  jurisdiction_id: 'jurisdiction_code',
};

export type RegistrySyncService = ReturnType<typeof createRegistrySyncService>;
