import type { RegistryImportJob, RegistryImportResult } from '@qiao/contracts';
import type { Kysely, Selectable } from 'kysely';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { nowIso } from '../../db/database.js';
import type { Database, RegistryImportJobTable } from '../../db/schema.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { inScope, type RequestContext } from '../../platform/scope.js';
import type { SpooledFile } from './registry-file.js';
import type { RegistryImportProgress, RegistrySyncService } from './registry-sync.service.js';

type JobRow = Selectable<RegistryImportJobTable>;

/** Lines of the spooled file that hold a record: newlines, plus an unterminated last line, less a CSV's header. */
async function countRows(upload: SpooledFile): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(upload.file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  if (last !== 0x0a) lines += 1;
  return Math.max(0, upload.format === 'csv' ? lines - 1 : lines);
}

/** What a job that died with its process says, once a process starts again. */
export const INTERRUPTED =
  'The import was interrupted when the server stopped; import the file again (re-importing changes nothing already imported).';

function presentJob(row: JobRow): RegistryImportJob {
  return {
    id: row.id,
    status: row.status,
    filename: row.filename,
    bytes: Number(row.bytes),
    startedBy: row.actor_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    estimatedRows: row.estimated_rows,
    rows: row.rows,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejectedCount: row.rejected,
    result: row.result === null ? null : (JSON.parse(row.result) as RegistryImportResult),
    error: row.error,
    errorFields: row.error_fields === null ? [] : (JSON.parse(row.error_fields) as { field: string; code: string }[]),
  };
}

/**
 * Jobs still marked running when a process starts were cut off by a process exit: they say failed.
 * Called once at start, before the process takes requests (main.ts). One process per database is
 * assumed here: a second live process's running job would be marked too (see docs/ops.md).
 */
export async function failInterruptedImports(db: Kysely<Database>): Promise<number> {
  const result = await db
    .updateTable('registry_import_jobs')
    .set({ status: 'failed', error: INTERRUPTED, finished_at: nowIso() })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Background registry imports: the upload is already on disk under QIAO_DATA_DIR/imports; the same
 * importRegistry runs after the 202, its onProgress hook writing the counts to the job row.
 */
export function createRegistryImportJobService({ db, config }: Deps, sync: RegistrySyncService) {
  const kysely = db.kysely;
  const running = new Set<Promise<void>>();

  const update = (id: number, set: Partial<Omit<JobRow, 'id'>>) =>
    kysely.updateTable('registry_import_jobs').set(set).where('id', '=', id).execute();

  const counts = (p: RegistryImportProgress) => ({
    rows: p.rows,
    created: p.created,
    updated: p.updated,
    unchanged: p.unchanged,
    rejected: p.rejected,
  });

  async function run(ctx: RequestContext, id: number, upload: SpooledFile, filename: string | null) {
    // Progress writes go one after another; a failed progress write does not stop the import.
    let writes = Promise.resolve();
    const onProgress = (p: RegistryImportProgress) => {
      writes = writes.then(() => update(id, counts(p)).then(() => undefined)).catch(() => undefined);
    };
    let outcome: { result: RegistryImportResult } | { error: unknown };
    try {
      await update(id, { estimated_rows: await countRows(upload) });
      outcome = { result: await sync.importRegistry(ctx, upload, filename, onProgress, { jobId: id }) };
    } catch (error) {
      outcome = { error };
    }
    // The spooled file goes before the job says it ended: a finished job leaves nothing under QIAO_DATA_DIR/imports.
    await upload.dispose();
    await writes;
    if ('result' in outcome) {
      const { result } = outcome;
      await update(id, {
        status: 'done',
        rows: result.rows,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejectedCount,
        result: JSON.stringify(result),
        finished_at: nowIso(),
      });
      return;
    }
    const e = outcome.error;
    // A domain error (a file without the bureau's columns, a conflicting import) says what the client can fix.
    const message =
      e instanceof DomainError ? e.message : 'The import failed on the server; the operator’s log says why.';
    const fields = e instanceof DomainError && e.errors ? e.errors.map(({ field, code }) => ({ field, code })) : null;
    await update(id, {
      status: 'failed',
      error: message,
      error_fields: fields && JSON.stringify(fields),
      finished_at: nowIso(),
    });
    if (!(e instanceof DomainError)) throw e;
  }

  return {
    /** Where a background upload is written: it must outlive the request that brought it. */
    uploadDir: path.join(config.dataDir, 'imports'),

    /** Records the job and starts the import without waiting for it; the upload is the job's to dispose. */
    async startImport(
      ctx: RequestContext,
      upload: SpooledFile,
      filename: string | null,
      log: (error: unknown) => void,
    ): Promise<RegistryImportJob> {
      const row = await kysely
        .insertInto('registry_import_jobs')
        .values({
          actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
          actor_name: ctx.actor.username,
          scope_path: ctx.actor.scopePath,
          filename,
          bytes: upload.bytes,
          status: 'running',
          estimated_rows: null,
          rows: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          result: null,
          error: null,
          error_fields: null,
          started_at: nowIso(),
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(async (e: unknown) => {
          await upload.dispose();
          throw e;
        });
      const job = run(ctx, row.id, upload, filename)
        .catch(log)
        .finally(() => running.delete(job));
      running.add(job);
      return presentJob(row);
    },

    /** A job its starter, or anyone with import rights over the starter's jurisdiction, may follow; others get 404. */
    async getImportJob(ctx: RequestContext, id: number): Promise<RegistryImportJob> {
      const row = await kysely.selectFrom('registry_import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      const mine = row && ctx.actor.kind !== 'system' && row.actor_id === ctx.actor.userId;
      if (!row || !(mine || inScope(ctx.actor, row.scope_path))) throw notFound('import job');
      return presentJob(row);
    },

    /** Resolves when every job this process started has finished (tests; a graceful stop). */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

export type RegistryImportJobService = ReturnType<typeof createRegistryImportJobService>;
