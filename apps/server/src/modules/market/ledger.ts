import type { Insertable, Transaction } from 'kysely';
import type { MovementKind, ProgramPeriod } from '@qiao/contracts';
import { nowIso, type Engine, type Executor } from '../../db/database.js';
import { forNoKeyUpdate, needsRowLocks } from '../../db/dialect.js';
import { prepare } from '../../db/prepared.js';
import { shanghaiDay, shanghaiDayStart } from '../../platform/calendar.js';
import type { Database, StockMovementTable } from '../../db/schema.js';
import type { RequestContext } from '../../platform/scope.js';

// Pieces every supermarket write shares: Asia/Shanghai periods, gapless receipt numbers, and
// appending to the stock ledger in one lock order.

export type Trx = Transaction<Database>;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) at `at` (now by default). */
export function shanghaiDate(at: Date = new Date()): string {
  return shanghaiDay(at);
}

/** The Asia/Shanghai year a receipt is numbered in. */
export function shanghaiYear(at?: Date): number {
  return Number(shanghaiDate(at).slice(0, 4));
}

/**
 * The instant (UTC ISO text, comparable with created_at) the period containing `at` began in
 * Asia/Shanghai. Shanghai keeps UTC+8 all year (no daylight saving), so local midnight is 16:00 UTC
 * of the day before.
 */
export function periodStart(period: ProgramPeriod, at?: Date): string {
  const [y, m] = shanghaiDate(at).split('-').map(Number) as [number, number];
  const month = period === 'month' ? m : Math.floor((m - 1) / 3) * 3 + 1;
  return shanghaiDayStart(`${y}-${String(month).padStart(2, '0')}-01`);
}

type SeriesKey = { storeId: number; year: number; series: 'D' | 'R' };
const bumpReceipt = prepare<SeriesKey, { last: number }>((k, p) =>
  k
    .updateTable('receipt_sequences')
    .set((eb) => ({ last: eb('last', '+', 1) }))
    .where('store_id', '=', p('storeId'))
    .where('year', '=', p('year'))
    .where('series', '=', p('series'))
    .returning('last'),
);
const insertReceiptSeries = prepare<SeriesKey, never>((k, p) =>
  k
    .insertInto('receipt_sequences')
    .values({ store_id: p('storeId'), year: p('year'), series: p('series'), last: 0 })
    .onConflict((oc) => oc.columns(['store_id', 'year', 'series']).doNothing()),
);

/**
 * Takes the next number of a store's series for this year, inside the caller's transaction. The
 * row update locks the series until commit, so numbers are gapless: a rolled-back transaction gives
 * its number back.
 */
export async function nextReceiptNumber(
  trx: Executor,
  storeId: number,
  series: 'D' | 'R',
): Promise<{ year: number; seq: number; receiptNo: string }> {
  const year = shanghaiYear();
  const at = { storeId, year, series };
  // The series' row exists after a store's first receipt of the year: then one statement a receipt.
  let row = await bumpReceipt.first(trx, at);
  if (!row) {
    await insertReceiptSeries.execute(trx, at);
    row = await bumpReceipt.first(trx, at);
  }
  const last = Number(row!.last);
  return {
    year,
    seq: last,
    receiptNo: `${series}${year}-${String(storeId).padStart(4, '0')}-${String(last).padStart(6, '0')}`,
  };
}

/** Adds up repeated items: two scans of one item are one line of their sum. */
export function mergeLines<L extends { itemId: number; quantity: number }>(lines: readonly L[]): L[] {
  const byItem = new Map<number, L>();
  for (const line of lines) {
    const seen = byItem.get(line.itemId);
    byItem.set(line.itemId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...byItem.values()].sort((a, b) => a.itemId - b.itemId);
}

/**
 * On-hand of the given items in one store, locking their balance rows on PostgreSQL in item order
 * (every writer locks in (store, item) order, so two sales never wait on each other in a cycle).
 */
export async function lockedOnHand(
  trx: Executor,
  engine: Engine,
  storeId: number,
  itemIds: number[],
): Promise<Map<number, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await forNoKeyUpdate(
    engine,
    trx
      .selectFrom('stock_balances')
      .select(['item_id', 'on_hand'])
      .where('store_id', '=', storeId)
      .where('item_id', 'in', itemIds)
      .orderBy('item_id'),
  ).execute();
  return new Map(rows.map((r) => [Number(r.item_id), Number(r.on_hand)]));
}

export interface NewMovement {
  storeId: number;
  itemId: number;
  kind: MovementKind;
  quantity: number;
  reason?: string | null;
  reference?: string | null;
  reversesId?: number | null;
  /** The lot, for an item that tracks expiry (the database refuses a tracked item's movement without one). */
  lotId?: number | null;
}

/**
 * Appends movements in (store, item) order. The database adds each to its balance row and refuses
 * (CHECK on_hand >= 0) any that would take one below zero: the caller maps that to insufficient_stock.
 */
export async function appendMovements(trx: Executor, ctx: RequestContext, movements: NewMovement[]): Promise<void> {
  if (movements.length === 0) return;
  const now = nowIso();
  const actorId = ctx.actor.kind === 'system' ? null : ctx.actor.userId;
  const rows = [...movements]
    .sort((a, b) => a.storeId - b.storeId || a.itemId - b.itemId || (a.lotId ?? 0) - (b.lotId ?? 0))
    .map((m) => ({
      store_id: m.storeId,
      item_id: m.itemId,
      kind: m.kind,
      quantity: m.quantity,
      reason: m.reason ?? null,
      reference: m.reference ?? null,
      reverses_id: m.reversesId ?? null,
      lot_id: m.lotId ?? null,
      actor_id: actorId,
      actor_name: ctx.actor.username,
      created_at: now,
    }));
  // Up to MOVEMENT_BATCH rows a statement, each statement compiled once per row count.
  for (let i = 0; i < rows.length; i += MOVEMENT_BATCH) {
    const batch = rows.slice(i, i + MOVEMENT_BATCH);
    await insertMovements.execute(trx, { rows: batch }, batch.length);
  }
}

const MOVEMENT_BATCH = 50;
type MovementRow = Insertable<StockMovementTable>;
const insertMovements = prepare<{ rows: MovementRow[] }, never>((k, p, n) =>
  k.insertInto('stock_movements').values(Array.from({ length: n }, (_, i) => p.row('rows', MOVEMENT_COLUMNS, i))),
);
const MOVEMENT_COLUMNS = [
  'store_id',
  'item_id',
  'kind',
  'quantity',
  'reason',
  'reference',
  'reverses_id',
  'lot_id',
  'actor_id',
  'actor_name',
  'created_at',
] as const;

/**
 * For a sale: price and on-hand of each item in one store, in one statement, without locking: the
 * till checks on what it reads to name short lines, and the database's CHECK on the balance decides
 * when the movements are written — the balance rows are locked only then, at the end of the sale,
 * so sales sharing an item hold each other up as briefly as possible. An item missing here has no
 * stock in the store or does not exist; the caller tells which only on that failure path.
 */
export async function itemsOnHand(trx: Executor, storeId: number, itemIds: number[]) {
  const rows = await pricesOnHand.execute(trx, { storeId, itemIds }, itemIds.length);
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { pointsPrice: Number(r.points_price), onHand: Number(r.on_hand), tracksExpiry: Number(r.tracks_expiry) === 1 },
    ]),
  );
}

const pricesOnHand = prepare<
  { storeId: number; itemIds: number[] },
  { id: number; points_price: number; tracks_expiry: number; on_hand: number }
>((k, p, n) =>
  k
    .selectFrom('stock_balances')
    .innerJoin('items', 'items.id', 'stock_balances.item_id')
    .select(['items.id', 'items.points_price', 'items.tracks_expiry', 'stock_balances.on_hand'])
    .where('stock_balances.store_id', '=', p('storeId'))
    .where(
      'stock_balances.item_id',
      'in',
      Array.from({ length: n }, (_, i) => p.at('itemIds', i)),
    ),
);

/** Items by id; answers the ids that do not exist as 422 field errors under `lines.N.itemId`. */
export async function loadItems(trx: Executor, itemIds: number[]) {
  if (itemIds.length === 0)
    return new Map<number, { id: number; name: string; unit: string; points_price: number; tracks_expiry: number }>();
  const rows = await trx
    .selectFrom('items')
    .select(['id', 'name', 'unit', 'points_price', 'tracks_expiry'])
    .where('id', 'in', itemIds)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id) }]));
}

// ---- Lots (ADR 0016) ----------------------------------------------------------------------------

/** Asia/Shanghai today from an injected clock (tests), else the system's. */
export function todayIn(clock?: () => Date): string {
  return clock ? shanghaiDate(clock()) : shanghaiDate();
}

export interface OutLine {
  itemId: number;
  quantity: number;
  /** Take this lot (a write-off of an expired lot names it); first-expiry-first-out otherwise. */
  lotId?: number | undefined;
  /** The item tracks expiry: its pieces name lots. */
  tracked: boolean;
}

export interface OutPiece {
  itemId: number;
  quantity: number;
  lotId: number | null;
}

export interface LotShortLine {
  itemId: number;
  onHand: number;
  requested: number;
  /** Units on hand in expired lots, which a sale or transfer never takes. */
  expired?: number;
  lotId?: number;
}

/**
 * Splits outgoing lines into per-lot pieces: a named lot, or first-expiry-first-out over the lots
 * with stock. `sellable` leaves expired lots out (a sale or a transfer never hands them on; a
 * write-off or a stock-take takes them). Lines of items that do not track expiry pass through as one
 * piece without a query. Lines the lots cannot cover come back in `short` (the caller refuses).
 *
 * On PostgreSQL the balance rows of all the lines' items are locked first, in item order — the
 * order every writer locks them in — so the lots read next cannot change before the movements are
 * written (every movement of a lot updates its item's balance in the same statement).
 */
export async function splitByLots(
  trx: Executor,
  engine: Engine,
  storeId: number,
  lines: readonly OutLine[],
  options: { today: string; sellable: boolean },
): Promise<{ pieces: OutPiece[]; short: LotShortLine[] }> {
  if (!lines.some((l) => l.tracked))
    return { pieces: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, lotId: null })), short: [] };
  if (needsRowLocks(engine))
    await lockedOnHand(
      trx,
      engine,
      storeId,
      [...new Set(lines.map((l) => l.itemId))].sort((a, b) => a - b),
    );
  const trackedIds = [...new Set(lines.filter((l) => l.tracked).map((l) => l.itemId))];
  const lots = await trx
    .selectFrom('stock_lots')
    .select(['id', 'item_id', 'expires_on', 'on_hand'])
    .where('store_id', '=', storeId)
    .where('item_id', 'in', trackedIds)
    .where('on_hand', '>', 0)
    .orderBy('item_id')
    .orderBy('expires_on')
    .orderBy('id')
    .execute();
  const left = new Map(lots.map((l) => [Number(l.id), Number(l.on_hand)]));
  const pieces: OutPiece[] = [];
  const short: LotShortLine[] = [];
  for (const line of lines) {
    if (!line.tracked) {
      pieces.push({ itemId: line.itemId, quantity: line.quantity, lotId: null });
      continue;
    }
    const mine = lots.filter((l) => Number(l.item_id) === line.itemId);
    const expired = (l: { expires_on: string }) => l.expires_on < options.today;
    if (line.lotId !== undefined) {
      const lot = mine.find((l) => Number(l.id) === line.lotId);
      const have = lot ? left.get(line.lotId)! : 0;
      if (!lot || have < line.quantity || (options.sellable && expired(lot))) {
        short.push({
          itemId: line.itemId,
          lotId: line.lotId,
          onHand: lot && !(options.sellable && expired(lot)) ? have : 0,
          requested: line.quantity,
        });
        continue;
      }
      left.set(line.lotId, have - line.quantity);
      pieces.push({ itemId: line.itemId, quantity: line.quantity, lotId: line.lotId });
      continue;
    }
    const usable = mine.filter((l) => !(options.sellable && expired(l)));
    const available = usable.reduce((n, l) => n + left.get(Number(l.id))!, 0);
    if (available < line.quantity) {
      const inExpired = options.sellable ? mine.filter(expired).reduce((n, l) => n + left.get(Number(l.id))!, 0) : 0;
      short.push({
        itemId: line.itemId,
        onHand: available,
        requested: line.quantity,
        ...(inExpired ? { expired: inExpired } : {}),
      });
      continue;
    }
    let need = line.quantity;
    for (const lot of usable) {
      if (need === 0) break;
      const id = Number(lot.id);
      const take = Math.min(need, left.get(id)!);
      if (take === 0) continue;
      left.set(id, left.get(id)! - take);
      pieces.push({ itemId: line.itemId, quantity: take, lotId: id });
      need -= take;
    }
  }
  return { pieces, short };
}
