import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { IDEMPOTENCY_KEY, type CheckoutBody, type checkoutRecord, type CheckoutResponse } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { commitsInGroups, isUniqueViolation, violatedCheck } from '../../db/dialect.js';
import { createGroupCommit } from '../../db/group-commit.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { canonicalJson } from '../../platform/audit/canonical.js';
import { sha256 } from '../../platform/crypto.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import type { EntitlementService, MarketHouseholds } from './entitlements.service.js';
import {
  appendMovements,
  itemsOnHand,
  loadItems,
  lockedOnHand,
  mergeLines,
  nextReceiptNumber,
  periodStart,
  splitByLots,
  todayIn,
} from './ledger.js';
import { renderReceipt } from './receipt-pdf.js';
import { createReturns, returnedSoFar } from './returns.js';
import { checkoutByKey, insertCheckout, insertCheckoutLines, insertPointsEntry } from './till.queries.js';
import { insufficientStock, unknownItems, type StoreService } from './stores.service.js';

type CheckoutRecord = z.infer<typeof checkoutRecord>;

/** Replays a stored sale for a retried request, or refuses a reused key with another body. */
function replay(
  row: { request_digest: string; receipt_no: string; points_spent: number; points_left: number },
  digest: string,
) {
  if (row.request_digest !== digest)
    throw new DomainError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different sale; start a new sale with a new key.',
    );
  return {
    receiptNo: row.receipt_no,
    pointsSpent: Number(row.points_spent),
    pointsLeft: Number(row.points_left),
    replayed: true,
  };
}

/**
 * The till. One transaction takes the household's lock, checks eligibility, the period's quotas and
 * visits, stock and points, then writes the sale, its redemption movements and the points debit —
 * or nothing. The database's CHECKs on the balances stand behind the checks.
 */
export function createTillService(
  deps: Deps,
  stores: StoreService,
  entitlements: EntitlementService,
  households: MarketHouseholds,
) {
  const { db, clock } = deps;
  const kysely = db.kysely;
  // On SQLite, sales that arrive together commit together, each in its own savepoint (ADR 0015).
  const group = commitsInGroups(db.engine) ? createGroupCommit(kysely) : null;
  const transact = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    group ? group.run(work) : kysely.transaction().execute(work);

  async function findByKey(executor: Executor, actorId: number, key: string) {
    return checkoutByKey.first(executor, { actorId, key });
  }

  async function sell(ctx: RequestContext, body: CheckoutBody, key: string, digest: string) {
    const store = await stores.getStoreRow(ctx, body.storeId);
    const lines = mergeLines(body.lines);
    const itemIds = lines.map((l) => l.itemId);
    return transact(async (trx) => {
      // Every sale for one household queues here (PostgreSQL row lock): quotas, visits and points
      // are read and spent by one sale at a time.
      const h = await households.load(trx, ctx, body.householdId, true);
      const earlier = await findByKey(trx, ctx.actor.userId, key);
      if (earlier) return replay(earlier, digest);
      if (!h.mayRedeem)
        throw new DomainError(
          'household_not_eligible',
          h.redeemBlock === 'expired'
            ? 'The household’s verification has expired; it must be verified again before it can redeem.'
            : 'The household has not been verified; it cannot redeem yet.',
        );
      // Prices and on-hand in one statement, unlocked (see itemsOnHand); an item missing from it
      // is out of stock here, or unknown — asked only then.
      const stock = await itemsOnHand(trx, store.id, itemIds);
      const absent = itemIds.filter((id) => !stock.has(id));
      const known = absent.length ? await loadItems(trx, absent) : new Map();
      unknownItems(body.lines, new Map([...stock, ...known]));
      for (const [id, item] of known)
        stock.set(id, { pointsPrice: item.points_price, onHand: 0, tracksExpiry: item.tracks_expiry === 1 });

      const program = await entitlements.programFor(trx, h.category);
      // Quotas and visit limits are counted only when the program sets any for this sale.
      if (program && (program.visitLimit !== null || lines.some((l) => program.quotas.has(l.itemId)))) {
        const used = await entitlements.usedSince(trx, h.id, periodStart(program.period));
        if (program.visitLimit !== null && used.visits >= program.visitLimit)
          throw new DomainError(
            'quota_exceeded',
            `The household has used its ${program.visitLimit} visits this period.`,
            {
              extensions: { visitLimit: program.visitLimit, visits: used.visits, lines: [] },
            },
          );
        const over = lines
          .filter((l) => program.quotas.has(l.itemId))
          .map((l) => ({
            itemId: l.itemId,
            quota: program.quotas.get(l.itemId)!,
            used: used.items.get(l.itemId) ?? 0,
            requested: l.quantity,
          }))
          .filter((l) => l.used + l.requested > l.quota);
        if (over.length)
          throw new DomainError('quota_exceeded', 'Some items exceed what the household may take this period.', {
            extensions: { lines: over },
          });
      }

      const short = lines
        .map((l) => ({ itemId: l.itemId, onHand: stock.get(l.itemId)!.onHand, requested: l.quantity }))
        .filter((l) => l.onHand < l.requested);
      if (short.length) throw insufficientStock(short);

      const priced = lines.map((l) => ({ ...l, points: l.quantity * stock.get(l.itemId)!.pointsPrice }));
      const pointsSpent = priced.reduce((n, l) => n + l.points, 0);
      const points = await entitlements.balance(trx, h.id);
      if (points < pointsSpent)
        throw new DomainError(
          'insufficient_points',
          `The sale needs ${pointsSpent} points; the household has ${points}.`,
          {
            extensions: { points, needed: pointsSpent },
          },
        );

      const number = await nextReceiptNumber(trx, store.id, 'R');
      const now = nowIso();
      const { id } = (await insertCheckout.first(trx, {
        row: {
          store_id: store.id,
          household_id: h.id,
          jurisdiction_path: store.jurisdiction_path,
          year: number.year,
          seq: number.seq,
          receipt_no: number.receiptNo,
          points_spent: pointsSpent,
          points_left: points - pointsSpent,
          actor_id: ctx.actor.userId,
          actor_name: ctx.actor.username,
          idempotency_key: key,
          request_digest: digest,
          created_at: now,
        },
      }))!;
      await insertCheckoutLines.execute(
        trx,
        {
          rows: priced.map((l) => ({
            checkout_id: Number(id),
            item_id: l.itemId,
            quantity: l.quantity,
            points: l.points,
          })),
        },
        priced.length,
      );
      const reference = `checkout:${id}`;
      // Lots first-expiry-first-out, never an expired one (ADR 0016); no query unless an item tracks expiry.
      const tracked = lines.map((l) => ({ ...l, tracked: stock.get(l.itemId)!.tracksExpiry }));
      const lots = await splitByLots(trx, db.engine, store.id, tracked, { today: todayIn(clock), sellable: true });
      if (lots.short.length) throw insufficientStock(lots.short);
      await appendMovements(
        trx,
        ctx,
        lots.pieces.map((l) => ({
          storeId: store.id,
          itemId: l.itemId,
          lotId: l.lotId,
          kind: 'redemption_out',
          quantity: -l.quantity,
          reference,
        })),
      );
      if (pointsSpent > 0)
        await insertPointsEntry.execute(trx, {
          row: {
            household_id: h.id,
            kind: 'redeem',
            points: -pointsSpent,
            reason: null,
            program_id: program?.id ?? null,
            reference,
            actor_id: ctx.actor.userId,
            actor_name: ctx.actor.username,
            created_at: now,
          },
        });
      await recordAudit(trx, auditContext(ctx), {
        action: 'checkout.complete',
        entityType: 'checkout',
        entityId: Number(id),
        jurisdiction: { id: store.jurisdiction_id, path: store.jurisdiction_path },
        details: {
          receiptNo: number.receiptNo,
          storeId: store.id,
          householdId: h.id,
          lines: lines.length,
          units: lines.reduce((n, l) => n + l.quantity, 0),
          pointsSpent,
        },
      });
      return { receiptNo: number.receiptNo, pointsSpent, pointsLeft: points - pointsSpent, replayed: false };
    });
  }

  async function getVisible(ctx: RequestContext, id: number): Promise<CheckoutRecord> {
    const c = await kysely.selectFrom('checkouts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c || !inScope(ctx.actor, c.jurisdiction_path)) throw notFound('checkout');
    const back = await returnedSoFar(kysely, id);
    const lines = await kysely
      .selectFrom('checkout_lines')
      .innerJoin('items', 'items.id', 'checkout_lines.item_id')
      .select([
        'checkout_lines.item_id',
        'items.name',
        'items.unit',
        'checkout_lines.quantity',
        'checkout_lines.points',
      ])
      .where('checkout_id', '=', id)
      .orderBy('items.name')
      .execute();
    return {
      id: Number(c.id),
      receiptNo: c.receipt_no,
      storeId: Number(c.store_id),
      householdId: Number(c.household_id),
      pointsSpent: Number(c.points_spent),
      pointsLeft: Number(c.points_left),
      lines: lines.map((l) => ({
        itemId: Number(l.item_id),
        name: l.name,
        unit: l.unit,
        quantity: Number(l.quantity),
        points: Number(l.points),
        returned: back.items.get(Number(l.item_id)) ?? 0,
      })),
      pointsRefunded: back.points,
      servedBy: c.actor_name,
      createdAt: c.created_at,
    };
  }

  return {
    /**
     * A sale. `key` is the Idempotency-Key header: required, scoped to the user. The same key with
     * the same body answers the first sale's receipt and writes nothing; with another body, 422.
     */
    async checkout(
      ctx: RequestContext,
      body: CheckoutBody,
      key: string | undefined,
    ): Promise<CheckoutResponse & { replayed: boolean }> {
      if (key === undefined || key === '')
        throw new DomainError('idempotency_key_required', 'Send an Idempotency-Key header (a new UUID per sale).');
      if (!IDEMPOTENCY_KEY.test(key))
        throw new DomainError(
          'idempotency_key_required',
          'The Idempotency-Key must be 8–100 printable ASCII characters.',
        );
      // Canonical JSON: the same sale sent with its keys in another order is the same request.
      const digest = sha256(canonicalJson(body));
      try {
        return await sell(ctx, body, key, digest);
      } catch (error) {
        // Two requests with one key raced past the lookup: the loser's insert hit the unique key.
        if (isUniqueViolation(error)) {
          const earlier = await findByKey(kysely, ctx.actor.userId, key);
          if (earlier) return replay(earlier, digest);
        }
        if (violatedCheck(error) === 'stock_on_hand_non_negative') {
          // Another sale took the last units between this sale's read and its write: the database
          // refused the movement and the whole sale rolled back. Name the lines as they stand now.
          const lines = mergeLines(body.lines);
          const onHand = await lockedOnHand(
            kysely,
            'sqlite',
            body.storeId,
            lines.map((l) => l.itemId),
          );
          const now = lines.map((l) => ({
            itemId: l.itemId,
            onHand: onHand.get(l.itemId) ?? 0,
            requested: l.quantity,
          }));
          const short = now.filter((l) => l.onHand < l.requested);
          throw insufficientStock(short.length ? short : now);
        }
        throw error;
      }
    },

    getCheckout: getVisible,

    returnCheckout: createReturns(deps),

    async listCheckouts(ctx: RequestContext, query: { storeId?: number; receiptNo?: string; limit: number }) {
      let q = kysely
        .selectFrom('checkouts')
        .select('id')
        .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
        .orderBy('id', 'desc')
        .limit(query.limit);
      if (query.storeId) q = q.where('store_id', '=', query.storeId);
      if (query.receiptNo) q = q.where('receipt_no', '=', query.receiptNo);
      const out: CheckoutRecord[] = [];
      for (const { id } of await q.execute()) out.push(await getVisible(ctx, Number(id)));
      return out;
    },

    async receiptPdf(ctx: RequestContext, id: number) {
      const c = await getVisible(ctx, id);
      const store = await stores.getStoreRow(ctx, c.storeId);
      await households.load(kysely, ctx, c.householdId);
      const pdf = await renderReceipt({
        title: '慈善超市兑换小票',
        receiptNo: c.receiptNo,
        header: [
          ['门店', store.name],
          ['日期', new Date(c.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })],
          ['家庭户编号', String(c.householdId)],
          ['经办人', c.servedBy ?? ''],
        ],
        columns: ['物品', '数量', '积分'],
        lines: c.lines.map((l) => [l.name, `${l.quantity} ${l.unit}`, String(l.points)]),
        footer: [
          ['本次使用积分', String(c.pointsSpent)],
          ['剩余积分', String(c.pointsLeft)],
        ],
        note: '物品为慈善捐赠与政府救助资源，仅供本户使用，请勿转卖。',
      });
      return { pdf, receiptNo: c.receiptNo };
    },
  };
}

export type TillService = ReturnType<typeof createTillService>;
