import { sql } from 'kysely';
import type { z } from 'zod';
import type { CheckoutReturnBody, checkoutReturnResponse } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { forNoKeyUpdate, needsRowLocks } from '../../db/dialect.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { appendMovements, mergeLines } from './ledger.js';
import { insertPointsEntry } from './till.queries.js';

// Sale returns: goods a household brings back. Stock comes back in as `return_in` movements and the
// points the goods cost come back as an `adjust` entry, both referencing the sale as
// `return:<checkout id>` — never more of an item than the sale had, less what earlier returns took.

/** The reference a sale's returns carry in both ledgers. */
export const returnReference = (checkoutId: number) => `return:${checkoutId}`;

/** Units of each item brought back from a sale so far, and the points refunded for them. */
export async function returnedSoFar(executor: Executor, checkoutId: number) {
  const reference = returnReference(checkoutId);
  const [units, points] = await Promise.all([
    executor
      .selectFrom('stock_movements')
      .select(['item_id', (eb) => eb.fn.sum<number>('quantity').as('quantity')])
      .where('reference', '=', reference)
      .where('kind', '=', 'return_in')
      .groupBy('item_id')
      .execute(),
    executor
      .selectFrom('points_entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('points'))
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: new Map(units.map((u) => [Number(u.item_id), Number(u.quantity)])),
    points: Number(points.points),
  };
}

/**
 * Which lots returned units go back into. An item that tracks expiry by lot (ADR 0016) takes them
 * back into the lots the sale took it from, less what earlier returns put there, earliest expiry
 * first: nobody can tell which of the units came back, and counting them as the soonest to expire
 * never overstates how long the shelf holds them. Other items come back without a lot.
 */
async function intoLots(trx: Executor, checkoutId: number, lines: { itemId: number; quantity: number }[]) {
  const rows = await trx
    .selectFrom('stock_movements as m')
    .innerJoin('stock_lots as l', 'l.id', 'm.lot_id')
    .select([
      'm.item_id',
      'm.lot_id',
      'l.expires_on',
      // Units the sale took from the lot (negative movements) less those returned to it.
      sql<number>`-sum(m.quantity)`.as('open'),
    ])
    .where('m.reference', 'in', [`checkout:${checkoutId}`, returnReference(checkoutId)])
    .where(
      'm.item_id',
      'in',
      lines.map((l) => l.itemId),
    )
    .groupBy(['m.item_id', 'm.lot_id', 'l.expires_on'])
    .orderBy('l.expires_on')
    .orderBy('m.lot_id')
    .execute();
  const out: { itemId: number; quantity: number; lotId: number | null }[] = [];
  for (const line of lines) {
    const lots = rows.filter((r) => Number(r.item_id) === line.itemId);
    if (lots.length === 0) {
      out.push({ ...line, lotId: null });
      continue;
    }
    let left = line.quantity;
    for (const lot of lots) {
      const take = Math.min(left, Number(lot.open));
      if (take > 0) out.push({ itemId: line.itemId, quantity: take, lotId: Number(lot.lot_id) });
      left -= Math.max(take, 0);
    }
    // The check against the sale's lines already bounds the quantity; the lots hold at least as much.
    if (left > 0) throw new Error(`return of checkout ${checkoutId}: ${left} units of item ${line.itemId} fit no lot`);
  }
  return out;
}

export function createReturns({ db }: Deps) {
  const kysely = db.kysely;

  /**
   * Takes goods back from a sale in the caller's subtree (404 outside it, like a missing sale), in
   * one transaction: checked against what was sold less earlier returns (409 naming each line),
   * stock in, points refunded at the sale's prices, one audit event.
   */
  return async function returnCheckout(
    ctx: RequestContext,
    checkoutId: number,
    body: CheckoutReturnBody,
  ): Promise<z.infer<typeof checkoutReturnResponse>> {
    const lines = mergeLines(body.lines);
    return kysely.transaction().execute(async (trx) => {
      const sale = await trx
        .selectFrom('checkouts as c')
        .innerJoin('stores as s', 's.id', 'c.store_id')
        .select(['c.id', 'c.store_id', 'c.household_id', 'c.receipt_no', 'c.jurisdiction_path', 's.jurisdiction_id'])
        .where('c.id', '=', checkoutId)
        .executeTakeFirst();
      if (!sale || !inScope(ctx.actor, sale.jurisdiction_path)) throw notFound('checkout');
      // Sales, grants and returns of one household queue on its row (PostgreSQL): two returns of
      // one sale cannot both pass the check below. SQLite runs one writer at a time.
      if (needsRowLocks(db.engine))
        await forNoKeyUpdate(
          db.engine,
          trx.selectFrom('households').select('id').where('id', '=', sale.household_id),
        ).execute();
      const sold = new Map(
        (
          await trx
            .selectFrom('checkout_lines')
            .select(['item_id', 'quantity', 'points'])
            .where('checkout_id', '=', checkoutId)
            .execute()
        ).map((l) => [Number(l.item_id), { quantity: Number(l.quantity), points: Number(l.points) }]),
      );
      const before = await returnedSoFar(trx, checkoutId);
      const over = lines
        .map((l) => ({
          itemId: l.itemId,
          sold: sold.get(l.itemId)?.quantity ?? 0,
          returned: before.items.get(l.itemId) ?? 0,
          requested: l.quantity,
        }))
        .filter((l) => l.returned + l.requested > l.sold);
      if (over.length)
        throw new DomainError('return_exceeds_sale', 'Some lines would bring back more than the sale had.', {
          extensions: { lines: over },
        });

      // At the sale's own prices: a line's points are its quantity times the price then.
      const refund = lines.reduce((n, l) => {
        const s = sold.get(l.itemId)!;
        return n + (l.quantity * s.points) / s.quantity;
      }, 0);
      const reference = returnReference(checkoutId);
      const storeId = Number(sale.store_id);
      const householdId = Number(sale.household_id);
      await appendMovements(
        trx,
        ctx,
        (await intoLots(trx, checkoutId, lines)).map((l) => ({
          storeId,
          itemId: l.itemId,
          kind: 'return_in',
          quantity: l.quantity,
          reason: body.reason,
          reference,
          lotId: l.lotId,
        })),
      );
      if (refund > 0)
        await insertPointsEntry.execute(trx, {
          row: {
            household_id: householdId,
            kind: 'adjust',
            points: refund,
            reason: body.reason,
            program_id: null,
            reference,
            actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
            actor_name: ctx.actor.username,
            created_at: nowIso(),
          },
        });
      const balance = await trx
        .selectFrom('points_balances')
        .select('points')
        .where('household_id', '=', householdId)
        .executeTakeFirst();
      const units = lines.reduce((n, l) => n + l.quantity, 0);
      await recordAudit(trx, auditContext(ctx), {
        action: 'checkout.return',
        entityType: 'checkout',
        entityId: checkoutId,
        jurisdiction: { id: Number(sale.jurisdiction_id), path: sale.jurisdiction_path },
        details: {
          receiptNo: sale.receipt_no,
          storeId,
          householdId,
          lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity })),
          units,
          pointsRefunded: refund,
          reason: body.reason,
        },
      });
      return {
        checkoutId,
        receiptNo: sale.receipt_no,
        units,
        pointsRefunded: refund,
        pointsLeft: Number(balance?.points ?? 0),
      };
    });
  };
}
