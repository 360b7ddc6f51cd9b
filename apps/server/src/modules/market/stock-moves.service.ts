import type { z } from 'zod';
import type { FieldError, recordStockMovementsBody, stockTakeBody, transferBody } from '@qiao/contracts';
import type { Deps } from '../../platform/deps.js';
import { invalidFields } from '../../platform/errors.js';
import { inScope, type RequestContext } from '../../platform/scope.js';
import {
  appendMovements,
  loadItems,
  lockedOnHand,
  splitByLots,
  todayIn,
  type LotShortLine,
  type NewMovement,
  type Trx,
} from './ledger.js';
import { checkGoodsIn, lotsFor, mergeLotLines } from './lots.js';
import { insufficientStock, unknownItems, type StoreService } from './stores.service.js';

/** 422 for lines naming a lot of an item that does not track expiry. */
function lotOnUntracked(
  lines: readonly { itemId: number; lotId?: number | undefined }[],
  items: Map<number, { tracks_expiry: number }>,
) {
  const errors: FieldError[] = [];
  lines.forEach((l, i) => {
    if (l.lotId !== undefined && items.get(l.itemId)?.tracks_expiry !== 1)
      errors.push({ field: `lines.${i}.lotId`, code: 'not_tracked', message: 'this item does not track expiry' });
  });
  if (errors.length) throw invalidFields(errors);
}

/**
 * Stock movements a store manager records: purchases in, write-offs out, stock-takes and transfers.
 * Items that track expiry move by lot: goods in carry their expiry date, goods out take a named lot
 * or first-expiry-first-out (ADR 0016).
 */
export function createStockMoveService({ db, clock }: Deps, stores: StoreService) {
  const kysely = db.kysely;
  const engine = db.engine;

  /** Items of the lines (422 for unknown ones), with whether each tracks expiry. */
  async function items(trx: Trx, lines: readonly { itemId: number }[]) {
    const found = await loadItems(trx, [...new Set(lines.map((l) => l.itemId))]);
    unknownItems(lines as { itemId: number }[], found);
    return found;
  }

  /** Refuses lines on-hand cannot cover (balances locked in item order on PostgreSQL). */
  async function refuseShort(trx: Trx, storeId: number, lines: { itemId: number; quantity: number }[]) {
    const totals = new Map<number, number>();
    for (const l of lines) totals.set(l.itemId, (totals.get(l.itemId) ?? 0) + l.quantity);
    const ids = [...totals.keys()].sort((a, b) => a - b);
    const onHand = await lockedOnHand(trx, engine, storeId, ids);
    const short = ids
      .map((itemId) => ({ itemId, onHand: onHand.get(itemId) ?? 0, requested: totals.get(itemId)! }))
      .filter((l) => l.onHand < l.requested);
    if (short.length) throw insufficientStock(short);
  }

  function refuseLotShort(short: LotShortLine[]) {
    if (short.length) throw insufficientStock(short);
  }

  return {
    /** Goods bought with operating money come in (by lot when tracked); expired or damaged goods go out. */
    async recordStockMovements(
      ctx: RequestContext,
      storeId: number,
      body: z.infer<typeof recordStockMovementsBody>,
    ): Promise<{ count: number }> {
      const store = await stores.getStoreRow(ctx, storeId);
      const lines = mergeLotLines(body.lines);
      const today = todayIn(clock);
      return stores.writeStock(
        async (trx) => {
          const known = await items(trx, body.lines);
          let movements: NewMovement[];
          if (body.kind === 'purchase_in') {
            checkGoodsIn(body.lines, known, today);
            const lots = await lotsFor(trx, storeId, lines);
            movements = lines.map((l, i) => ({
              storeId,
              itemId: l.itemId,
              lotId: lots[i],
              kind: 'purchase_in',
              quantity: l.quantity,
              reason: body.reason,
            }));
          } else {
            const errors: FieldError[] = [];
            body.lines.forEach((l, i) => {
              for (const f of ['expiresOn', 'lotCode'] as const)
                if (l[f] !== undefined)
                  errors.push({
                    field: `lines.${i}.${f}`,
                    code: 'expiry_not_allowed',
                    message: 'a write-off names the lot (lotId)',
                  });
            });
            if (errors.length) throw invalidFields(errors);
            lotOnUntracked(body.lines, known);
            await refuseShort(trx, storeId, lines);
            // A write-off takes expired lots too: first-expiry-first-out starts with them.
            const { pieces, short } = await splitByLots(
              trx,
              engine,
              storeId,
              lines.map((l) => ({ ...l, tracked: known.get(l.itemId)!.tracks_expiry === 1 })),
              { today, sellable: false },
            );
            refuseLotShort(short);
            movements = pieces.map((p) => ({
              storeId,
              itemId: p.itemId,
              lotId: p.lotId,
              kind: 'write_off',
              quantity: -p.quantity,
              reason: body.reason,
            }));
          }
          await appendMovements(trx, ctx, movements);
          await stores.auditStore(trx, ctx, store, {
            action: body.kind === 'purchase_in' ? 'stock.purchase' : 'stock.write_off',
            entityType: 'store',
            entityId: storeId,
            details: { reason: body.reason, lines },
          });
          return { count: lines.length };
        },
        async () => insufficientStock(await stores.shortLines(storeId, lines)),
      );
    },

    /**
     * Counted quantities in; one adjustment per item (or lot) whose count differs from the books. A
     * tracked item is counted by lot (`lotId`), or as a whole when the count is short: the shortfall
     * comes off first-expiry-first; a surplus needs its lot named (or a purchase with its expiry date).
     */
    async stockTake(ctx: RequestContext, storeId: number, body: z.infer<typeof stockTakeBody>) {
      const store = await stores.getStoreRow(ctx, storeId);
      const seen = new Set<string>();
      const wholeOrLot = new Map<number, 'whole' | 'lot'>();
      const duplicates: FieldError[] = [];
      body.lines.forEach((l, i) => {
        const key = `${l.itemId}|${l.lotId ?? ''}`;
        const how = l.lotId === undefined ? 'whole' : 'lot';
        if (seen.has(key) || (wholeOrLot.get(l.itemId) ?? how) !== how)
          duplicates.push({ field: `lines.${i}.itemId`, code: 'duplicate_item', message: 'counted twice' });
        seen.add(key);
        wholeOrLot.set(l.itemId, how);
      });
      if (duplicates.length) throw invalidFields(duplicates);
      const today = todayIn(clock);
      return kysely.transaction().execute(async (trx) => {
        const known = await items(trx, body.lines);
        lotOnUntracked(body.lines, known);
        const ids = [...new Set(body.lines.map((l) => l.itemId))].sort((a, b) => a - b);
        const onHand = await lockedOnHand(trx, engine, storeId, ids);
        const lotIds = body.lines.flatMap((l) => (l.lotId === undefined ? [] : [l.lotId]));
        const lots = new Map(
          (lotIds.length
            ? await trx
                .selectFrom('stock_lots')
                .select(['id', 'item_id', 'on_hand'])
                .where('store_id', '=', storeId)
                .where('id', 'in', lotIds)
                .execute()
            : []
          ).map((r) => [Number(r.id), { itemId: Number(r.item_id), onHand: Number(r.on_hand) }]),
        );
        const errors: FieldError[] = [];
        body.lines.forEach((l, i) => {
          const tracked = known.get(l.itemId)!.tracks_expiry === 1;
          if (l.lotId !== undefined && lots.get(l.lotId)?.itemId !== l.itemId)
            errors.push({
              field: `lines.${i}.lotId`,
              code: 'unknown_lot',
              message: 'no such lot of this item in this store',
            });
          if (tracked && l.lotId === undefined && l.counted > (onHand.get(l.itemId) ?? 0))
            errors.push({
              field: `lines.${i}.lotId`,
              code: 'lot_required',
              message: 'more counted than the books hold: name the lot, or receive the goods with their expiry date',
            });
        });
        if (errors.length) throw invalidFields(errors);
        const reference = `stock_take:${Date.now()}`;
        const adjustments = body.lines
          .map((l) => {
            const before = l.lotId !== undefined ? lots.get(l.lotId)!.onHand : (onHand.get(l.itemId) ?? 0);
            return { itemId: l.itemId, lotId: l.lotId ?? null, before, counted: l.counted };
          })
          .filter((a) => a.counted !== a.before);
        // Whole counts of tracked items come off their lots first-expiry-first.
        const wholeTracked = adjustments.filter((a) => a.lotId === null && known.get(a.itemId)!.tracks_expiry === 1);
        const { pieces } = await splitByLots(
          trx,
          engine,
          storeId,
          wholeTracked.map((a) => ({ itemId: a.itemId, quantity: a.before - a.counted, tracked: true })),
          { today, sellable: false },
        );
        const movements: NewMovement[] = [
          ...adjustments
            .filter((a) => !wholeTracked.includes(a))
            .map((a) => ({ storeId, itemId: a.itemId, lotId: a.lotId, quantity: a.counted - a.before })),
          ...pieces.map((p) => ({ storeId, itemId: p.itemId, lotId: p.lotId, quantity: -p.quantity })),
        ].map((m) => ({ ...m, kind: 'adjustment' as const, reason: body.reason, reference }));
        await appendMovements(trx, ctx, movements);
        await stores.auditStore(trx, ctx, store, {
          action: 'stock.take',
          entityType: 'store',
          entityId: storeId,
          details: { reason: body.reason, counted: body.lines.length, adjustments },
        });
        return {
          counted: body.lines.length,
          adjustments: adjustments.map(({ lotId: _, ...a }) => ({ ...a, difference: a.counted - a.before })),
        };
      });
    },

    /**
     * Moves goods between two stores the caller may both see, as transfer_out / transfer_in pairs;
     * a tracked item's lot keeps its expiry date and code in the receiving store. Expired lots stay.
     */
    async transfer(ctx: RequestContext, storeId: number, body: z.infer<typeof transferBody>) {
      const from = await stores.getStoreRow(ctx, storeId);
      if (body.toStoreId === storeId)
        throw invalidFields([{ field: 'toStoreId', code: 'same_store', message: 'choose another store' }]);
      const to = await kysely.selectFrom('stores').selectAll().where('id', '=', body.toStoreId).executeTakeFirst();
      if (!to || !inScope(ctx.actor, to.jurisdiction_path))
        throw invalidFields([{ field: 'toStoreId', code: 'unknown_store', message: 'no such store' }]);
      const toId = Number(to.id);
      const lines = mergeLotLines(body.lines);
      const today = todayIn(clock);
      return stores.writeStock(
        async (trx) => {
          const known = await items(trx, body.lines);
          lotOnUntracked(body.lines, known);
          await refuseShort(trx, storeId, lines);
          const { pieces, short } = await splitByLots(
            trx,
            engine,
            storeId,
            lines.map((l) => ({ ...l, tracked: known.get(l.itemId)!.tracks_expiry === 1 })),
            { today, sellable: true },
          );
          refuseLotShort(short);
          const source = pieces.some((p) => p.lotId !== null)
            ? await trx
                .selectFrom('stock_lots')
                .select(['id', 'expires_on', 'lot_code'])
                .where(
                  'id',
                  'in',
                  pieces.flatMap((p) => (p.lotId === null ? [] : [p.lotId])),
                )
                .execute()
            : [];
          const lotOf = new Map(source.map((r) => [Number(r.id), r]));
          const destination = await lotsFor(
            trx,
            toId,
            pieces.map((p) => {
              const lot = p.lotId === null ? undefined : lotOf.get(p.lotId);
              return { itemId: p.itemId, expiresOn: lot?.expires_on, lotCode: lot?.lot_code || undefined };
            }),
          );
          const reference = `transfer:${storeId}->${toId}:${Date.now()}`;
          const reason = body.reason ?? null;
          const movements: NewMovement[] = pieces.flatMap((p, i) => [
            {
              storeId,
              itemId: p.itemId,
              lotId: p.lotId,
              kind: 'transfer_out' as const,
              quantity: -p.quantity,
              reason,
              reference,
            },
            {
              storeId: toId,
              itemId: p.itemId,
              lotId: destination[i],
              kind: 'transfer_in' as const,
              quantity: p.quantity,
              reason,
              reference,
            },
          ]);
          await appendMovements(trx, ctx, movements);
          await stores.auditStore(trx, ctx, from, {
            action: 'stock.transfer',
            entityType: 'store',
            entityId: storeId,
            details: { toStoreId: toId, lines, reason },
          });
          return { count: lines.length };
        },
        async () => insufficientStock(await stores.shortLines(storeId, lines)),
      );
    },
  };
}

export type StockMoveService = ReturnType<typeof createStockMoveService>;
