import type {
  ListRegistryImportJobsQuery,
  RegistryImportJob,
  RegistryImportJobSummary,
  RegistryImportResult,
} from '@qiao/contracts';
import type { Kysely, Selectable } from 'kysely';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { nowIso } from '../../db/database.js';
import type { Database, RegistryImportJobTable } from '../../db/schema.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { processHolder } from '../../platform/jobs.js';
import { inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
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

function presentSummary(row: Omit<JobRow, 'result'>): RegistryImportJobSummary {
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
    error: row.error,
    errorFields: row.error_fields === null ? [] : (JSON.parse(row.error_fields) as { field: string; code: string }[]),
  };
}

function presentJob(row: JobRow): RegistryImportJob {
  return {
    ...presentSummary(row),
    result: row.result === null ? null : (JSON.parse(row.result) as RegistryImportResult),
  };
}

/** How often a running job's process renews its heartbeat. */
export const HEARTBEAT_MS = 30_000;
/** A running job whose heartbeat is older than this was abandoned by a process that stopped. */
export const STALE_MS = 3 * 60_000;
/** Files under QIAO_DATA_DIR/imports no running job holds are swept once older than this. */
const ORPHAN_FILE_MS = 24 * 60 * 60_000;
const SPOOL_DIR = /^qiao-import-[A-Za-z0-9_-]+$/;

/**
 * Fails the running jobs whose process stopped renewing their heartbeat (a crash, a kill), and
 * removes their spooled uploads. A job another live process is running renews its heartbeat every
 * 30 s and is left alone, so this is safe at start-up with several processes on one database, and
 * in the periodic `registry-import-recovery` job. The UPDATE ... RETURNING gives each abandoned job
 * to exactly one caller.
 */
export async function failAbandonedImports(
  db: Kysely<Database>,
  uploadDir: string,
  now: Date = new Date(),
): Promise<number> {
  const stale = new Date(now.getTime() - STALE_MS).toISOString();
  const failed = await db
    .updateTable('registry_import_jobs')
    .set({ status: 'failed', error: INTERRUPTED, finished_at: now.toISOString(), holder: null })
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', stale)]))
    .returning(['id', 'upload_file'])
    .execute();
  // RETURNING gives the values after the update: the upload's name is still there, cleared once removed.
  for (const { id, upload_file } of failed) {
    if (!upload_file) continue;
    if (SPOOL_DIR.test(upload_file)) await rm(path.join(uploadDir, upload_file), { recursive: true, force: true });
    await db.updateTable('registry_import_jobs').set({ upload_file: null }).where('id', '=', id).execute();
  }
  return failed.length;
}

/**
 * Background registry imports: the upload is already on disk under QIAO_DATA_DIR/imports; the same
 * importRegistry runs after the 202, its onProgress hook writing the counts to the job row.
 */
export function createRegistryImportJobService({ db, config, clock }: Deps, sync: RegistrySyncService) {
  const kysely = db.kysely;
  const running = new Set<Promise<void>>();
  const holder = processHolder();
  const now = () => (clock ? clock() : new Date());
  const uploadDir = path.join(config.dataDir, 'imports');

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
    const write = (set: Partial<Omit<JobRow, 'id'>>) => {
      writes = writes.then(() => update(id, set).then(() => undefined)).catch(() => undefined);
    };
    const onProgress = (p: RegistryImportProgress) => write({ ...counts(p), heartbeat_at: now().toISOString() });
    // The heartbeat tells other processes this job is alive, however long one chunk takes.
    const heartbeat = setInterval(() => write({ heartbeat_at: now().toISOString() }), HEARTBEAT_MS);
    heartbeat.unref();
    let outcome: { result: RegistryImportResult } | { error: unknown };
    try {
      await update(id, { estimated_rows: await countRows(upload) });
      outcome = { result: await sync.importRegistry(ctx, upload, filename, onProgress, { jobId: id }) };
    } catch (error) {
      outcome = { error };
    }
    clearInterval(heartbeat);
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
        holder: null,
        upload_file: null,
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
      holder: null,
      upload_file: null,
    });
    if (!(e instanceof DomainError)) throw e;
  }

  return {
    /** Where a background upload is written: it must outlive the request that brought it. */
    uploadDir,
    /** Days a finished job's row and rejected rows are kept (QIAO_IMPORT_JOB_RETENTION_DAYS). */
    retentionDays: config.importJobRetentionDays,

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
          holder,
          heartbeat_at: now().toISOString(),
          upload_file: path.relative(uploadDir, path.dirname(upload.file)),
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

    /**
     * The jobs the caller may follow, newest first: those it started and those of its subtree.
     * Without the result: a job's rejected rows are read through getImportJob.
     */
    async listImportJobs(
      ctx: RequestContext,
      query: ListRegistryImportJobsQuery,
    ): Promise<{ items: RegistryImportJobSummary[]; nextCursor: string | null }> {
      const mine = ctx.actor.kind === 'system' ? null : ctx.actor.userId;
      const rows = await kysely
        .selectFrom('registry_import_jobs')
        .select([
          'id',
          'actor_id',
          'actor_name',
          'scope_path',
          'filename',
          'bytes',
          'status',
          'estimated_rows',
          'rows',
          'created',
          'updated',
          'unchanged',
          'rejected',
          'error',
          'error_fields',
          'started_at',
          'finished_at',
          'holder',
          'heartbeat_at',
          'upload_file',
        ])
        .where((eb) =>
          mine === null
            ? inSubtree('scope_path', ctx.actor.scopePath)
            : eb.or([inSubtree('scope_path', ctx.actor.scopePath), eb('actor_id', '=', mine)]),
        )
        .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status!))
        .$if(query.cursor !== undefined, (qb) => qb.where('id', '<', Number(query.cursor)))
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(presentSummary),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /**
     * The daily retention run: finished jobs older than the retention period go with their
     * rejected rows (the import's audit event keeps its counts and digest), and files under
     * QIAO_DATA_DIR/imports that no running job holds and that are a day old are removed.
     */
    async purgeImportJobs(): Promise<{ jobs: number; files: number }> {
      const at = now();
      const cutoff = new Date(at.getTime() - config.importJobRetentionDays * 24 * 60 * 60_000).toISOString();
      const deleted = await kysely
        .deleteFrom('registry_import_jobs')
        .where('status', '!=', 'running')
        .where('finished_at', '<', cutoff)
        .executeTakeFirst();
      const held = new Set(
        (
          await kysely
            .selectFrom('registry_import_jobs')
            .select('upload_file')
            .where('status', '=', 'running')
            .execute()
        ).map((r) => r.upload_file),
      );
      let files = 0;
      for (const name of await readdir(uploadDir).catch(() => [] as string[])) {
        if (!SPOOL_DIR.test(name) || held.has(name)) continue;
        const info = await stat(path.join(uploadDir, name)).catch(() => null);
        if (!info || at.getTime() - info.mtimeMs < ORPHAN_FILE_MS) continue;
        await rm(path.join(uploadDir, name), { recursive: true, force: true });
        files += 1;
      }
      return { jobs: Number(deleted.numDeletedRows), files };
    },

    /** Fails the jobs whose process died (see failAbandonedImports); run at start and every few minutes. */
    recoverAbandonedImports(): Promise<number> {
      return failAbandonedImports(kysely, uploadDir, now());
    },

    /** Resolves when every job this process started has finished (tests; a graceful stop). */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

export type RegistryImportJobService = ReturnType<typeof createRegistryImportJobService>;
