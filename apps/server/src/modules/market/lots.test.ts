import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { addDays } from './lots.js';
import { shanghaiDate, splitByLots } from './ledger.js';

// Lots with expiry dates (ADR 0016) on whichever engine runs: goods in carry their lot, goods out
// take lots first-expiry-first-out and never an expired one at the till, and the database keeps
// every tracked item's lots adding up to its on-hand. The clock is the test's: "today" moves by hand.

function idNumber(seq: number): string {
  const body = `31010419700101${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

/** Noon in Shanghai on `date`. */
const noonOn = (date: string) => new Date(`${date}T04:00:00Z`);

const today0 = shanghaiDate();
let now = noonOn(today0);
let t: TestApp;
let sub: { id: number };
let staff: Agent;
let volunteer: Agent;
let storeId: number;
let warehouseId: number;
let milk: number;
let soap: number;
let seq = 0;

async function household(): Promise<number> {
  const res = await staff.post('/api/households', {
    headName: `户主${++seq}`,
    idNumber: idNumber(seq),
    category: 'subsistence_allowance',
    jurisdictionId: sub.id,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = res.json().id as number;
  expect((await staff.post(`/api/households/${id}/verify`, { note: '核对' })).statusCode).toBe(200);
  return id;
}

const sell = (agent: Agent, householdId: number, itemId: number, quantity: number) =>
  agent.request('POST', '/api/checkouts', { storeId, householdId, lines: [{ itemId, quantity }] } as never, {
    'idempotency-key': randomUUID(),
  });

interface Lot {
  id: number;
  itemId: number;
  expiresOn: string;
  lotCode: string | null;
  onHand: number;
  expired: boolean;
  daysLeft: number;
}
const lots = async (store = storeId, query = ''): Promise<Lot[]> =>
  (await staff.get(`/api/stores/${store}/lots${query}`)).json().items;

const onHand = async (itemId: number, store = storeId) =>
  ((await staff.get(`/api/stores/${store}/stock`)).json().items.find((i: { itemId: number }) => i.itemId === itemId)
    ?.onHand ?? 0) as number;

/** Every tracked item's lots add up to its on-hand in every store; every lot equals its movements. */
async function lotsAddUp() {
  const k = t.db.kysely;
  const balances = await k
    .selectFrom('stock_balances')
    .innerJoin('items', 'items.id', 'stock_balances.item_id')
    .select(['stock_balances.store_id', 'stock_balances.item_id', 'stock_balances.on_hand'])
    .where('items.tracks_expiry', '=', 1)
    .execute();
  const byLot = await k
    .selectFrom('stock_lots')
    .select(['store_id', 'item_id', (eb) => eb.fn.sum<number>('on_hand').as('total')])
    .groupBy(['store_id', 'item_id'])
    .execute();
  const key = (r: { store_id: number; item_id: number }) => `${r.store_id}/${r.item_id}`;
  expect(Object.fromEntries(byLot.map((r) => [key(r), Number(r.total)]))).toEqual(
    Object.fromEntries(balances.map((b) => [key(b), Number(b.on_hand)])),
  );
  const moved = await k
    .selectFrom('stock_movements')
    .select(['lot_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
    .where('lot_id', 'is not', null)
    .groupBy('lot_id')
    .execute();
  const rows = await k.selectFrom('stock_lots').select(['id', 'on_hand']).execute();
  expect(Object.fromEntries(rows.map((r) => [r.id, Number(r.on_hand)]))).toEqual(
    Object.fromEntries(moved.map((m) => [m.lot_id, Number(m.total)])),
  );
  for (const r of rows) expect(Number(r.on_hand)).toBeGreaterThanOrEqual(0);
}

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => now });
  const d = await t.district();
  sub = await t.subdistrict(d.id);
  staff = await t.userAgent('center_staff', sub.id);
  volunteer = await t.userAgent('volunteer', sub.id);
  storeId = (await staff.post('/api/stores', { name: '慈善超市', jurisdictionId: sub.id })).json().id;
  warehouseId = (await staff.post('/api/stores', { name: '仓库', jurisdictionId: sub.id })).json().id;
  const created = await staff.post('/api/items', {
    name: '牛奶',
    unit: '盒',
    pointsPrice: 0,
    category: '食品',
    tracksExpiry: true,
  });
  expect(created.statusCode).toBe(201);
  expect(created.json().tracksExpiry).toBe(true);
  milk = created.json().id;
  // The contract without the new field keeps working: no tracking.
  const plain = await staff.post('/api/items', { name: '肥皂', unit: '块', pointsPrice: 0, category: '日用' });
  expect([plain.statusCode, plain.json().tracksExpiry]).toEqual([201, false]);
  soap = plain.json().id;
});
afterAll(() => t.close());

describe('splitting goods out over lots', () => {
  it('passes lines of items that do not track expiry through without a single query', async () => {
    // Any use of the executor fails the test: the till's untracked sales pay nothing for lots.
    const untouchable = new Proxy(
      {},
      {
        get: (_, name) => {
          throw new Error(`queried: ${String(name)}`);
        },
      },
    ) as never;
    for (const engine of ['sqlite', 'postgres'] as const) {
      const split = await splitByLots(
        untouchable,
        engine,
        1,
        [
          { itemId: 3, quantity: 2, tracked: false },
          { itemId: 7, quantity: 1, tracked: false },
        ],
        { today: today0, sellable: true },
      );
      expect(split).toEqual({
        pieces: [
          { itemId: 3, quantity: 2, lotId: null },
          { itemId: 7, quantity: 1, lotId: null },
        ],
        short: [],
      });
    }
  });
});

describe('goods in carry their lot', () => {
  it('refuses a tracked item without an expiry date, an expired one, and a date on an untracked item — writing nothing', async () => {
    const before = await t.db.kysely.selectFrom('stock_movements').select('id').execute();
    const missing = await volunteer.post('/api/donations', { storeId, lines: [{ itemId: milk, quantity: 5 }] });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([
      expect.objectContaining({ field: 'lines.0.expiresOn', code: 'expiry_required' }),
    ]);
    const expired = await volunteer.post('/api/donations', {
      storeId,
      lines: [
        { itemId: soap, quantity: 1, expiresOn: addDays(today0, 3) },
        { itemId: milk, quantity: 5, expiresOn: addDays(today0, -1) },
      ],
    });
    expect(expired.statusCode).toBe(422);
    expect(expired.json().errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['lines.0.expiresOn', 'not_tracked'],
      ['lines.1.expiresOn', 'already_expired'],
    ]);
    const purchase = await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'purchase_in',
      lines: [{ itemId: milk, quantity: 2 }],
      reason: '采购',
    });
    expect(purchase.statusCode).toBe(422);
    expect(await t.db.kysely.selectFrom('stock_movements').select('id').execute()).toEqual(before);
  });

  it('donations and purchases go to their lots; lots list soonest expiry first and add up to on-hand', async () => {
    const donation = await volunteer.post('/api/donations', {
      storeId,
      lines: [
        { itemId: milk, quantity: 10, expiresOn: addDays(today0, 10), lotCode: 'A1' },
        { itemId: milk, quantity: 20, expiresOn: addDays(today0, 40) },
        { itemId: milk, quantity: 3, expiresOn: addDays(today0, 10), lotCode: 'A1' },
        { itemId: soap, quantity: 50 },
      ],
    });
    expect(donation.statusCode).toBe(201);
    expect(donation.json().lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: milk, quantity: 13, expiresOn: addDays(today0, 10), lotCode: 'A1' }),
        expect.objectContaining({ itemId: soap, quantity: 50, expiresOn: null }),
      ]),
    );
    const purchase = await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'purchase_in',
      lines: [{ itemId: milk, quantity: 5, expiresOn: addDays(today0, 5) }],
      reason: '采购',
    });
    expect(purchase.statusCode).toBe(201);
    expect((await lots()).map((l) => [l.expiresOn, l.lotCode, l.onHand, l.daysLeft])).toEqual([
      [addDays(today0, 5), null, 5, 5],
      [addDays(today0, 10), 'A1', 13, 10],
      [addDays(today0, 40), null, 20, 40],
    ]);
    expect((await lots(storeId, '?expiringWithinDays=10')).length).toBe(2);
    expect(await onHand(milk)).toBe(38);
    await lotsAddUp();
  });
});

describe('goods out, first expiry first out', () => {
  it('the till takes the soonest lots first', async () => {
    const h = await household();
    const sale = await sell(volunteer, h, milk, 7);
    expect(sale.statusCode).toBe(201);
    const moved = await t.db.kysely
      .selectFrom('stock_movements')
      .innerJoin('stock_lots', 'stock_lots.id', 'stock_movements.lot_id')
      .select(['stock_lots.expires_on', 'stock_movements.quantity'])
      .where('stock_movements.kind', '=', 'redemption_out')
      .orderBy('stock_lots.expires_on')
      .execute();
    expect(moved.map((m) => [m.expires_on, Number(m.quantity)])).toEqual([
      [addDays(today0, 5), -5],
      [addDays(today0, 10), -2],
    ]);
    // An item that does not track expiry sells as before, without lots.
    expect((await sell(volunteer, h, soap, 2)).statusCode).toBe(201);
    await lotsAddUp();
  });

  it('never hands out an expired lot: the sale is refused, naming the expired units, until they are written off', async () => {
    now = noonOn(addDays(today0, 11)); // The A1 lot (11 left) expired yesterday; 20 good ones remain.
    try {
      const h = await household();
      const refused = await sell(volunteer, h, milk, 25);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'insufficient_stock',
        lines: [{ itemId: milk, onHand: 20, requested: 25, expired: 11 }],
      });
      expect(refused.json().detail).toContain('expired');
      const sold = await sell(volunteer, h, milk, 4);
      expect(sold.statusCode).toBe(201);
      const listed = await lots();
      expect(listed.map((l) => [l.lotCode, l.onHand, l.expired])).toEqual([
        ['A1', 11, true],
        [null, 16, false],
      ]);
      // The report's "lots expiring soon" leads with the expired lot; CSV too.
      const report = (await staff.get(`/api/stores/${storeId}/report?expiringWithinDays=30`)).json();
      expect(report.expiringWithinDays).toBe(30);
      expect(report.expiringSoon.map((l: Lot) => [l.lotCode, l.expired, l.daysLeft])).toEqual([
        ['A1', true, -1],
        [null, false, 29],
      ]);
      expect((await staff.get(`/api/stores/${storeId}/report`)).json().expiringSoon).toHaveLength(2);
      expect((await staff.get(`/api/stores/${storeId}/report?expiringWithinDays=7`)).json().expiringSoon).toHaveLength(
        1,
      );
      const csv = (await staff.get(`/api/stores/${storeId}/report/export?format=csv`)).body;
      expect(csv).toContain(`expired_lot,牛奶 (A1) ${addDays(today0, 10)} (-1),11`);
      // Writing off the expired lot by name: a reason is required.
      const lot = listed[0]!;
      const noReason = await staff.post(`/api/stores/${storeId}/movements`, {
        kind: 'write_off',
        lines: [{ itemId: milk, quantity: 11, lotId: lot.id }],
      });
      expect(noReason.statusCode).toBe(422);
      const written = await staff.post(`/api/stores/${storeId}/movements`, {
        kind: 'write_off',
        lines: [{ itemId: milk, quantity: 11, lotId: lot.id }],
        reason: '过期报损',
      });
      expect(written.statusCode).toBe(201);
      expect((await lots()).map((l) => l.onHand)).toEqual([16]);
      // A lot named on an untracked item, or more than the lot holds, is refused.
      const untracked = await staff.post(`/api/stores/${storeId}/movements`, {
        kind: 'write_off',
        lines: [{ itemId: soap, quantity: 1, lotId: lot.id }],
        reason: '报损',
      });
      expect([untracked.statusCode, untracked.json().errors?.[0]?.code]).toEqual([422, 'not_tracked']);
      const tooMany = await staff.post(`/api/stores/${storeId}/movements`, {
        kind: 'write_off',
        lines: [{ itemId: milk, quantity: 1, lotId: lot.id }],
        reason: '报损',
      });
      expect(tooMany.statusCode).toBe(409);
      await lotsAddUp();
    } finally {
      now = noonOn(today0);
    }
  });

  it('transfers carry the lot with its expiry date and code to the other store', async () => {
    await volunteer.post('/api/donations', {
      storeId,
      lines: [{ itemId: milk, quantity: 4, expiresOn: addDays(today0, 20), lotCode: 'B7' }],
    });
    const moved = await staff.post(`/api/stores/${storeId}/transfers`, {
      toStoreId: warehouseId,
      lines: [
        { itemId: milk, quantity: 6 },
        { itemId: soap, quantity: 5 },
      ],
    });
    expect(moved.statusCode).toBe(201);
    expect((await lots(warehouseId)).map((l) => [l.expiresOn, l.lotCode, l.onHand])).toEqual([
      [addDays(today0, 20), 'B7', 4],
      [addDays(today0, 40), null, 2],
    ]);
    expect(await onHand(soap, warehouseId)).toBe(5);
    await lotsAddUp();
  });

  it('stock-takes count by lot, or take a shortfall first-expiry-first; a surplus needs its lot', async () => {
    const [lot] = await lots(warehouseId);
    const surplus = await staff.post(`/api/stores/${warehouseId}/stock-takes`, {
      lines: [{ itemId: milk, counted: 100 }],
      reason: '盘点',
    });
    expect([surplus.statusCode, surplus.json().errors?.[0]?.code]).toEqual([422, 'lot_required']);
    const byLot = await staff.post(`/api/stores/${warehouseId}/stock-takes`, {
      lines: [{ itemId: milk, lotId: lot!.id, counted: 5 }],
      reason: '盘点',
    });
    expect(byLot.statusCode).toBe(201);
    expect(byLot.json().adjustments).toEqual([{ itemId: milk, before: 4, counted: 5, difference: 1 }]);
    const whole = await staff.post(`/api/stores/${warehouseId}/stock-takes`, {
      lines: [{ itemId: milk, counted: 1 }],
      reason: '盘点',
    });
    expect(whole.statusCode).toBe(201);
    // 7 on the books, 1 counted: the 5 of the sooner lot go first, then 1 of the later.
    expect((await lots(warehouseId)).map((l) => [l.lotCode, l.onHand])).toEqual([[null, 1]]);
    await lotsAddUp();
  });

  it('a reversal goes back to the lot of the movement it reverses, and never takes a lot below zero', async () => {
    await volunteer.post('/api/donations', {
      storeId,
      lines: [{ itemId: milk, quantity: 3, expiresOn: addDays(today0, 30), lotCode: 'C3' }],
    });
    const movements = (await staff.get(`/api/stores/${storeId}/movements`)).json().items;
    const donated = (code: string) =>
      movements.find(
        (m: { kind: string; itemId: number; lotId: number | null }) =>
          m.kind === 'donation_in' && m.itemId === milk && m.lotId === lotIdOf(code),
      );
    const all = await t.db.kysely.selectFrom('stock_lots').select(['id', 'lot_code']).execute();
    const lotIdOf = (code: string) => Number(all.find((l) => l.lot_code === code)!.id);
    const c3 = donated('C3');
    expect(c3.expiresOn).toBe(addDays(today0, 30));
    const res = await staff.post(`/api/stock-movements/${c3.id}/reverse`, { reason: '录错' });
    expect(res.statusCode).toBe(201);
    expect((await lots()).some((l) => l.lotCode === 'C3')).toBe(false);
    // B7 went to the warehouse: its lot here is empty, so its donation cannot be reversed here.
    const b7 = await staff.post(`/api/stock-movements/${donated('B7').id}/reverse`, { reason: '录错' });
    expect(b7.statusCode).toBe(409);
    await lotsAddUp();
  });
});

describe('the database keeps lots and on-hand together', () => {
  it('switches tracking only while no store holds the item, audited', async () => {
    const held = await staff.patch(`/api/items/${soap}`, { tracksExpiry: true });
    expect([held.statusCode, held.json().errors?.[0]?.code]).toEqual([409, 'item_in_stock']);
    const fresh = (
      await staff.post('/api/items', { name: '面包', unit: '个', pointsPrice: 0, category: '食品' })
    ).json();
    const on = await staff.patch(`/api/items/${fresh.id}`, { tracksExpiry: true });
    expect([on.statusCode, on.json().tracksExpiry]).toEqual([200, true]);
    expect((await volunteer.patch(`/api/items/${fresh.id}`, { tracksExpiry: false })).statusCode).toBe(403);
    expect((await staff.patch('/api/items/987654', { tracksExpiry: false })).statusCode).toBe(404);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'item.update')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses, by itself, a tracked movement without a lot, a lot of another item, a lot below zero, and a tracking switch with stock', async () => {
    const k = t.db.kysely;
    const [lot] = await lots();
    const row = (itemId: number, quantity: number, lotId: number | null) => ({
      store_id: storeId,
      item_id: itemId,
      kind: 'adjustment',
      quantity,
      lot_id: lotId,
      created_at: new Date().toISOString(),
    });
    await expect(
      k
        .insertInto('stock_movements')
        .values(row(milk, 1, null))
        .execute(),
    ).rejects.toThrow(/stock_lot_required/);
    await expect(
      k
        .insertInto('stock_movements')
        .values(row(soap, 1, lot!.id))
        .execute(),
    ).rejects.toThrow(/stock_lot_mismatch/);
    await expect(
      k
        .insertInto('stock_movements')
        .values({ ...row(milk, 1, lot!.id), store_id: warehouseId })
        .execute(),
    ).rejects.toThrow(/stock_lot_mismatch/);
    // The item's balance covers it, the lot does not: the lot's own CHECK refuses.
    const otherLot = (
      await volunteer.post('/api/donations', {
        storeId,
        lines: [{ itemId: milk, quantity: 50, expiresOn: addDays(today0, 90) }],
      })
    ).json();
    expect(otherLot.receiptNo).toBeTruthy();
    await expect(
      k
        .insertInto('stock_movements')
        .values(row(milk, -(lot!.onHand + 1), lot!.id))
        .execute(),
    ).rejects.toThrow(/stock_lot_on_hand_non_negative|CHECK/i);
    await expect(sql`update items set tracks_expiry = 0 where id = ${milk}`.execute(k)).rejects.toThrow(
      /item_tracking_with_stock/,
    );
    await lotsAddUp();
  });

  it('concurrent sales, donations and write-offs keep every lot adding up to on-hand, and FEFO never oversells a lot', async () => {
    // A fresh shelf: the current lots written off, then three lots of 5.
    const current = await lots();
    await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'write_off',
      lines: current.map((l) => ({ itemId: milk, quantity: l.onHand, lotId: l.id })),
      reason: '清空做并发测试',
    });
    expect(await onHand(milk)).toBe(0);
    await volunteer.post('/api/donations', {
      storeId,
      lines: [3, 6, 9].map((d) => ({ itemId: milk, quantity: 5, expiresOn: addDays(today0, d) })),
    });
    const households = [];
    for (let i = 0; i < 24; i++) households.push(await household());
    const tills = [volunteer, staff, await t.userAgent('volunteer', sub.id), await t.userAgent('volunteer', sub.id)];
    const results = await Promise.all([
      ...households.map((h, i) => sell(tills[i % tills.length]!, h, milk, 1)),
      // New lots arriving while the till sells: 2 units each, later expiry.
      ...[20, 21, 22].map((d) =>
        volunteer.post('/api/donations', {
          storeId,
          lines: [{ itemId: milk, quantity: 2, expiresOn: addDays(today0, d) }],
        }),
      ),
      staff.post(`/api/stores/${storeId}/movements`, {
        kind: 'write_off',
        lines: [{ itemId: milk, quantity: 1 }],
        reason: '破损',
      }),
    ]);
    const sales = results.slice(0, 24).map((r) => r.statusCode);
    const others = results.slice(24).map((r) => r.statusCode);
    expect(
      others.filter((c) => c !== 201),
      JSON.stringify(results.slice(24).map((r) => r.body)),
    ).toEqual([]);
    expect(sales.every((c) => c === 201 || c === 409)).toBe(true);
    // 15 + 6 units in, one written off: at most 20 sold, and everything sold or left adds up.
    const sold = sales.filter((c) => c === 201).length;
    expect(sold).toBeGreaterThanOrEqual(14);
    expect(await onHand(milk)).toBe(15 + 6 - 1 - sold);
    await lotsAddUp();
  });
});

describe('returns of an item tracked by lot', () => {
  it('go back into the lots the sale took from, soonest expiry first, never past what each gave', async () => {
    const yogurt = (
      await staff.post('/api/items', { name: '酸奶', unit: '杯', pointsPrice: 0, category: '食品', tracksExpiry: true })
    ).json().id as number;
    expect(
      (
        await volunteer.post('/api/donations', {
          storeId,
          lines: [
            { itemId: yogurt, quantity: 4, expiresOn: addDays(today0, 3) },
            { itemId: yogurt, quantity: 6, expiresOn: addDays(today0, 9) },
          ],
        })
      ).statusCode,
    ).toBe(201);
    const sale = await sell(volunteer, await household(), yogurt, 7);
    expect(sale.statusCode, sale.body).toBe(201);
    const checkoutId = (
      await t.db.kysely
        .selectFrom('checkouts')
        .select('id')
        .where('receipt_no', '=', sale.json().receiptNo)
        .executeTakeFirstOrThrow()
    ).id;
    const byLot = async () => (await lots()).filter((l) => l.itemId === yogurt).map((l) => [l.expiresOn, l.onHand]);
    // An emptied lot leaves the list.
    expect(await byLot()).toEqual([[addDays(today0, 9), 3]]);
    const give = (quantity: number) =>
      staff.post(`/api/checkouts/${checkoutId}/returns`, { lines: [{ itemId: yogurt, quantity }], reason: '家中已有' });
    expect((await give(3)).statusCode).toBe(201);
    expect(await byLot()).toEqual([
      [addDays(today0, 3), 3],
      [addDays(today0, 9), 3],
    ]);
    // The soonest lot gave 4 and has taken 3 back: one more fits there, the rest into the next.
    expect((await give(3)).statusCode).toBe(201);
    expect(await byLot()).toEqual([
      [addDays(today0, 3), 4],
      [addDays(today0, 9), 5],
    ]);
    expect((await give(2)).json().code).toBe('return_exceeds_sale');
    await lotsAddUp();
  });
});
