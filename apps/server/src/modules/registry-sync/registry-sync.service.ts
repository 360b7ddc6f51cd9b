import { type Organization, type RegistryImportResult } from '@qiao/contracts';
import type { Selectable, Updateable } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { OrganizationRow, OrganizationTable, OrganizationVersionTable } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields } from '../../platform/errors.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { loadPlaces as placesOf } from './places.js';
import {
  BATCH,
  CHUNK,
  changedColumns,
  placeRow,
  POSTINGS_BATCH,
  POSTINGS_EVERY,
  Rejections,
  rowColumns,
} from './registry-mapping.js';
import { deferNamePostings, resumeNamePostings, writePendingNamePostings } from '../organizations/name-postings.js';
import { historyFields, presentOrganization } from '../organizations/organization-record.js';
import * as oq from '../organizations/organizations.queries.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { readRegistryRecords, type SpooledFile } from './registry-file.js';
import { validateRecord, type RegistryRow } from './registry-row.js';

/** Versions per insert statement: 8 columns, far under the engines' bound-parameter limits. */
const VERSION_BATCH = 1_000;

/**
 * `n` rows as statement sizes: full statements, then powers of two. Every distinct row count is a
 * distinct statement text, and the SQLite driver keeps each prepared (dialect.ts); a multi-row insert
 * of a few hundred rows prepares to megabytes, so leftovers of every length grew the process by
 * hundreds of MB over a long import. This way a table has at most ten texts.
 */
export function statementSizes(n: number, full: number): number[] {
  const sizes: number[] = [];
  for (; n >= full; n -= full) sizes.push(full);
  for (let p = 2 ** Math.floor(Math.log2(full)); p >= 1; p /= 2) {
    if (n >= p) {
      sizes.push(p);
      n -= p;
    }
  }
  return sizes;
}

/** What a new organization from the bureau's file holds besides the file's columns. */
const newOrganizationDefaults = {
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
} as const;

/** How far an import has got: rows read, and what became of them so far. */
export interface RegistryImportProgress {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Bureau sync: import the municipal registry, place waiting organizations. */
export function createRegistrySyncService({ db }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;

  const loadPlaces = () => placesOf(kysely);

  return {
    /**
     * Upserts the bureau's registry file by USCC in transactions of CHUNK rows (ADR 0009). Each
     * organization it creates or changes gets a version by the importing user; the import writes one
     * audit event (counts and the file's SHA-256) in the transaction of its last chunk. `onProgress`
     * hears the counts after each committed chunk.
     */
    async importRegistry(
      ctx: RequestContext,
      upload: SpooledFile,
      filename: string | null,
      onProgress?: (progress: RegistryImportProgress) => void,
      auditDetails: Record<string, unknown> = {},
    ): Promise<RegistryImportResult> {
      const places = await loadPlaces();
      const audit = auditContext(ctx);
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const rejected = new Rejections();
      let rows = 0;
      let chunks = 0;
      const progress = () => onProgress?.({ rows, ...counts, rejected: rejected.count });

      /** One transaction: the chunk's existing rows in one lookup, new rows and versions in multi-row inserts. */
      const applyChunk = async (trx: Executor, chunk: RegistryRow[]) => {
        if (!chunk.length) return;
        await deferNamePostings(trx);
        await applyRows(trx, chunk);
        await resumeNamePostings(trx);
      };
      /** Pending name postings written in batches, each its own transaction, so other requests get in between. */
      const writePostings = async () => {
        while (await kysely.transaction().execute((trx) => writePendingNamePostings(trx, db.engine, POSTINGS_BATCH))) {
          // one batch per transaction
        }
      };
      let sincePostings = 0;

      const applyRows = async (trx: Executor, chunk: RegistryRow[]) => {
        const existing = new Map(
          (await oq.findOrganizationsByUsccs(trx, db.engine, [...new Set(chunk.map((r) => r.uscc))])).map((r) => [
            r.uscc!,
            r,
          ]),
        );
        const versions: Omit<Selectable<OrganizationVersionTable>, 'id'>[] = [];
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
        // New organizations go in multi-row inserts of BATCH rows (a round trip per row is what PostgreSQL pays most for).
        const pending = new Map<string, Omit<OrganizationRow, 'id'>>();
        const flush = async () => {
          if (!pending.size) return;
          const all = [...pending.values()];
          pending.clear();
          const ids = new Map<string, number>();
          let at = 0;
          for (const size of statementSizes(all.length, BATCH)) {
            for (const r of await oq.insertOrganizations(trx, db.engine, all.slice(at, (at += size))))
              ids.set(r.uscc!, r.id);
          }
          for (const values of all) {
            const created = Object.assign(values, { id: ids.get(values.uscc!)! });
            version(
              created.id,
              1,
              'organization.create',
              diffChanges(null, presentOrganization(created), historyFields),
            );
            existing.set(values.uscc!, created);
            counts.created += 1;
          }
          await writeVersions(false);
        };
        // Versions go out as they fill a statement (after their organizations' inserts): a chunk keeps few in memory.
        const writeVersions = async (all: boolean) => {
          while (versions.length >= VERSION_BATCH)
            await oq.insertVersions(trx, db.engine, versions.splice(0, VERSION_BATCH));
          if (all)
            for (const size of statementSizes(versions.length, VERSION_BATCH))
              await oq.insertVersions(trx, db.engine, versions.splice(0, size));
        };
        for (const row of chunk) {
          // The same USCC twice in one chunk: the first row's insert happens before the second is compared.
          if (pending.has(row.uscc)) await flush();
          const before = existing.get(row.uscc);
          const placed = placeRow(ctx, places, row, before);
          if ('errors' in placed) {
            rejected.add(row.line, placed.errors);
            continue;
          }
          const cols = rowColumns(row, placed.target);
          if (!before) {
            pending.set(row.uscc, {
              ...newOrganizationDefaults,
              created_at: now,
              updated_at: now,
              uscc: row.uscc,
              ...cols,
            } as Omit<OrganizationRow, 'id'>);
            if (pending.size >= BATCH) await flush();
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
        await writeVersions(true);
      };

      const details = (extra: Record<string, unknown> = {}) => ({
        counts: { ...counts, rejected: rejected.count },
        sha256: upload.sha256,
        bytes: upload.bytes,
        rows,
        encoding: upload.encoding,
        format: upload.format,
        filename,
        ...auditDetails,
        ...extra,
      });
      const conflict = (e: unknown) => {
        throw isUniqueViolation(e)
          ? new DomainError('conflict', 'Another import wrote the same organizations meanwhile; import again.')
          : e;
      };

      let chunk: RegistryRow[] = [];
      try {
        // Left pending by an import that stopped half-way (a crash, a restart).
        await writePostings();
        for await (const record of readRegistryRecords(upload)) {
          rows += 1;
          const checked = validateRecord(record);
          if (!checked.ok) {
            rejected.add(record.line, checked.errors);
            continue;
          }
          chunk.push(checked.row);
          if (chunk.length >= CHUNK) {
            const full = chunk;
            chunk = [];
            await kysely
              .transaction()
              .execute((trx) => applyChunk(trx, full))
              .catch(conflict);
            chunks += 1;
            if ((sincePostings += full.length) >= POSTINGS_EVERY) {
              sincePostings = 0;
              await writePostings();
            }
            progress();
          }
        }
        await kysely
          .transaction()
          .execute(async (trx) => {
            await applyChunk(trx, chunk);
            await recordAudit(trx, audit, { action: 'registry.import', details: details() });
          })
          .catch(conflict);
        await writePostings();
        progress();
      } catch (e) {
        // What committed chunks created is findable meanwhile (search tests pending names); write its
        // postings now. Should that fail too, the import's own error is the one to report: the names
        // stay pending, still found, and the next import writes them.
        await writePostings().catch(() => undefined);
        // Chunks already committed stay (a re-import is idempotent); the trail says how far it got.
        if (chunks > 0) {
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
