import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { DEFAULT_EXPIRING_WITHIN_DAYS, type storeReport, type storeReportQuery } from '@qiao/contracts';
import type { Deps } from '../../platform/deps.js';
import { invalidFields } from '../../platform/errors.js';
import { neutralizeCell } from '../../platform/spreadsheet.js';
import type { RequestContext } from '../../platform/scope.js';
import { todayIn } from './ledger.js';
import { storeLots } from './lots.js';
import type { StoreService } from './stores.service.js';
import { shanghaiDayStart } from '../../platform/calendar.js';

type StoreReport = z.infer<typeof storeReport>;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Per store and period (Asia/Shanghai days): goods in by source, out, value, households served, top items, stock. */
export function createReportService({ db, clock }: Deps, stores: StoreService) {
  const kysely = db.kysely;

  async function report(
    ctx: RequestContext,
    storeId: number,
    query: z.infer<typeof storeReportQuery>,
  ): Promise<StoreReport> {
    const store = await stores.getStoreRow(ctx, storeId);
    const today = todayIn(clock);
    const from = query.from ?? `${today.slice(0, 7)}-01`;
    const to = query.to ?? today;
    if (from > to)
      throw invalidFields([{ field: 'from', code: 'after_to', message: 'the period starts after it ends' }]);
    if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000)
      throw invalidFields([{ field: 'to', code: 'too_long', message: 'at most one year' }]);
    const [since, until] = [shanghaiDayStart(from), shanghaiDayStart(nextDay(to))];

    const byKind = await kysely
      .selectFrom('stock_movements')
      .select(['kind', (eb) => eb.fn.sum<number>('quantity').as('units')])
      .where('store_id', '=', storeId)
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .groupBy('kind')
      .execute();
    const units = (kind: string) => Math.abs(Number(byKind.find((r) => r.kind === kind)?.units ?? 0));
    const sales = await kysely
      .selectFrom('checkouts')
      .select([
        (eb) => eb.fn.countAll<number>().as('sales'),
        (eb) => eb.fn.count<number>('household_id').distinct().as('households'),
        (eb) => eb.fn.sum<number>('points_spent').as('points'),
      ])
      .where('store_id', '=', storeId)
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .executeTakeFirstOrThrow();
    const money = await kysely
      .selectFrom('fund_entries')
      .select(['fund', (eb) => eb.fn.sum<number>('amount_fen').as('fen')])
      .where('store_id', '=', storeId)
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .groupBy('fund')
      .execute();
    const top = await kysely
      .selectFrom('checkout_lines as l')
      .innerJoin('checkouts as c', 'c.id', 'l.checkout_id')
      .innerJoin('items as i', 'i.id', 'l.item_id')
      .select([
        'l.item_id',
        'i.name',
        (eb) => eb.fn.sum<number>('l.quantity').as('quantity'),
        (eb) => eb.fn.sum<number>('l.points').as('points'),
      ])
      .where('c.store_id', '=', storeId)
      .where('c.created_at', '>=', since)
      .where('c.created_at', '<', until)
      .groupBy(['l.item_id', 'i.name'])
      .orderBy('quantity', 'desc')
      .orderBy('l.item_id')
      .limit(10)
      .execute();
    const stock = await stores.getStock(ctx, storeId);
    const expiringWithinDays = query.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS;
    const expiringSoon = await storeLots(kysely, storeId, today, { withinDays: expiringWithinDays, limit: 500 });
    return {
      storeId,
      storeName: store.name,
      from,
      to,
      goodsIn: { donation: units('donation_in'), purchase: units('purchase_in'), transfer: units('transfer_in') },
      goodsOut: {
        redemption: units('redemption_out'),
        writeOff: units('write_off'),
        transfer: units('transfer_out'),
      },
      adjustments: Number(byKind.find((r) => r.kind === 'adjustment')?.units ?? 0),
      sales: Number(sales.sales),
      householdsServed: Number(sales.households),
      pointsRedeemed: Number(sales.points ?? 0),
      donatedFen: Number(money.find((m) => m.fund === 'donated')?.fen ?? 0),
      topItems: top.map((r) => ({
        itemId: Number(r.item_id),
        name: r.name,
        quantity: Number(r.quantity),
        points: Number(r.points),
      })),
      onHand: stock.items,
      expiringWithinDays,
      expiringSoon,
    };
  }

  /** The report as rows of a sheet: section, name, value. Every cell neutralized. */
  function rows(r: StoreReport): string[][] {
    const out: (string | number)[][] = [
      ['section', 'name', 'value'],
      ['period', 'store', r.storeName],
      ['period', 'from', r.from],
      ['period', 'to', r.to],
      ['goods_in', 'donation', r.goodsIn.donation],
      ['goods_in', 'purchase', r.goodsIn.purchase],
      ['goods_in', 'transfer', r.goodsIn.transfer],
      ['goods_out', 'redemption', r.goodsOut.redemption],
      ['goods_out', 'write_off', r.goodsOut.writeOff],
      ['goods_out', 'transfer', r.goodsOut.transfer],
      ['stock', 'adjustments', r.adjustments],
      ['sales', 'count', r.sales],
      ['sales', 'households_served', r.householdsServed],
      ['sales', 'points_redeemed', r.pointsRedeemed],
      ['money', 'donated_fen', r.donatedFen],
      ...r.topItems.map((i) => ['top_item', i.name, i.quantity]),
      ...r.onHand.map((i) => ['on_hand', i.name, i.onHand]),
      ['expiring_soon', 'within_days', r.expiringWithinDays],
      // One row a lot: item (lot code), expiry date and days left, units on hand.
      ...r.expiringSoon.map((l) => [
        l.expired ? 'expired_lot' : 'expiring_lot',
        `${l.itemName}${l.lotCode ? ` (${l.lotCode})` : ''} ${l.expiresOn} (${l.daysLeft})`,
        l.onHand,
      ]),
    ];
    return out.map((row) => row.map((cell) => (typeof cell === 'number' ? String(cell) : neutralizeCell(cell))));
  }

  return {
    report,
    async exportReport(
      ctx: RequestContext,
      storeId: number,
      query: z.infer<typeof storeReportQuery>,
      format: 'csv' | 'xlsx',
    ) {
      const r = await report(ctx, storeId, query);
      const name = `qiao-store-${storeId}-${r.from}-${r.to}`;
      if (format === 'csv')
        return {
          name: `${name}.csv`,
          type: 'text/csv; charset=utf-8',
          body: Buffer.from(`\uFEFF${stringify(rows(r))}`),
        };
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('report');
      for (const [i, row] of rows(r).entries())
        sheet.addRow(i === 0 ? row : row.map((cell, j) => (j === 2 && /^-?\d+$/.test(cell) ? Number(cell) : cell)));
      return {
        name: `${name}.xlsx`,
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body: Buffer.from(await book.xlsx.writeBuffer()),
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
