import type { FieldError, StockLot } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { invalidFields } from '../../platform/errors.js';

// Lots with expiry dates (ADR 0016): what goods in of a tracked item must carry, the lot rows they
// go to, and reading a store's lots. Splitting goods out over lots is `splitByLots` in ledger.ts.

export interface InLine {
  itemId: number;
  quantity: number;
  expiresOn?: string | undefined;
  lotCode?: string | undefined;
}

/** Adds up repeated lines of one item and lot (same expiry and lot code, or same named lot). */
export function mergeLotLines<L extends { itemId: number; quantity: number }>(lines: readonly L[]): L[] {
  const key = (l: L) => {
    const x = l as L & { expiresOn?: string; lotCode?: string; lotId?: number };
    return `${l.itemId}|${x.expiresOn ?? ''}|${x.lotCode ?? ''}|${x.lotId ?? ''}`;
  };
  const merged = new Map<string, L>();
  for (const line of lines) {
    const seen = merged.get(key(line));
    merged.set(key(line), seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...merged.values()].sort((a, b) => a.itemId - b.itemId);
}

/**
 * 422 for goods-in lines that do not fit their item: a tracked item needs its expiry date, which
 * may not have passed (expired goods are not taken into stock); an untracked item takes none.
 * `items` maps item ids to their `tracks_expiry`; unknown items are reported elsewhere.
 */
export function checkGoodsIn(
  lines: readonly (InLine & { lotId?: number | undefined })[],
  items: Map<number, { tracks_expiry: number }>,
  today: string,
  field = 'lines',
): void {
  const errors: FieldError[] = [];
  lines.forEach((l, i) => {
    const item = items.get(l.itemId);
    if (!item) return;
    if (l.lotId !== undefined)
      errors.push({ field: `${field}.${i}.lotId`, code: 'lot_not_allowed', message: 'goods in make their lot' });
    if (item.tracks_expiry === 1) {
      if (l.expiresOn === undefined)
        errors.push({
          field: `${field}.${i}.expiresOn`,
          code: 'expiry_required',
          message: 'this item tracks expiry: give the expiry date on the goods',
        });
      else if (l.expiresOn < today)
        errors.push({
          field: `${field}.${i}.expiresOn`,
          code: 'already_expired',
          message: 'these goods have expired; they are not taken into stock',
        });
    } else {
      for (const f of ['expiresOn', 'lotCode'] as const)
        if (l[f] !== undefined)
          errors.push({
            field: `${field}.${i}.${f}`,
            code: 'not_tracked',
            message: 'this item does not track expiry; switch tracking on in the catalogue first',
          });
    }
  });
  if (errors.length) throw invalidFields(errors);
}

/**
 * The lot of each tracked line in `storeId` (created at zero on first sight; the movement's
 * trigger adds the quantity), in item order like every other writer. Untracked lines map to null.
 */
export async function lotsFor(
  trx: Executor,
  storeId: number,
  lines: readonly { itemId: number; expiresOn?: string | undefined; lotCode?: string | undefined }[],
): Promise<(number | null)[]> {
  const order = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.itemId - b.l.itemId);
  const out = new Array<number | null>(lines.length).fill(null);
  for (const { l, i } of order) {
    if (l.expiresOn === undefined) continue;
    const identity = { store_id: storeId, item_id: l.itemId, expires_on: l.expiresOn, lot_code: l.lotCode ?? '' };
    await trx
      .insertInto('stock_lots')
      .values({ ...identity, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['store_id', 'item_id', 'expires_on', 'lot_code']).doNothing())
      .execute();
    const row = await trx
      .selectFrom('stock_lots')
      .select('id')
      .where('store_id', '=', storeId)
      .where('item_id', '=', l.itemId)
      .where('expires_on', '=', identity.expires_on)
      .where('lot_code', '=', identity.lot_code)
      .executeTakeFirstOrThrow();
    out[i] = Number(row.id);
  }
  return out;
}

/** Days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The Asia/Shanghai date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A store's lots with stock, soonest expiry first (expired ones lead); only those expiring
 * within `withinDays` of `today` when given. The caller has checked the store is in scope.
 */
export async function storeLots(
  executor: Executor,
  storeId: number,
  today: string,
  options: { withinDays?: number | undefined; limit: number },
): Promise<StockLot[]> {
  let q = executor
    .selectFrom('stock_lots as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .select(['l.id', 'l.store_id', 'l.item_id', 'i.name', 'i.unit', 'l.expires_on', 'l.lot_code', 'l.on_hand'])
    .where('l.store_id', '=', storeId)
    .where('l.on_hand', '>', 0)
    .orderBy('l.expires_on')
    .orderBy('i.name')
    .orderBy('l.id')
    .limit(options.limit);
  if (options.withinDays !== undefined) q = q.where('l.expires_on', '<=', addDays(today, options.withinDays));
  return (await q.execute()).map((r) => {
    const daysLeft = daysBetween(today, r.expires_on);
    return {
      id: Number(r.id),
      storeId: Number(r.store_id),
      itemId: Number(r.item_id),
      itemName: r.name,
      unit: r.unit,
      expiresOn: r.expires_on,
      lotCode: r.lot_code === '' ? null : r.lot_code,
      onHand: Number(r.on_hand),
      daysLeft,
      expired: daysLeft < 0,
    };
  });
}
