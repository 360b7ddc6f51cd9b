import type { z } from 'zod';
import type {
  CreateItemBody,
  CreateStoreBody,
  FieldError,
  Item,
  listItemsQuery,
  listMovementsQuery,
  recordStockMovementsBody,
  reverseMovementBody,
  StockMovement,
  Store,
  stockTakeBody,
  transferBody,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isCheckViolation, isUniqueViolation } from '../../db/dialect.js';
import { prepare } from '../../db/prepared.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, getScopedJurisdiction, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { appendMovements, loadItems, lockedOnHand, mergeLines, type NewMovement, type Trx } from './ledger.js';

export interface StoreRow {
  id: number;
  name: string;
  jurisdiction_id: number;
  jurisdiction_path: string;
  created_at: string;
}

// Every store request starts here (the till on each sale): compiled once (db/prepared.ts).
const storeById = prepare<{ id: number }, StoreRow>((k, p) =>
  k.selectFrom('stores').selectAll().where('id', '=', p('id')),
);

const presentItem = (r: {
  id: number;
  name: string;
  unit: string;
  points_price: number;
  category: string;
  barcode: string | null;
  created_at: string;
}): Item => ({
  id: Number(r.id),
  name: r.name,
  unit: r.unit,
  pointsPrice: Number(r.points_price),
  category: r.category,
  barcode: r.barcode,
  createdAt: r.created_at,
});

/** A 409 naming each line the store cannot fill, as the till shows it. */
export function insufficientStock(lines: { itemId: number; onHand: number; requested: number }[]) {
  return new DomainError('insufficient_stock', 'The store does not hold enough of some items.', {
    extensions: { lines },
  });
}

/** 422 for lines naming items that do not exist. */
export function unknownItems(lines: { itemId: number }[], known: Map<number, unknown>, field = 'lines'): void {
  const errors: FieldError[] = [];
  lines.forEach((l, i) => {
    if (!known.has(l.itemId))
      errors.push({ field: `${field}.${i}.itemId`, code: 'unknown_item', message: 'no such item in the catalogue' });
  });
  if (errors.length) throw invalidFields(errors);
}

/** Stores, the city-wide catalogue and the stock ledger (purchases, write-offs, stock-takes, transfers, reversals). */
export function createStoreService({ db }: Deps) {
  const kysely = db.kysely;

  async function getStoreRow(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<StoreRow> {
    const row = await storeById.first(executor, { id });
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('store');
    return { ...row, id: Number(row.id), jurisdiction_id: Number(row.jurisdiction_id) };
  }

  async function presentStore(executor: Executor, row: StoreRow): Promise<Store> {
    const j = await executor
      .selectFrom('jurisdictions')
      .select('name')
      .where('id', '=', row.jurisdiction_id)
      .executeTakeFirstOrThrow();
    return {
      id: row.id,
      name: row.name,
      jurisdictionId: row.jurisdiction_id,
      jurisdictionName: j.name,
      createdAt: row.created_at,
    };
  }

  /** Runs `work` in a transaction; a balance the ledger would take below zero becomes insufficient_stock. */
  async function writeStock<T>(work: (trx: Trx) => Promise<T>, shortfall: () => Promise<DomainError>): Promise<T> {
    try {
      return await kysely.transaction().execute(work);
    } catch (error) {
      if (isCheckViolation(error)) throw await shortfall();
      throw error;
    }
  }

  /** The lines of `storeId` that on-hand cannot cover, read after the failed transaction. */
  async function shortLines(storeId: number, lines: { itemId: number; quantity: number }[]) {
    const onHand = await lockedOnHand(
      kysely,
      'sqlite',
      storeId,
      lines.map((l) => l.itemId),
    );
    return lines
      .map((l) => ({ itemId: l.itemId, onHand: onHand.get(l.itemId) ?? 0, requested: l.quantity }))
      .filter((l) => l.onHand < l.requested);
  }

  async function audit(trx: Trx, ctx: RequestContext, store: StoreRow, entry: Parameters<typeof recordAudit>[2]) {
    await recordAudit(trx, auditContext(ctx), {
      jurisdiction: { id: store.jurisdiction_id, path: store.jurisdiction_path },
      ...entry,
    });
  }

  return {
    getStoreRow,

    async createStore(ctx: RequestContext, body: CreateStoreBody): Promise<Store> {
      const j = await getScopedJurisdiction(kysely, ctx.actor, body.jurisdictionId);
      if (j.level !== 'subdistrict')
        throw invalidFields([
          { field: 'jurisdictionId', code: 'not_a_center', message: 'a store belongs to a subdistrict’s center' },
        ]);
      return kysely.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('stores')
          .values({ name: body.name, jurisdiction_id: j.id, jurisdiction_path: j.path, created_at: nowIso() })
          .returning('id')
          .executeTakeFirstOrThrow();
        const row = await getStoreRow(ctx, Number(id), trx);
        const store = await presentStore(trx, row);
        await audit(trx, ctx, row, {
          action: 'store.create',
          entityType: 'store',
          entityId: row.id,
          changes: [{ field: 'name', before: null, after: body.name }],
        });
        return store;
      });
    },

    async listStores(ctx: RequestContext, query: { jurisdictionId?: number }): Promise<Store[]> {
      let q = kysely
        .selectFrom('stores')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'stores.jurisdiction_id')
        .select([
          'stores.id',
          'stores.name',
          'stores.jurisdiction_id',
          'stores.created_at',
          'jurisdictions.name as jurisdiction_name',
        ])
        .where(inSubtree('stores.jurisdiction_path', ctx.actor.scopePath))
        .orderBy('stores.id')
        .limit(1000);
      if (query.jurisdictionId) {
        const j = await getScopedJurisdiction(kysely, ctx.actor, query.jurisdictionId);
        q = q.where(inSubtree('stores.jurisdiction_path', j.path));
      }
      return (await q.execute()).map((r) => ({
        id: Number(r.id),
        name: r.name,
        jurisdictionId: Number(r.jurisdiction_id),
        jurisdictionName: r.jurisdiction_name,
        createdAt: r.created_at,
      }));
    },

    async createItem(ctx: RequestContext, body: CreateItemBody): Promise<Item> {
      try {
        return await kysely.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('items')
            .values({
              name: body.name,
              unit: body.unit,
              points_price: body.pointsPrice,
              category: body.category,
              barcode: body.barcode ?? null,
              created_at: nowIso(),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const item = presentItem(row);
          await recordAudit(trx, auditContext(ctx), {
            action: 'item.create',
            entityType: 'item',
            entityId: item.id,
            changes: Object.entries(body).map(([field, after]) => ({ field, before: null, after })),
          });
          return item;
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('conflict', 'Another item already has this barcode.', {
            errors: [{ field: 'barcode', code: 'duplicate_barcode', message: 'another item has this barcode' }],
          });
        throw error;
      }
    },

    /** The catalogue is city-wide: every supermarket user reads it. */
    async listItems(query: z.infer<typeof listItemsQuery>): Promise<Item[]> {
      let q = kysely.selectFrom('items').selectAll().orderBy('name').orderBy('id').limit(query.limit);
      if (query.barcode !== undefined) q = q.where('barcode', '=', query.barcode.trim());
      if (query.q) q = q.where('name', 'like', `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return (await q.execute()).map(presentItem);
    },

    async getStock(ctx: RequestContext, storeId: number) {
      await getStoreRow(ctx, storeId);
      const rows = await kysely
        .selectFrom('stock_balances')
        .innerJoin('items', 'items.id', 'stock_balances.item_id')
        .select(['stock_balances.item_id', 'items.name', 'items.unit', 'stock_balances.on_hand'])
        .where('stock_balances.store_id', '=', storeId)
        .orderBy('items.name')
        .orderBy('items.id')
        .execute();
      return {
        items: rows.map((r) => ({ itemId: Number(r.item_id), name: r.name, onHand: Number(r.on_hand) })),
      };
    },

    async listMovements(
      ctx: RequestContext,
      storeId: number,
      query: z.infer<typeof listMovementsQuery>,
    ): Promise<StockMovement[]> {
      await getStoreRow(ctx, storeId);
      let q = kysely
        .selectFrom('stock_movements as m')
        .innerJoin('items', 'items.id', 'm.item_id')
        .leftJoin('stock_movements as r', 'r.reverses_id', 'm.id')
        .select([
          'm.id',
          'm.store_id',
          'm.item_id',
          'items.name as item_name',
          'm.kind',
          'm.quantity',
          'm.reason',
          'm.reference',
          'm.reverses_id',
          'r.id as reversed_by',
          'm.actor_name',
          'm.created_at',
        ])
        .where('m.store_id', '=', storeId)
        .orderBy('m.id', 'desc')
        .limit(query.limit);
      if (query.before) q = q.where('m.id', '<', query.before);
      return (await q.execute()).map((r) => ({
        id: Number(r.id),
        storeId: Number(r.store_id),
        itemId: Number(r.item_id),
        itemName: r.item_name,
        kind: r.kind as StockMovement['kind'],
        quantity: Number(r.quantity),
        reason: r.reason,
        reference: r.reference,
        reversesId: r.reverses_id === null ? null : Number(r.reverses_id),
        reversedBy: r.reversed_by === null ? null : Number(r.reversed_by),
        actorName: r.actor_name,
        createdAt: r.created_at,
      }));
    },

    /** Goods bought with operating money come in; expired or damaged goods go out. */
    async recordStockMovements(
      ctx: RequestContext,
      storeId: number,
      body: z.infer<typeof recordStockMovementsBody>,
    ): Promise<{ count: number }> {
      const store = await getStoreRow(ctx, storeId);
      const lines = mergeLines(body.lines);
      const sign = body.kind === 'purchase_in' ? 1 : -1;
      return writeStock(
        async (trx) => {
          unknownItems(
            body.lines,
            await loadItems(
              trx,
              lines.map((l) => l.itemId),
            ),
          );
          if (sign < 0) {
            const onHand = await lockedOnHand(
              trx,
              db.engine,
              storeId,
              lines.map((l) => l.itemId),
            );
            const short = lines
              .map((l) => ({ itemId: l.itemId, onHand: onHand.get(l.itemId) ?? 0, requested: l.quantity }))
              .filter((l) => l.onHand < l.requested);
            if (short.length) throw insufficientStock(short);
          }
          await appendMovements(
            trx,
            ctx,
            lines.map((l) => ({
              storeId,
              itemId: l.itemId,
              kind: body.kind,
              quantity: sign * l.quantity,
              reason: body.reason,
            })),
          );
          await audit(trx, ctx, store, {
            action: body.kind === 'purchase_in' ? 'stock.purchase' : 'stock.write_off',
            entityType: 'store',
            entityId: storeId,
            details: { reason: body.reason, lines },
          });
          return { count: lines.length };
        },
        async () => insufficientStock(await shortLines(storeId, lines)),
      );
    },

    /** Counted quantities in; one adjustment per item whose count differs from on-hand. */
    async stockTake(ctx: RequestContext, storeId: number, body: z.infer<typeof stockTakeBody>) {
      const store = await getStoreRow(ctx, storeId);
      const seen = new Set<number>();
      const duplicates: FieldError[] = [];
      body.lines.forEach((l, i) => {
        if (seen.has(l.itemId))
          duplicates.push({ field: `lines.${i}.itemId`, code: 'duplicate_item', message: 'counted twice' });
        seen.add(l.itemId);
      });
      if (duplicates.length) throw invalidFields(duplicates);
      return kysely.transaction().execute(async (trx) => {
        const ids = [...seen].sort((a, b) => a - b);
        unknownItems(body.lines, await loadItems(trx, ids));
        const onHand = await lockedOnHand(trx, db.engine, storeId, ids);
        const reference = `stock_take:${Date.now()}`;
        const adjustments = body.lines
          .map((l) => ({ itemId: l.itemId, before: onHand.get(l.itemId) ?? 0, counted: l.counted }))
          .filter((a) => a.counted !== a.before);
        await appendMovements(
          trx,
          ctx,
          adjustments.map((a) => ({
            storeId,
            itemId: a.itemId,
            kind: 'adjustment',
            quantity: a.counted - a.before,
            reason: body.reason,
            reference,
          })),
        );
        await audit(trx, ctx, store, {
          action: 'stock.take',
          entityType: 'store',
          entityId: storeId,
          details: { reason: body.reason, counted: body.lines.length, adjustments },
        });
        return {
          counted: body.lines.length,
          adjustments: adjustments.map((a) => ({ ...a, difference: a.counted - a.before })),
        };
      });
    },

    /** Moves goods between two stores the caller may both see, as a transfer_out / transfer_in pair. */
    async transfer(ctx: RequestContext, storeId: number, body: z.infer<typeof transferBody>) {
      const from = await getStoreRow(ctx, storeId);
      if (body.toStoreId === storeId)
        throw invalidFields([{ field: 'toStoreId', code: 'same_store', message: 'choose another store' }]);
      const to = await kysely.selectFrom('stores').selectAll().where('id', '=', body.toStoreId).executeTakeFirst();
      if (!to || !inScope(ctx.actor, to.jurisdiction_path))
        throw invalidFields([{ field: 'toStoreId', code: 'unknown_store', message: 'no such store' }]);
      const lines = mergeLines(body.lines);
      return writeStock(
        async (trx) => {
          unknownItems(
            body.lines,
            await loadItems(
              trx,
              lines.map((l) => l.itemId),
            ),
          );
          const onHand = await lockedOnHand(
            trx,
            db.engine,
            storeId,
            lines.map((l) => l.itemId),
          );
          const short = lines
            .map((l) => ({ itemId: l.itemId, onHand: onHand.get(l.itemId) ?? 0, requested: l.quantity }))
            .filter((l) => l.onHand < l.requested);
          if (short.length) throw insufficientStock(short);
          const reference = `transfer:${storeId}->${to.id}:${Date.now()}`;
          const reason = body.reason ?? null;
          const movements: NewMovement[] = lines.flatMap((l) => [
            { storeId, itemId: l.itemId, kind: 'transfer_out' as const, quantity: -l.quantity, reason, reference },
            {
              storeId: Number(to.id),
              itemId: l.itemId,
              kind: 'transfer_in' as const,
              quantity: l.quantity,
              reason,
              reference,
            },
          ]);
          await appendMovements(trx, ctx, movements);
          await audit(trx, ctx, from, {
            action: 'stock.transfer',
            entityType: 'store',
            entityId: storeId,
            details: { toStoreId: Number(to.id), lines, reason },
          });
          return { count: lines.length };
        },
        async () => insufficientStock(await shortLines(storeId, lines)),
      );
    },

    /** Corrects a mistaken movement by appending its opposite; a movement is reversed at most once. */
    async reverseMovement(ctx: RequestContext, movementId: number, body: z.infer<typeof reverseMovementBody>) {
      const m = await kysely.selectFrom('stock_movements').selectAll().where('id', '=', movementId).executeTakeFirst();
      if (!m) throw notFound('stock movement');
      const store = await getStoreRow(ctx, Number(m.store_id)).catch(() => {
        throw notFound('stock movement');
      });
      if (!['donation_in', 'purchase_in', 'adjustment', 'write_off'].includes(m.kind) || m.reverses_id !== null)
        throw new DomainError(
          'conflict',
          'Only a donation, purchase, adjustment or write-off is reversed this way; a sale or transfer is not.',
        );
      const line = { itemId: Number(m.item_id), quantity: -Number(m.quantity) };
      try {
        return await writeStock(
          async (trx) => {
            await appendMovements(trx, ctx, [
              {
                storeId: store.id,
                itemId: line.itemId,
                kind: 'reversal',
                quantity: line.quantity,
                reason: body.reason,
                reference: m.reference,
                reversesId: movementId,
              },
            ]);
            await audit(trx, ctx, store, {
              action: 'stock.reverse',
              entityType: 'stock_movement',
              entityId: movementId,
              details: { reason: body.reason, itemId: line.itemId, quantity: line.quantity },
            });
            return { reversed: movementId };
          },
          async () =>
            insufficientStock(await shortLines(store.id, [{ itemId: line.itemId, quantity: -line.quantity }])),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new DomainError('conflict', 'This movement has been reversed already.');
        throw error;
      }
    },
  };
}

export type StoreService = ReturnType<typeof createStoreService>;
