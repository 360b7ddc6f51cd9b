import type { z } from 'zod';
import type {
  CreateItemBody,
  CreateStoreBody,
  FieldError,
  Item,
  listItemsQuery,
  listLotsQuery,
  listMovementsQuery,
  reverseMovementBody,
  StockLot,
  StockMovement,
  Store,
  updateItemBody,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isCheckViolation, isUniqueViolation } from '../../db/dialect.js';
import { prepare } from '../../db/prepared.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, getScopedJurisdiction, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { appendMovements, lockedOnHand, todayIn, type Trx } from './ledger.js';
import { storeLots } from './lots.js';

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
  tracks_expiry: number;
  created_at: string;
}): Item => ({
  id: Number(r.id),
  name: r.name,
  unit: r.unit,
  pointsPrice: Number(r.points_price),
  category: r.category,
  barcode: r.barcode,
  tracksExpiry: r.tracks_expiry === 1,
  createdAt: r.created_at,
});

/** A 409 naming each line the store cannot fill, as the till shows it. */
export function insufficientStock(lines: { itemId: number; onHand: number; requested: number; expired?: number }[]) {
  const expired = lines.some((l) => l.expired);
  return new DomainError(
    'insufficient_stock',
    expired
      ? 'The store does not hold enough of some items that have not expired; expired lots are never handed out — write them off.'
      : 'The store does not hold enough of some items.',
    { extensions: { lines } },
  );
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

/** Stores, the city-wide catalogue, the stock ledger's reads and reversals, and a store's lots. */
export function createStoreService({ db, clock }: Deps) {
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
    writeStock,
    shortLines,
    auditStore: audit,

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
              tracks_expiry: body.tracksExpiry ? 1 : 0,
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

    /**
     * Switches expiry tracking; the database refuses it while any store holds the item (its stock
     * would have no lots, or lots nothing reads), and this answers that as 409.
     */
    async updateItem(ctx: RequestContext, id: number, body: z.infer<typeof updateItemBody>): Promise<Item> {
      try {
        return await kysely.transaction().execute(async (trx) => {
          const before = await trx.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
          if (!before) throw notFound('item');
          const row = await trx
            .updateTable('items')
            .set({ tracks_expiry: body.tracksExpiry ? 1 : 0 })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          if (row.tracks_expiry !== before.tracks_expiry)
            await recordAudit(trx, auditContext(ctx), {
              action: 'item.update',
              entityType: 'item',
              entityId: id,
              changes: [{ field: 'tracksExpiry', before: before.tracks_expiry === 1, after: body.tracksExpiry }],
            });
          return presentItem(row);
        });
      } catch (error) {
        if (/item_tracking_with_stock/.test((error as Error).message ?? ''))
          throw new DomainError(
            'conflict',
            'A store holds this item: expiry tracking changes only when no store has any.',
            {
              errors: [{ field: 'tracksExpiry', code: 'item_in_stock', message: 'a store holds this item' }],
            },
          );
        throw error;
      }
    },

    /** A store's lots with stock and their expiry, soonest first; only those expiring within N days when asked. */
    async listLots(ctx: RequestContext, storeId: number, query: z.infer<typeof listLotsQuery>): Promise<StockLot[]> {
      await getStoreRow(ctx, storeId);
      return storeLots(kysely, storeId, todayIn(clock), { withinDays: query.expiringWithinDays, limit: query.limit });
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
        .leftJoin('stock_lots as lot', 'lot.id', 'm.lot_id')
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
          'm.lot_id',
          'lot.expires_on',
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
        lotId: r.lot_id === null ? null : Number(r.lot_id),
        expiresOn: r.expires_on,
        actorName: r.actor_name,
        createdAt: r.created_at,
      }));
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
                lotId: m.lot_id === null ? null : Number(m.lot_id),
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
