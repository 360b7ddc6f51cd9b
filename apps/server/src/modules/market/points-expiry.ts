import { sql } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import { forNoKeyUpdate, isUniqueViolation } from '../../db/dialect.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { systemClock } from '../../platform/jobs.js';
import { auditContext, systemActor, type RequestContext } from '../../platform/scope.js';
import { shanghaiDate } from './ledger.js';
import { addDays } from './lots.js';
import { shanghaiDayStart } from '../../platform/calendar.js';

// Points expiry (ADR 0016). A program may say how long its granted points last; the daily job
// writes an `expire` entry for what is left of each grant past its validity. The ledger is replayed
// to know what is left: grants are spent oldest first, and an `expire` entry names the grant it
// empties (`expire:<grant id>`, unique in the database, so a grant expires once whoever runs).

/** `date` plus `months` calendar months, on the month's last day when it is shorter (Jan 31 + 1 → Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export interface Bucket {
  grantId: number;
  programId: number | null;
  remaining: number;
  /** The last Asia/Shanghai day the points may be spent; null: they never expire. */
  lastValid: string | null;
}

/** What is left of each grant of a household, replaying its ledger in order. */
export async function pointsBuckets(executor: Executor, householdId: number): Promise<Bucket[]> {
  const entries = await executor
    .selectFrom('points_entries as e')
    .leftJoin('entitlement_programs as p', 'p.id', 'e.program_id')
    .select(['e.id', 'e.kind', 'e.points', 'e.reference', 'e.program_id', 'e.created_at', 'p.points_valid_months'])
    .where('e.household_id', '=', householdId)
    .orderBy('e.id')
    .execute();
  const buckets: Bucket[] = [];
  for (const e of entries) {
    const points = Number(e.points);
    if (points > 0) {
      const months = e.kind === 'grant' && e.points_valid_months !== null ? Number(e.points_valid_months) : null;
      buckets.push({
        grantId: Number(e.id),
        programId: e.program_id === null ? null : Number(e.program_id),
        remaining: points,
        lastValid: months === null ? null : addDays(addMonths(shanghaiDate(new Date(e.created_at)), months), -1),
      });
      continue;
    }
    let owed = -points;
    const named = e.kind === 'expire' ? /^expire:(\d+)$/.exec(e.reference ?? '') : null;
    const target = named ? buckets.find((b) => b.grantId === Number(named[1])) : undefined;
    // Oldest first; an expiry empties the grant it names.
    for (const b of target ? [target, ...buckets] : buckets) {
      if (owed === 0) break;
      const take = Math.min(owed, b.remaining);
      b.remaining -= take;
      owed -= take;
    }
  }
  return buckets;
}

/** When the household's points expire next: the last day they may be spent and how many. */
export async function nextPointsExpiry(
  executor: Executor,
  householdId: number,
): Promise<{ on: string; points: number } | null> {
  const due = (await pointsBuckets(executor, householdId)).filter((b) => b.remaining > 0 && b.lastValid !== null);
  if (due.length === 0) return null;
  const on = due.map((b) => b.lastValid!).sort()[0]!;
  return { on, points: due.filter((b) => b.lastValid === on).reduce((n, b) => n + b.remaining, 0) };
}

/** The daily expiry of points past their program's validity (leased job and `runPointsExpiry`). */
export function createPointsExpiry({ db, clock = systemClock }: Deps) {
  const kysely = db.kysely;

  /** Expires one household's lapsed grants in one transaction; none when a concurrent run did. */
  async function expireHousehold(ctx: RequestContext, householdId: number, today: string) {
    try {
      return await kysely.transaction().execute(async (trx) => {
        // The till and grants lock the household the same way: the replay sees a settled ledger.
        const h = await forNoKeyUpdate(
          db.engine,
          trx
            .selectFrom('households')
            .select(['id', 'jurisdiction_id', 'jurisdiction_path'])
            .where('id', '=', householdId),
        ).executeTakeFirstOrThrow();
        const lapsed = (await pointsBuckets(trx, householdId)).filter(
          (b) => b.remaining > 0 && b.lastValid !== null && b.lastValid < today,
        );
        if (lapsed.length === 0) return { entries: 0, points: 0 };
        const now = nowIso();
        await trx
          .insertInto('points_entries')
          .values(
            lapsed.map((b) => ({
              household_id: householdId,
              kind: 'expire',
              points: -b.remaining,
              reason: `points granted by entry ${b.grantId} lapsed after ${b.lastValid}`,
              program_id: b.programId,
              reference: `expire:${b.grantId}`,
              actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
              actor_name: ctx.actor.username,
              created_at: now,
            })),
          )
          .execute();
        const points = lapsed.reduce((n, b) => n + b.remaining, 0);
        await recordAudit(trx, auditContext(ctx), {
          action: 'points.expire',
          entityType: 'household',
          entityId: householdId,
          jurisdiction: { id: Number(h.jurisdiction_id), path: h.jurisdiction_path },
          details: {
            asOf: today,
            points,
            grants: lapsed.map((b) => ({ grantId: b.grantId, points: b.remaining, lastValid: b.lastValid })),
          },
        });
        return { entries: lapsed.length, points };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { entries: 0, points: 0 };
      throw error;
    }
  }

  return {
    /**
     * Writes `expire` entries for every grant whose validity ended before today (Asia/Shanghai, by
     * the injected clock) and is not spent. Idempotent: a second run finds nothing left to expire.
     * `ctx` names who ran it (the city admin's operation); the job runs as the system.
     */
    async run(ctx?: RequestContext) {
      const today = shanghaiDate(clock());
      const by = ctx ?? {
        actor: systemActor(
          await kysely
            .selectFrom('jurisdictions')
            .select(['id', 'path'])
            .where('parent_id', 'is', null)
            .executeTakeFirstOrThrow(),
          'points-expiry',
        ),
        requestId: null,
        ip: null,
      };
      const programs = await kysely
        .selectFrom('entitlement_programs')
        .select(['id', 'points_valid_months'])
        .where('points_valid_months', 'is not', null)
        .execute();
      const households = new Set<number>();
      for (const p of programs) {
        // Grants on or before this day may have lapsed (a few days' margin for month ends; the
        // replay decides exactly); only households with points left and a grant not yet expired.
        const cutoff = shanghaiDayStart(addDays(addMonths(today, -Number(p.points_valid_months)), 4));
        const rows = await kysely
          .selectFrom('points_entries as g')
          .innerJoin('points_balances as b', 'b.household_id', 'g.household_id')
          .select('g.household_id')
          .distinct()
          .where('g.kind', '=', 'grant')
          .where('g.program_id', '=', p.id)
          .where('g.created_at', '<', cutoff)
          .where('b.points', '>', 0)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('points_entries as x')
                  .select('x.id')
                  .where('x.kind', '=', 'expire')
                  .where('x.reference', '=', sql<string>`'expire:' || ${sql.ref('g.id')}`),
              ),
            ),
          )
          .execute();
        for (const r of rows) households.add(Number(r.household_id));
      }
      let entries = 0;
      let points = 0;
      let touched = 0;
      for (const id of [...households].sort((a, b) => a - b)) {
        const done = await expireHousehold(by, id, today);
        if (done.entries) touched += 1;
        entries += done.entries;
        points += done.points;
      }
      return { asOf: today, households: touched, entries, points };
    },
  };
}

export type PointsExpiry = ReturnType<typeof createPointsExpiry>;
