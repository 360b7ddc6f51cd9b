import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidEan13 } from '@qiao/contracts';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let sub: { id: number };
let staff: Agent;
let volunteer: Agent;
let storeId: number;
let warehouseId: number;
let rice: number;
let oil: number;

/** Every store's on-hand equals the sum of its movements, and nothing is below zero. */
async function ledgerAddsUp() {
  const k = t.db.kysely;
  const sums = await k
    .selectFrom('stock_movements')
    .select(['store_id', 'item_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
    .groupBy(['store_id', 'item_id'])
    .execute();
  const balances = await k.selectFrom('stock_balances').selectAll().execute();
  const key = (r: { store_id: number; item_id: number }) => `${r.store_id}/${r.item_id}`;
  expect(Object.fromEntries(balances.map((b) => [key(b), Number(b.on_hand)]))).toEqual(
    Object.fromEntries(sums.map((s) => [key(s), Number(s.total)])),
  );
  for (const b of balances) expect(Number(b.on_hand)).toBeGreaterThanOrEqual(0);
}

const stock = async (id: number) =>
  Object.fromEntries(
    (await staff.get(`/api/stores/${id}/stock`))
      .json()
      .items.map((i: { itemId: number; onHand: number }) => [i.itemId, i.onHand]),
  );

beforeAll(async () => {
  t = await buildTestApp();
  const d = await t.district();
  sub = await t.subdistrict(d.id);
  staff = await t.userAgent('center_staff', sub.id);
  volunteer = await t.userAgent('volunteer', sub.id);
  storeId = (await staff.post('/api/stores', { name: '爱心超市', jurisdictionId: sub.id })).json().id;
  warehouseId = (await staff.post('/api/stores', { name: '仓库', jurisdictionId: sub.id })).json().id;
  rice = (
    await staff.post('/api/items', {
      name: '大米',
      unit: '袋(5kg)',
      pointsPrice: 30,
      category: '粮油',
      barcode: '6901234567892',
    })
  ).json().id;
  oil = (await staff.post('/api/items', { name: '食用油', unit: '桶', pointsPrice: 50, category: '粮油' })).json().id;
});
afterAll(() => t.close());

describe('stores and the catalogue', () => {
  it('checks EAN-13 check digits', () => {
    expect(isValidEan13('6901234567892')).toBe(true);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('6901234567891')).toBe(false);
    expect(isValidEan13('690123456789')).toBe(false);
  });

  it('refuses a wrong barcode, a duplicate barcode and a store outside a subdistrict', async () => {
    const bad = await staff.post('/api/items', {
      name: '面',
      unit: '包',
      pointsPrice: 5,
      category: '粮油',
      barcode: '6901234567891',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'barcode', code: 'invalid_ean13' })]);
    const dup = await staff.post('/api/items', {
      name: '米',
      unit: '袋',
      pointsPrice: 5,
      category: '粮油',
      barcode: '6901234567892',
    });
    expect([dup.statusCode, dup.json().errors[0].code]).toEqual([409, 'duplicate_barcode']);
    const district = await t.admin.post('/api/stores', { name: '区仓', jurisdictionId: t.rootId });
    expect(district.statusCode).toBe(422);
    // Volunteers do not open stores or add items.
    expect((await volunteer.post('/api/stores', { name: 'x', jurisdictionId: sub.id })).statusCode).toBe(403);
    expect(
      (await volunteer.post('/api/items', { name: 'x', unit: 'x', pointsPrice: 1, category: 'x' })).statusCode,
    ).toBe(403);
  });

  it('finds items by barcode', async () => {
    const found = (await volunteer.get('/api/items?barcode=6901234567892')).json().items;
    expect(found.map((i: { id: number }) => i.id)).toEqual([rice]);
  });
});

describe('donations', () => {
  it('records goods and money with gapless receipt numbers per store and year, anonymous allowed', async () => {
    const a = await volunteer.post('/api/donations', {
      storeId,
      donor: { name: '张阿姨', kind: 'person' },
      lines: [
        { itemId: rice, quantity: 10 },
        { itemId: oil, quantity: 4 },
        { itemId: rice, quantity: 2 },
      ],
      amountFen: 50_000,
    });
    expect(a.statusCode).toBe(201);
    const b = await volunteer.post('/api/donations', { storeId, lines: [{ itemId: oil, quantity: 1 }] });
    expect(b.statusCode).toBe(201);
    const c = await volunteer.post('/api/donations', { storeId: warehouseId, amountFen: 100 });
    const [na, nb, nc] = [a, b, c].map((r) => r.json().receiptNo as string) as [string, string, string];
    const seq = (n: string) => Number(n.split('-').pop());
    expect(seq(nb)).toBe(seq(na) + 1);
    expect(seq(nc)).toBe(1);
    expect(b.json().donor).toBeNull();
    expect(a.json().lines).toEqual([
      expect.objectContaining({ itemId: rice, quantity: 12 }),
      expect.objectContaining({ itemId: oil, quantity: 4 }),
    ]);
    expect(await stock(storeId)).toEqual({ [rice]: 12, [oil]: 5 });
    expect((await staff.get(`/api/stores/${storeId}/funds`)).json()).toEqual({ donatedFen: 50_000, operatingFen: 0 });
    await ledgerAddsUp();
  });

  it('a refused donation takes no number: the next one follows the last', async () => {
    const before = (await volunteer.get(`/api/donations?storeId=${storeId}`)).json().items[0].receiptNo as string;
    const bad = await volunteer.post('/api/donations', { storeId, lines: [{ itemId: 999999, quantity: 1 }] });
    expect([bad.statusCode, bad.json().errors[0]]).toEqual([422, expect.objectContaining({ field: 'lines.0.itemId' })]);
    expect((await volunteer.post('/api/donations', { storeId })).statusCode).toBe(422);
    const next = (await volunteer.post('/api/donations', { storeId, lines: [{ itemId: oil, quantity: 1 }] })).json()
      .receiptNo as string;
    expect(Number(next.split('-').pop())).toBe(Number(before.split('-').pop()) + 1);
  });

  it('prints a PDF receipt with the Chinese font embedded', async () => {
    const id = (await volunteer.get(`/api/donations?storeId=${storeId}`)).json().items.at(-1).id;
    const res = await volunteer.get(`/api/donations/${id}/receipt`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.toString('latin1')).toContain('NotoSansHans');
  });
});

describe('the stock ledger', () => {
  it('writes off with a reason, never below zero', async () => {
    const over = await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'write_off',
      lines: [{ itemId: rice, quantity: 1000 }],
      reason: '过期',
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({
      code: 'insufficient_stock',
      lines: [{ itemId: rice, onHand: 12, requested: 1000 }],
    });
    const ok = await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'write_off',
      lines: [{ itemId: rice, quantity: 2 }],
      reason: '包装破损',
    });
    expect(ok.statusCode).toBe(201);
    expect(
      (
        await staff.post(`/api/stores/${storeId}/movements`, {
          kind: 'write_off',
          lines: [{ itemId: rice, quantity: 1 }],
        })
      ).statusCode,
    ).toBe(422);
    expect((await stock(storeId))[rice]).toBe(10);
    await ledgerAddsUp();
  });

  it('the database itself refuses a negative balance and any edit of the ledger', async () => {
    const k = t.db.kysely;
    await expect(
      k
        .insertInto('stock_movements')
        .values({
          store_id: storeId,
          item_id: rice,
          kind: 'write_off',
          quantity: -1000,
          created_at: new Date().toISOString(),
        })
        .execute(),
    ).rejects.toThrow();
    await expect(k.updateTable('stock_movements').set({ quantity: 1 }).execute()).rejects.toThrow(/append-only/);
    await expect(k.deleteFrom('stock_movements').execute()).rejects.toThrow(/append-only/);
    await ledgerAddsUp();
  });

  it('a stock-take posts adjustments for the differences', async () => {
    const res = await staff.post(`/api/stores/${storeId}/stock-takes`, {
      lines: [
        { itemId: rice, counted: 8 },
        { itemId: oil, counted: 6 },
      ],
      reason: '月末盘点',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().adjustments).toEqual(
      [
        { itemId: rice, before: 10, counted: 8, difference: -2 },
        { itemId: oil, before: 6, counted: 6, difference: 0 },
      ].filter((a) => a.difference !== 0),
    );
    expect(await stock(storeId)).toEqual({ [rice]: 8, [oil]: 6 });
    await ledgerAddsUp();
  });

  it('transfers as a pair and reverses mistakes by opposite entries, once', async () => {
    const short = await staff.post(`/api/stores/${storeId}/transfers`, {
      toStoreId: warehouseId,
      lines: [{ itemId: oil, quantity: 7 }],
    });
    expect(short.json()).toMatchObject({
      code: 'insufficient_stock',
      lines: [{ itemId: oil, onHand: 6, requested: 7 }],
    });
    expect(
      (
        await staff.post(`/api/stores/${storeId}/transfers`, {
          toStoreId: warehouseId,
          lines: [{ itemId: oil, quantity: 2 }],
        })
      ).statusCode,
    ).toBe(201);
    expect((await stock(storeId))[oil]).toBe(4);
    expect((await stock(warehouseId))[oil]).toBe(2);

    const purchase = await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'purchase_in',
      lines: [{ itemId: rice, quantity: 100 }],
      reason: '采购（误录数量）',
    });
    expect(purchase.statusCode).toBe(201);
    const [last] = (await staff.get(`/api/stores/${storeId}/movements?limit=1`)).json().items;
    expect(last).toMatchObject({ kind: 'purchase_in', quantity: 100 });
    const reversed = await staff.post(`/api/stock-movements/${last.id}/reverse`, { reason: '数量录错' });
    expect(reversed.statusCode).toBe(201);
    expect((await staff.post(`/api/stock-movements/${last.id}/reverse`, { reason: '再来一次' })).statusCode).toBe(409);
    expect((await stock(storeId))[rice]).toBe(8);
    const [rev, orig] = (await staff.get(`/api/stores/${storeId}/movements?limit=2`)).json().items;
    expect(rev).toMatchObject({ kind: 'reversal', quantity: -100, reversesId: last.id });
    expect(orig).toMatchObject({ id: last.id, reversedBy: rev.id });
    await ledgerAddsUp();
  });

  it('other subdistricts see none of it', async () => {
    const other = await t.subdistrict((await t.district()).id);
    const outsider = await t.userAgent('center_staff', other.id);
    expect((await outsider.get(`/api/stores/${storeId}/stock`)).statusCode).toBe(404);
    expect((await outsider.get('/api/stores')).json().items).toEqual([]);
    expect((await outsider.get('/api/donations')).json().items).toEqual([]);
    const write = await outsider.post('/api/donations', { storeId, lines: [{ itemId: rice, quantity: 1 }] });
    expect(write.statusCode).toBe(422);
  });
});
