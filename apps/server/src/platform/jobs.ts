import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Now, as the code sees it: tests pass a clock they move by hand. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Every `everyMs`, or once a day at `dailyAt` ("HH:MM", Asia/Shanghai time). */
export type JobSchedule = { everyMs: number } | { dailyAt: string };

export interface Job {
  /** Unique; the name of its lease row. */
  name: string;
  schedule: JobSchedule;
  /** Idempotent and safe to rerun: a crash mid-run means another process runs it again later. */
  run(): Promise<unknown>;
  /** How long a run may hold the lease before another process may take over (default 10 minutes). */
  leaseMs?: number;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // UTC+8 all year: China keeps no daylight saving time.
const DEFAULT_LEASE_MS = 10 * 60 * 1000;
const TICK_MS = 15_000;

/** The first instant strictly after `after` the schedule is due. */
export function nextRunAt(schedule: JobSchedule, after: Date): Date {
  if ('everyMs' in schedule) return new Date(after.getTime() + schedule.everyMs);
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(schedule.dailyAt);
  if (!m) throw new Error(`dailyAt must be HH:MM, not ${schedule.dailyAt}`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  const local = new Date(after.getTime() + SHANGHAI_OFFSET_MS);
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  let at = dayStart + minutes * 60_000 - SHANGHAI_OFFSET_MS;
  if (at <= after.getTime()) at += 24 * 60 * 60 * 1000;
  return new Date(at);
}

/** This process's name in lease rows. */
export function processHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Takes the job's lease if the job is due and nobody holds an unexpired lease: one UPDATE with
 * both conditions in its WHERE, so of several processes exactly one gets a row back (PostgreSQL
 * re-checks the WHERE on the locked row; SQLite has one writer). The row is created on first sight.
 */
export async function acquireLease(
  db: Kysely<Database>,
  job: Pick<Job, 'name' | 'schedule' | 'leaseMs'>,
  holder: string,
  now: Date,
): Promise<boolean> {
  await db
    .insertInto('job_leases')
    .values({ name: job.name, due_at: nextRunAt(job.schedule, now).toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const at = now.toISOString();
  const result = await db
    .updateTable('job_leases')
    .set({
      holder,
      expires_at: new Date(now.getTime() + (job.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
      last_started_at: at,
    })
    .where('name', '=', job.name)
    .where('due_at', '<=', at)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '<', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease back and sets the next due time; only the holder can. */
export async function releaseLease(
  db: Kysely<Database>,
  job: Pick<Job, 'name' | 'schedule'>,
  holder: string,
  now: Date,
  outcome: { result?: unknown; error?: string },
): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({
      holder: null,
      expires_at: null,
      due_at: nextRunAt(job.schedule, now).toISOString(),
      last_finished_at: now.toISOString(),
      last_result: outcome.error ? null : JSON.stringify(outcome.result ?? null).slice(0, 2000),
      last_error: outcome.error ? outcome.error.slice(0, 2000) : null,
    })
    .where('name', '=', job.name)
    .where('holder', '=', holder)
    .execute();
}

/** Runs the job once if it is due and this process wins its lease. */
export async function runIfDue(
  db: Kysely<Database>,
  job: Job,
  holder: string,
  clock: Clock = systemClock,
): Promise<{ ran: boolean; result?: unknown; error?: string }> {
  if (!(await acquireLease(db, job, holder, clock()))) return { ran: false };
  try {
    const result = await job.run();
    await releaseLease(db, job, holder, clock(), { result });
    return { ran: true, result };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await releaseLease(db, job, holder, clock(), { error });
    return { ran: true, error };
  }
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  log: FastifyBaseLogger;
  clock?: Clock;
  holder?: string;
  tickMs?: number;
}

/**
 * The one scheduler of a process (QIAO_JOBS=off starts none; the on-demand operations still
 * work). Every tick it offers each job that is not already running here to `runIfDue`; the lease
 * row decides whether this process runs it, so several processes on one PostgreSQL database run
 * each job once per due time.
 */
export function startJobs(jobs: Job[], options: SchedulerOptions): () => void {
  const { db, log, clock = systemClock, holder = processHolder(), tickMs = TICK_MS } = options;
  const running = new Set<string>();
  let stopped = false;
  const tick = async () => {
    for (const job of jobs) {
      if (stopped || running.has(job.name)) continue;
      running.add(job.name);
      void runIfDue(db, job, holder, clock)
        .then((r) => {
          if (r.error) log.error({ job: job.name, error: r.error }, 'job failed');
          else if (r.ran) log.info({ job: job.name, result: r.result }, 'job finished');
        })
        .catch((err: unknown) => log.error({ job: job.name, err }, 'job lease failed'))
        .finally(() => running.delete(job.name));
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  void tick();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
