import type { z } from 'zod';
import type {
  CreateProgramBody,
  entitlementResponse,
  GrantPointsBody,
  HardshipCategory,
  Program,
  ProgramPeriod,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { forNoKeyUpdate } from '../../db/dialect.js';
import { prepare } from '../../db/prepared.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, getScopedJurisdiction, type RequestContext } from '../../platform/scope.js';
import { loadItems, periodStart } from './ledger.js';
import { nextPointsExpiry } from './points-expiry.js';
import { unknownItems } from './stores.service.js';

/** What the supermarket needs of a household; the households module answers it (404 when out of scope). */
export interface MarketHousehold {
  id: number;
  jurisdictionId: number;
  jurisdictionPath: string;
  category: HardshipCategory;
  mayRedeem: boolean;
  /** Why it may not redeem: unverified, expired. */
  redeemBlock: string | null;
}

export interface MarketHouseholds {
  /** The household if the actor may see it, else not_found; on PostgreSQL with its row locked when `lock`. */
  load(executor: Executor, ctx: RequestContext, id: number, lock?: boolean): Promise<MarketHousehold>;
  /** Every household the actor may see (under `jurisdictionId` when given), page by page. */
  inScope(ctx: RequestContext, jurisdictionId?: number): AsyncIterable<MarketHousehold>;
}

export interface ProgramRow {
  id: number;
  name: string;
  period: ProgramPeriod;
  pointsByCategory: Partial<Record<HardshipCategory, number>>;
  visitLimit: number | null;
  quotas: Map<number, number>;
}

// The till reads these on every sale: compiled once (db/prepared.ts).
const activePrograms = prepare<
  Record<string, never>,
  {
    id: number;
    name: string;
    period: string;
    points_by_category: string;
    visit_limit: number | null;
    item_id: number | null;
    quantity: number | null;
  }
>((k) =>
  k
    .selectFrom('entitlement_programs as p')
    .leftJoin('program_quotas as q', 'q.program_id', 'p.id')
    .select(['p.id', 'p.name', 'p.period', 'p.points_by_category', 'p.visit_limit', 'q.item_id', 'q.quantity'])
    .where('p.active', '=', 1)
    .orderBy('p.id'),
);
type Since = { householdId: number; since: string };
const itemsTakenSince = prepare<Since, { item_id: number; quantity: number }>((k, p) =>
  k
    .selectFrom('checkout_lines')
    .innerJoin('checkouts', 'checkouts.id', 'checkout_lines.checkout_id')
    .select(['checkout_lines.item_id', (eb) => eb.fn.sum<number>('checkout_lines.quantity').as('quantity')])
    .where('checkouts.household_id', '=', p('householdId'))
    .where('checkouts.created_at', '>=', p('since'))
    .groupBy('checkout_lines.item_id'),
);
const visitsSince = prepare<Since, { n: number }>((k, p) =>
  k
    .selectFrom('checkouts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', p('householdId'))
    .where('created_at', '>=', p('since')),
);
const pointsBalance = prepare<{ householdId: number }, { points: number }>((k, p) =>
  k.selectFrom('points_balances').select('points').where('household_id', '=', p('householdId')),
);

/** Entitlement programs (city-configured), the points ledger, and what a household may still take this period. */
export function createEntitlementService({ db }: Deps, households: MarketHouseholds) {
  const householdsPort = households;
  const kysely = db.kysely;

  async function programRows(executor: Executor, where: { id?: number; activeOnly?: boolean } = {}) {
    let q = executor.selectFrom('entitlement_programs').selectAll().orderBy('id');
    if (where.id !== undefined) q = q.where('id', '=', where.id);
    if (where.activeOnly) q = q.where('active', '=', 1);
    const rows = await q.execute();
    const quotas = rows.length
      ? await executor
          .selectFrom('program_quotas')
          .innerJoin('items', 'items.id', 'program_quotas.item_id')
          .select(['program_quotas.program_id', 'program_quotas.item_id', 'program_quotas.quantity', 'items.name'])
          .where(
            'program_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('items.name')
          .execute()
      : [];
    return rows.map((r) => ({
      row: r,
      quotas: quotas.filter((q) => Number(q.program_id) === Number(r.id)),
    }));
  }

  function presentProgram({ row, quotas }: Awaited<ReturnType<typeof programRows>>[number]): Program {
    return {
      id: Number(row.id),
      name: row.name,
      period: row.period as ProgramPeriod,
      pointsByCategory: JSON.parse(row.points_by_category) as Record<string, number>,
      quotas: quotas.map((q) => ({ itemId: Number(q.item_id), itemName: q.name, quantity: Number(q.quantity) })),
      visitLimit: row.visit_limit === null ? null : Number(row.visit_limit),
      pointsValidMonths: row.points_valid_months === null ? null : Number(row.points_valid_months),
      active: row.active === 1,
      createdAt: row.created_at,
    };
  }

  /** The active program covering `category`, if any. Active programs never overlap (checked on write). */
  async function programFor(executor: Executor, category: HardshipCategory): Promise<ProgramRow | null> {
    // Active programs with their quotas in one statement (a program without quotas gives one row).
    const rows = await activePrograms.execute(executor, {});
    for (const p of rows) {
      const points = JSON.parse(p.points_by_category) as Partial<Record<HardshipCategory, number>>;
      if (!(category in points)) continue;
      const mine = rows.filter((r) => r.id === p.id && r.item_id !== null);
      return {
        id: Number(p.id),
        name: p.name,
        period: p.period as ProgramPeriod,
        pointsByCategory: points,
        visitLimit: p.visit_limit === null ? null : Number(p.visit_limit),
        quotas: new Map(mine.map((q) => [Number(q.item_id), Number(q.quantity)])),
      };
    }
    return null;
  }

  /** 409 when an active program other than `exceptId` already covers one of `categories`. */
  async function refuseOverlap(executor: Executor, categories: string[], exceptId?: number) {
    for (const p of await programRows(executor, { activeOnly: true })) {
      if (Number(p.row.id) === exceptId) continue;
      const covered = Object.keys(JSON.parse(p.row.points_by_category) as object);
      const overlap = categories.filter((c) => covered.includes(c));
      if (overlap.length)
        throw new DomainError('conflict', `The active program “${p.row.name}” already covers ${overlap.join(', ')}.`, {
          errors: overlap.map((c) => ({
            field: `pointsByCategory.${c}`,
            code: 'covered_by_another_program',
            message: 'another active program covers this category',
          })),
        });
    }
  }

  /** Units of each item the household took since `since`, and how many visits it made. */
  async function usedSince(executor: Executor, householdId: number, since: string) {
    const lines = await itemsTakenSince.execute(executor, { householdId, since });
    const visits = (await visitsSince.first(executor, { householdId, since }))!;
    return { items: new Map(lines.map((l) => [Number(l.item_id), Number(l.quantity)])), visits: Number(visits.n) };
  }

  async function balance(executor: Executor, householdId: number): Promise<number> {
    const row = await pointsBalance.first(executor, { householdId });
    return Number(row?.points ?? 0);
  }

  return {
    programFor,
    usedSince,
    balance,

    async createProgram(ctx: RequestContext, body: CreateProgramBody): Promise<Program> {
      const seen = new Set<number>();
      const dup = body.quotas.flatMap((q, i) => {
        const again = seen.has(q.itemId);
        seen.add(q.itemId);
        return again ? [{ field: `quotas.${i}.itemId`, code: 'duplicate_item', message: 'one quota per item' }] : [];
      });
      if (dup.length) throw invalidFields(dup);
      return kysely.transaction().execute(async (trx) => {
        unknownItems(body.quotas, await loadItems(trx, [...seen]), 'quotas');
        await refuseOverlap(trx, Object.keys(body.pointsByCategory));
        const now = nowIso();
        const { id } = await trx
          .insertInto('entitlement_programs')
          .values({
            name: body.name,
            period: body.period,
            points_by_category: JSON.stringify(body.pointsByCategory),
            visit_limit: body.visitLimit ?? null,
            points_valid_months: body.pointsValidMonths ?? null,
            active: 1,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (body.quotas.length)
          await trx
            .insertInto('program_quotas')
            .values(body.quotas.map((q) => ({ program_id: Number(id), item_id: q.itemId, quantity: q.quantity })))
            .execute();
        const program = presentProgram((await programRows(trx, { id: Number(id) }))[0]!);
        await recordAudit(trx, auditContext(ctx), {
          action: 'program.create',
          entityType: 'entitlement_program',
          entityId: program.id,
          changes: Object.entries(body).map(([field, after]) => ({ field, before: null, after })),
        });
        return program;
      });
    },

    async listPrograms(): Promise<Program[]> {
      return (await programRows(kysely)).map(presentProgram);
    },

    async setProgramActive(ctx: RequestContext, id: number, active: boolean): Promise<Program> {
      return kysely.transaction().execute(async (trx) => {
        const [p] = await programRows(trx, { id });
        if (!p) throw notFound('entitlement program');
        if (active) await refuseOverlap(trx, Object.keys(JSON.parse(p.row.points_by_category) as object), id);
        await trx
          .updateTable('entitlement_programs')
          .set({ active: active ? 1 : 0, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'program.update',
          entityType: 'entitlement_program',
          entityId: id,
          changes: [{ field: 'active', before: p.row.active === 1, after: active }],
        });
        return presentProgram((await programRows(trx, { id }))[0]!);
      });
    },

    /** A grant needs an active program covering the household's category: no program, no points. */
    async grantPoints(ctx: RequestContext, body: GrantPointsBody): Promise<{ points: number }> {
      return kysely.transaction().execute(async (trx) => {
        const h = await households.load(trx, ctx, body.householdId, true);
        const program = await programFor(trx, h.category);
        if (!program)
          throw new DomainError(
            'no_entitlement_program',
            'No active entitlement program covers this household’s category; the city configures programs first.',
          );
        await trx
          .insertInto('points_entries')
          .values({
            household_id: h.id,
            kind: 'grant',
            points: body.points,
            reason: body.reason,
            program_id: program.id,
            reference: null,
            actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
            actor_name: ctx.actor.username,
            created_at: nowIso(),
          })
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'points.grant',
          entityType: 'household',
          entityId: h.id,
          jurisdiction: { id: h.jurisdictionId, path: h.jurisdictionPath },
          details: { points: body.points, reason: body.reason, programId: program.id },
        });
        return { points: await balance(trx, h.id) };
      });
    },

    /**
     * Points a volunteer of this household earned by approved hours (the time bank), posted as a
     * grant in the caller's transaction. Earned, not entitled: no program is needed, and the entry
     * names the hours it converts (`reference`), so one set of hours is posted once.
     */
    async creditTimeBank(
      trx: Executor,
      ctx: RequestContext,
      input: { householdId: number; points: number; reason: string; reference: string },
    ): Promise<{ points: number }> {
      const h = await households.load(trx, ctx, input.householdId, true);
      await trx
        .insertInto('points_entries')
        .values({
          household_id: h.id,
          kind: 'grant',
          points: input.points,
          reason: input.reason,
          program_id: null,
          reference: input.reference,
          actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
          actor_name: ctx.actor.username,
          created_at: nowIso(),
        })
        .execute();
      await recordAudit(trx as never, auditContext(ctx), {
        action: 'points.grant',
        entityType: 'household',
        entityId: h.id,
        jurisdiction: { id: h.jurisdictionId, path: h.jurisdictionPath },
        details: { points: input.points, reason: input.reason, reference: input.reference },
      });
      return { points: await balance(trx, h.id) };
    },

    /**
     * The period's grant of a program: every household in the caller's subtree that may redeem and
     * whose category the program covers gets its category's points for the current period (Asia/
     * Shanghai), once — a second run in the same period skips those already granted. One audit
     * event with the counts.
     */
    async grantPeriod(ctx: RequestContext, programId: number, jurisdictionId?: number) {
      const since = await kysely
        .selectFrom('entitlement_programs')
        .select(['period', 'active'])
        .where('id', '=', programId)
        .executeTakeFirst();
      if (!since)
        throw invalidFields([{ field: 'programId', code: 'not_found', message: 'no such entitlement program' }]);
      if (since.active !== 1) throw new DomainError('conflict', 'This program is switched off.');
      if (jurisdictionId !== undefined) await getScopedJurisdiction(kysely, ctx.actor, jurisdictionId);
      const households: MarketHousehold[] = [];
      for await (const h of householdsPort.inScope(ctx, jurisdictionId)) households.push(h);
      return kysely.transaction().execute(async (trx) => {
        // Runs of one program queue here (a row lock on PostgreSQL; SQLite has one writer).
        const p = await forNoKeyUpdate(
          db.engine,
          trx.selectFrom('entitlement_programs').selectAll().where('id', '=', programId),
        ).executeTakeFirstOrThrow();
        const start = periodStart(p.period as ProgramPeriod);
        const reference = `program:${programId}:${start}`;
        const points = JSON.parse(p.points_by_category) as Partial<Record<HardshipCategory, number>>;
        const due = households.filter((h) => h.mayRedeem && (points[h.category] ?? 0) > 0);
        const done = new Set<number>();
        for (let i = 0; i < due.length; i += 500) {
          const rows = await trx
            .selectFrom('points_entries')
            .select('household_id')
            .where('reference', '=', reference)
            .where(
              'household_id',
              'in',
              due.slice(i, i + 500).map((h) => h.id),
            )
            .execute();
          for (const r of rows) done.add(Number(r.household_id));
        }
        const fresh = due.filter((h) => !done.has(h.id));
        const now = nowIso();
        for (let i = 0; i < fresh.length; i += 200) {
          await trx
            .insertInto('points_entries')
            .values(
              fresh.slice(i, i + 200).map((h) => ({
                household_id: h.id,
                kind: 'grant',
                points: points[h.category]!,
                reason: p.name,
                program_id: programId,
                reference,
                actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
                actor_name: ctx.actor.username,
                created_at: now,
              })),
            )
            .execute();
        }
        const total = fresh.reduce((n, h) => n + points[h.category]!, 0);
        await recordAudit(trx, auditContext(ctx), {
          action: 'points.grant',
          entityType: 'entitlement_program',
          entityId: programId,
          details: {
            periodStart: start,
            granted: fresh.length,
            alreadyGranted: done.size,
            notEligible: households.length - due.length,
            points: total,
          },
        });
        return {
          periodStart: start,
          granted: fresh.length,
          alreadyGranted: done.size,
          notEligible: households.length - due.length,
          points: total,
        };
      });
    },

    async getBalance(ctx: RequestContext, householdId: number) {
      const h = await households.load(kysely, ctx, householdId);
      return { points: await balance(kysely, h.id), nextExpiry: await nextPointsExpiry(kysely, h.id) };
    },

    /** Points, what the period still allows and whether the household may redeem: what the till shows. */
    async getEntitlement(ctx: RequestContext, householdId: number): Promise<z.infer<typeof entitlementResponse>> {
      const h = await households.load(kysely, ctx, householdId);
      const program = await programFor(kysely, h.category);
      const since = program ? periodStart(program.period) : null;
      const used = since ? await usedSince(kysely, h.id, since) : null;
      return {
        householdId: h.id,
        points: await balance(kysely, h.id),
        mayRedeem: h.mayRedeem,
        why: h.redeemBlock,
        program: program ? { id: program.id, name: program.name, period: program.period } : null,
        periodStart: since,
        visitsLeft: program?.visitLimit != null && used ? Math.max(0, program.visitLimit - used.visits) : null,
        nextExpiry: await nextPointsExpiry(kysely, h.id),
        quotas: program
          ? [...program.quotas].map(([itemId, quantity]) => {
              const u = used?.items.get(itemId) ?? 0;
              return { itemId, quantity, used: u, left: Math.max(0, quantity - u) };
            })
          : [],
      };
    },
  };
}

export type EntitlementService = ReturnType<typeof createEntitlementService>;
