import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

// Group commit for SQLite's one writer (ADR 0015). A transaction's cost on SQLite is mostly its
// COMMIT: every page it dirtied is written to the WAL, one write per page (~25 pages for a sale:
// the sale, its lines, movements, points entry, balances, receipt series, audit event, and each
// row's indexes). Sales that arrive together share most of those pages (the same index leaves,
// balance rows, chain head), so committing them together writes each page once.
//
// Each unit of work still runs alone and atomically: in its own SAVEPOINT, one after another on
// the one connection (so each sees the ones before it, exactly as if they had committed); a unit
// that throws is rolled back to its savepoint and leaves nothing, the others are unaffected. No
// caller hears back before the COMMIT that makes its work durable: results and errors are both
// answered after it, and if the COMMIT itself fails, every unit of the group fails with it.

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const SAVEPOINT = CompiledQuery.raw('savepoint "unit"');
const RELEASE = CompiledQuery.raw('release savepoint "unit"');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint "unit"');

export interface GroupCommit {
  /** Runs `work` atomically in the next group; answers once the group has committed. */
  run<T>(work: Work<T>): Promise<T>;
}

/**
 * Groups of at most `maxGroup` units. A group starts on the next turn of the event loop after the
 * first unit arrives (so requests read in the same turn join it) and takes whatever is queued
 * while it runs into the next group.
 */
export function createGroupCommit(kysely: Kysely<Database>, maxGroup = 32): GroupCommit {
  const queue: Job[] = [];

  async function runGroup(): Promise<void> {
    const trx = await kysely.startTransaction().execute();
    const settled: { job: Job; ok: boolean; value: unknown }[] = [];
    let current: Job | null = null;
    try {
      while (queue.length && settled.length < maxGroup) {
        current = queue.shift()!;
        await trx.executeQuery(SAVEPOINT);
        try {
          const value = await current.work(trx);
          await trx.executeQuery(RELEASE);
          settled.push({ job: current, ok: true, value });
        } catch (error) {
          // Undo this unit only. If even that fails, the transaction is lost: the group fails below.
          await trx.executeQuery(ROLLBACK_TO);
          await trx.executeQuery(RELEASE);
          settled.push({ job: current, ok: false, value: error });
        }
        current = null;
      }
      await trx.commit().execute();
    } catch (error) {
      if (!trx.isCommitted && !trx.isRolledBack)
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
      for (const { job } of settled) job.reject(error);
      current?.reject(error);
      return;
    }
    for (const { job, ok, value } of settled) (ok ? job.resolve : job.reject)(value);
  }

  let active = false;
  async function drain(): Promise<void> {
    while (queue.length) {
      await runGroup().catch((error: unknown) => {
        // The transaction could not even begin: fail the units that were waiting for it.
        for (const job of queue.splice(0, maxGroup)) job.reject(error);
      });
    }
    active = false;
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
        if (!active) {
          active = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
