import type { z } from 'zod';
import type { Donation, listDonationsQuery, RecordDonationBody } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { appendMovements, loadItems, nextReceiptNumber, todayIn } from './ledger.js';
import { checkGoodsIn, lotsFor, mergeLotLines } from './lots.js';
import { renderReceipt, yuan } from './receipt-pdf.js';
import { unknownItems, type StoreService } from './stores.service.js';

const donorKindLabel: Record<string, string> = { person: '个人', company: '企业', organization: '组织' };

/** Donations in: goods onto the stock ledger, money into the donated fund, a gapless receipt number per store and year. */
export function createDonationService({ db, clock }: Deps, stores: StoreService) {
  const kysely = db.kysely;

  async function present(executor: Executor, id: number): Promise<Donation & { jurisdictionPath: string }> {
    const d = await executor
      .selectFrom('donations')
      .innerJoin('stores', 'stores.id', 'donations.store_id')
      .selectAll('donations')
      .select('stores.name as store_name')
      .where('donations.id', '=', id)
      .executeTakeFirstOrThrow();
    const lines = await executor
      .selectFrom('stock_movements')
      .innerJoin('items', 'items.id', 'stock_movements.item_id')
      .leftJoin('stock_lots', 'stock_lots.id', 'stock_movements.lot_id')
      .select([
        'stock_movements.item_id',
        'items.name',
        'items.unit',
        'stock_movements.quantity',
        'stock_lots.expires_on',
        'stock_lots.lot_code',
      ])
      .where('stock_movements.reference', '=', `donation:${id}`)
      .where('stock_movements.kind', '=', 'donation_in')
      .orderBy('stock_movements.id')
      .execute();
    return {
      id: Number(d.id),
      receiptNo: d.receipt_no,
      storeId: Number(d.store_id),
      storeName: d.store_name,
      donor: d.donor_name ? { name: d.donor_name, kind: (d.donor_kind as 'person' | null) ?? null } : null,
      lines: lines.map((l) => ({
        itemId: Number(l.item_id),
        name: l.name,
        unit: l.unit,
        quantity: Number(l.quantity),
        expiresOn: l.expires_on,
        lotCode: l.lot_code || null,
      })),
      amountFen: d.amount_fen === null ? null : Number(d.amount_fen),
      recordedBy: d.actor_name,
      createdAt: d.created_at,
      jurisdictionPath: d.jurisdiction_path,
    };
  }

  async function getVisible(ctx: RequestContext, id: number) {
    const row = await kysely
      .selectFrom('donations')
      .select('jurisdiction_path')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('donation');
    return present(kysely, id);
  }

  return {
    async recordDonation(ctx: RequestContext, body: RecordDonationBody): Promise<Donation> {
      if (body.lines.length === 0 && body.amountFen === undefined)
        throw invalidFields([{ field: 'lines', code: 'required', message: 'donate goods, money, or both' }]);
      const store = await stores.getStoreRow(ctx, body.storeId).catch(() => {
        throw invalidFields([{ field: 'storeId', code: 'unknown_store', message: 'no such store' }]);
      });
      const lines = mergeLotLines(body.lines);
      const today = todayIn(clock);
      return kysely.transaction().execute(async (trx) => {
        const items = await loadItems(trx, [...new Set(lines.map((l) => l.itemId))]);
        unknownItems(body.lines, items);
        // A tracked item's goods carry their expiry date (and lot code): each goes to its lot.
        checkGoodsIn(body.lines, items, today);
        const number = await nextReceiptNumber(trx, store.id, 'D');
        const now = nowIso();
        const { id } = await trx
          .insertInto('donations')
          .values({
            store_id: store.id,
            jurisdiction_path: store.jurisdiction_path,
            year: number.year,
            seq: number.seq,
            receipt_no: number.receiptNo,
            donor_name: body.donor?.name ?? null,
            donor_kind: body.donor?.kind ?? null,
            amount_fen: body.amountFen ?? null,
            actor_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
            actor_name: ctx.actor.username,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const reference = `donation:${id}`;
        const lots = await lotsFor(trx, store.id, lines);
        await appendMovements(
          trx,
          ctx,
          lines.map((l, i) => ({
            storeId: store.id,
            itemId: l.itemId,
            lotId: lots[i],
            kind: 'donation_in',
            quantity: l.quantity,
            reference,
          })),
        );
        if (body.amountFen !== undefined) {
          await trx
            .insertInto('fund_entries')
            .values({ store_id: store.id, fund: 'donated', amount_fen: body.amountFen, reference, created_at: now })
            .execute();
        }
        await recordAudit(trx, auditContext(ctx), {
          action: 'donation.record',
          entityType: 'donation',
          entityId: Number(id),
          jurisdiction: { id: store.jurisdiction_id, path: store.jurisdiction_path },
          details: {
            receiptNo: number.receiptNo,
            storeId: store.id,
            anonymous: !body.donor,
            lines: lines.length,
            units: lines.reduce((n, l) => n + l.quantity, 0),
            amountFen: body.amountFen ?? null,
          },
        });
        const { jurisdictionPath: _, ...donation } = await present(trx, Number(id));
        return donation;
      });
    },

    async getDonation(ctx: RequestContext, id: number): Promise<Donation> {
      const { jurisdictionPath: _, ...donation } = await getVisible(ctx, id);
      return donation;
    },

    async listDonations(ctx: RequestContext, query: z.infer<typeof listDonationsQuery>): Promise<Donation[]> {
      let q = kysely
        .selectFrom('donations')
        .select('id')
        .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
        .orderBy('id', 'desc')
        .limit(query.limit);
      if (query.storeId) q = q.where('store_id', '=', query.storeId);
      const ids = await q.execute();
      const out: Donation[] = [];
      for (const { id } of ids) {
        const { jurisdictionPath: _, ...d } = await present(kysely, Number(id));
        out.push(d);
      }
      return out;
    },

    /** Money by fund for one store: donated money is kept apart from operating money. */
    async funds(ctx: RequestContext, storeId: number) {
      await stores.getStoreRow(ctx, storeId);
      const rows = await kysely
        .selectFrom('fund_entries')
        .select(['fund', (eb) => eb.fn.sum<number>('amount_fen').as('total')])
        .where('store_id', '=', storeId)
        .groupBy('fund')
        .execute();
      const total = (fund: string) => Number(rows.find((r) => r.fund === fund)?.total ?? 0);
      return { donatedFen: total('donated'), operatingFen: total('operating') };
    },

    async receiptPdf(ctx: RequestContext, id: number): Promise<{ pdf: Buffer; receiptNo: string }> {
      const d = await getVisible(ctx, id);
      const pdf = await renderReceipt({
        title: '慈善超市捐赠收据',
        receiptNo: d.receiptNo,
        header: [
          ['受赠门店', d.storeName],
          [
            '捐赠人',
            d.donor ? `${d.donor.name}${d.donor.kind ? `（${donorKindLabel[d.donor.kind]}）` : ''}` : '匿名捐赠',
          ],
          ['日期', new Date(d.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })],
          ['经办人', d.recordedBy ?? ''],
        ],
        columns: ['物品', '单位', '数量'],
        lines: d.lines.map((l) => [l.name, l.unit, String(l.quantity)]),
        footer: [
          ['物品件数', String(d.lines.reduce((n, l) => n + l.quantity, 0))],
          ...(d.amountFen !== null ? ([['捐赠款（元）', yuan(d.amountFen)]] as [string, string][]) : []),
        ],
        note: '捐赠款计入捐赠资金账户，与运营资金分账管理（收支两条线）。感谢您的爱心！',
      });
      return { pdf, receiptNo: d.receiptNo };
    },
  };
}

export type DonationService = ReturnType<typeof createDonationService>;
