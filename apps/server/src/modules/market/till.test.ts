import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit/verify-chain.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

// The till's invariants, on whichever engine the project runs (SQLite or PostgreSQL), with requests
// in flight at the same time: on PostgreSQL they run in separate pool connections side by side.

/** A valid GB 11643 number (check character computed) for the `seq`-th test household. */
function idNumber(seq: number, birth = '19700101', region = '310104'): string {
  const body = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

let t: TestApp;
let sub: { id: number };
let staff: Agent;
let volunteer: Agent;
let storeId: number;
let items: Record<'rice' | 'oil' | 'soap' | 'noodles' | 'milk', number>;
let seq = 0;

async function household(category = 'subsistence_allowance', verify = true): Promise<number> {
  const res = await staff.post('/api/households', {
    headName: `户主${++seq}`,
    idNumber: idNumber(seq),
    category,
    jurisdictionId: sub.id,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = res.json().id as number;
  if (verify) expect((await staff.post(`/api/households/${id}/verify`, { note: '核对低保证' })).statusCode).toBe(200);
  return id;
}

const grant = (householdId: number, points: number) =>
  staff.post('/api/points/grants', { householdId, points, reason: '本月积分' });

const sell = (agent: Agent, body: unknown, key: string | null = randomUUID()) =>
  agent.request('POST', '/api/checkouts', body as never, key === null ? {} : { 'idempotency-key': key });

const onHand = async (itemId: number) =>
  ((await staff.get(`/api/stores/${storeId}/stock`)).json().items.find((i: { itemId: number }) => i.itemId === itemId)
    ?.onHand ?? 0) as number;

const balance = async (householdId: number) =>
  (await staff.get(`/api/households/${householdId}/balance`)).json().points as number;

/** For every store/item and every household: the ledger's sum equals the balance, and none is negative. */
async function ledgersAddUp() {
  const k = t.db.kysely;
  const stock = await k
    .selectFrom('stock_movements')
    .select(['store_id', 'item_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
    .groupBy(['store_id', 'item_id'])
    .execute();
  const balances = await k.selectFrom('stock_balances').selectAll().execute();
  expect(Object.fromEntries(balances.map((b) => [`${b.store_id}/${b.item_id}`, Number(b.on_hand)]))).toEqual(
    Object.fromEntries(stock.map((s) => [`${s.store_id}/${s.item_id}`, Number(s.total)])),
  );
  const points = await k
    .selectFrom('points_entries')
    .select(['household_id', (eb) => eb.fn.sum<number>('points').as('total')])
    .groupBy('household_id')
    .execute();
  const pb = await k.selectFrom('points_balances').selectAll().execute();
  expect(Object.fromEntries(pb.map((b) => [b.household_id, Number(b.points)]))).toEqual(
    Object.fromEntries(points.map((p) => [p.household_id, Number(p.total)])),
  );
  for (const b of [...balances.map((b) => b.on_hand), ...pb.map((b) => b.points)])
    expect(Number(b)).toBeGreaterThanOrEqual(0);
  // Every sale's movements and points entry match its lines.
  const sales = await k.selectFrom('checkouts').select(['id', 'points_spent']).execute();
  for (const s of sales) {
    const moved = await k
      .selectFrom('stock_movements')
      .select((eb) => eb.fn.sum<number>('quantity').as('q'))
      .where('reference', '=', `checkout:${s.id}`)
      .executeTakeFirstOrThrow();
    const lines = await k
      .selectFrom('checkout_lines')
      .select((eb) => eb.fn.sum<number>('quantity').as('q'))
      .where('checkout_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(-Number(moved.q)).toBe(Number(lines.q));
  }
  // One audit event per sale (written in the sale's own transaction or savepoint), and the chain verifies.
  const events = await k
    .selectFrom('audit_events')
    .select('entity_id')
    .where('action', '=', 'checkout.complete')
    .execute();
  expect(events.map((e) => Number(e.entity_id)).sort((a, b) => a - b)).toEqual(
    sales.map((s) => Number(s.id)).sort((a, b) => a - b),
  );
  expect(await verifyAuditChain(k)).toMatchObject({ ok: true });
}

beforeAll(async () => {
  t = await buildTestApp();
  const d = await t.district();
  sub = await t.subdistrict(d.id);
  staff = await t.userAgent('center_staff', sub.id);
  volunteer = await t.userAgent('volunteer', sub.id);
  storeId = (await staff.post('/api/stores', { name: '慈善超市', jurisdictionId: sub.id })).json().id;
  const item = async (name: string, pointsPrice: number) =>
    (await staff.post('/api/items', { name, unit: '件', pointsPrice, category: '日用' })).json().id as number;
  items = {
    rice: await item('大米', 10),
    oil: await item('食用油', 20),
    soap: await item('肥皂', 1),
    noodles: await item('挂面', 0),
    milk: await item('牛奶', 5),
  };
  const res = await t.admin.post('/api/entitlement-programs', {
    name: '低保户月度积分',
    period: 'month',
    pointsByCategory: { subsistence_allowance: 200, extreme_poverty: 300 },
    quotas: [{ itemId: items.oil, quantity: 3 }],
    visitLimit: 50,
  });
  expect(res.statusCode).toBe(201);
  await volunteer.post('/api/donations', {
    storeId,
    donor: { name: '爱心企业', kind: 'company' },
    lines: [
      { itemId: items.rice, quantity: 10 },
      { itemId: items.oil, quantity: 100 },
      { itemId: items.soap, quantity: 1000 },
      { itemId: items.noodles, quantity: 100 },
      { itemId: items.milk, quantity: 100 },
    ],
  });
});
afterAll(() => t.close());

describe('entitlements', () => {
  it('grants points only under a program covering the household’s category', async () => {
    const covered = await household();
    expect((await grant(covered, 50)).json()).toEqual({ points: 50 });
    const uncovered = await household('temporary_hardship');
    const refused = await grant(uncovered, 50);
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'no_entitlement_program']);
    expect(await balance(uncovered)).toBe(0);
    // Volunteers serve the till but do not grant points; nobody but the city configures programs.
    expect(
      (await volunteer.post('/api/points/grants', { householdId: covered, points: 5, reason: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (
        await staff.post('/api/entitlement-programs', {
          name: 'x',
          period: 'month',
          pointsByCategory: { low_income: 1 },
        })
      ).statusCode,
    ).toBe(403);
    // Two active programs never cover one category.
    const overlap = await t.admin.post('/api/entitlement-programs', {
      name: '重复',
      period: 'month',
      pointsByCategory: { extreme_poverty: 1 },
    });
    expect([overlap.statusCode, overlap.json().errors[0].field]).toEqual([409, 'pointsByCategory.extreme_poverty']);
  });
});

describe('the period’s grant', () => {
  it('gives each eligible household its category’s points once a period, in the caller’s subtree only', async () => {
    const sub2 = await t.subdistrict((await t.district()).id);
    const staff2 = await t.userAgent('center_staff', sub2.id);
    const make = async (category: string, verify: boolean) => {
      const res = await staff2.post('/api/households', {
        headName: `户主${++seq}`,
        idNumber: idNumber(seq),
        category,
        jurisdictionId: sub2.id,
      });
      if (verify) await staff2.post(`/api/households/${res.json().id}/verify`, {});
      return res.json().id as number;
    };
    const low = await make('subsistence_allowance', true);
    const extreme = await make('extreme_poverty', true);
    const unverified = await make('subsistence_allowance', false);
    const uncovered = await make('temporary_hardship', true);
    const [program] = (await staff2.get('/api/entitlement-programs')).json().items;
    const first = await staff2.post('/api/points/period-grants', { programId: program.id });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ granted: 2, alreadyGranted: 0, notEligible: 2, points: 500 });
    const again = await staff2.post('/api/points/period-grants', { programId: program.id });
    expect(again.json()).toMatchObject({ granted: 0, alreadyGranted: 2, points: 0 });
    const points = async (id: number) => (await staff2.get(`/api/households/${id}/balance`)).json().points;
    expect([await points(low), await points(extreme), await points(unverified), await points(uncovered)]).toEqual([
      200, 300, 0, 0,
    ]);
    // The first subdistrict's households were not touched by the second's run.
    const own = await household();
    expect(await balance(own)).toBe(0);
    await ledgersAddUp();
  });
});

describe('the till', () => {
  it('sells: movements and points debit in one go, receipt numbered, entitlement shown', async () => {
    const h = await household();
    await grant(h, 100);
    const res = await sell(volunteer, {
      storeId,
      householdId: h,
      lines: [
        { itemId: items.soap, quantity: 3 },
        { itemId: items.oil, quantity: 1 },
        { itemId: items.soap, quantity: 2 },
        { itemId: items.noodles, quantity: 1 },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      receiptNo: expect.stringMatching(/^R\d{4}-\d{4}-\d{6}$/),
      pointsSpent: 25,
      pointsLeft: 75,
    });
    expect(await balance(h)).toBe(75);
    const ent = (await volunteer.get(`/api/households/${h}/entitlement`)).json();
    expect(ent).toMatchObject({
      points: 75,
      mayRedeem: true,
      visitsLeft: 49,
      quotas: [{ itemId: items.oil, quantity: 3, used: 1, left: 2 }],
    });
    const [sale] = (await volunteer.get(`/api/checkouts?receiptNo=${res.json().receiptNo}`)).json().items;
    expect(sale.lines).toHaveLength(3);
    const pdf = await volunteer.get(`/api/checkouts/${sale.id}/receipt`);
    expect([pdf.statusCode, pdf.headers['content-type'], pdf.rawPayload.subarray(0, 5).toString()]).toEqual([
      200,
      'application/pdf',
      '%PDF-',
    ]);
    await ledgersAddUp();
  });

  it('refuses with the reason the till shows: key, eligibility, quota, stock, points', async () => {
    const h = await household();
    await grant(h, 40);
    const body = (lines: { itemId: number; quantity: number }[], householdId = h) => ({ storeId, householdId, lines });
    const missing = await sell(volunteer, body([{ itemId: items.soap, quantity: 1 }]), null);
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'idempotency_key_required']);
    const unverified = await household('subsistence_allowance', false);
    const notYet = await sell(volunteer, body([{ itemId: items.soap, quantity: 1 }], unverified));
    expect([notYet.statusCode, notYet.json().code]).toEqual([409, 'household_not_eligible']);
    const quota = await sell(volunteer, body([{ itemId: items.oil, quantity: 4 }]));
    expect([quota.statusCode, quota.json().code, quota.json().lines]).toEqual([
      409,
      'quota_exceeded',
      [{ itemId: items.oil, quota: 3, used: 0, requested: 4 }],
    ]);
    const stock = await sell(
      volunteer,
      body([
        { itemId: items.rice, quantity: 11 },
        { itemId: items.soap, quantity: 1 },
      ]),
    );
    expect([stock.statusCode, stock.json().code, stock.json().lines]).toEqual([
      409,
      'insufficient_stock',
      [{ itemId: items.rice, onHand: 10, requested: 11 }],
    ]);
    const points = await sell(volunteer, body([{ itemId: items.milk, quantity: 9 }]));
    expect([points.statusCode, points.json().code]).toEqual([409, 'insufficient_points']);
    expect(await balance(h)).toBe(40);
    await ledgersAddUp();
  });

  it('bad quantities and bodies → 4xx and nothing moves', async () => {
    const h = await household();
    await grant(h, 100);
    const before = [await onHand(items.soap), await balance(h)];
    const movements = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('stock_movements')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const count = await movements();
    for (const quantity of [0, -1, 1.5, '1', '２', 1e9, Number.MAX_SAFE_INTEGER, null, true, [], {}]) {
      const res = await sell(volunteer, { storeId, householdId: h, lines: [{ itemId: items.soap, quantity }] });
      expect(res.statusCode, JSON.stringify(quantity)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, JSON.stringify(quantity)).toBeLessThan(500);
    }
    for (const bad of [
      { storeId, householdId: h, lines: [] },
      { storeId, householdId: h },
      { storeId: String(storeId), householdId: h, lines: [{ itemId: items.soap, quantity: 1 }] },
      { storeId, householdId: h, lines: [{ itemId: items.soap, quantity: 1 }], extra: 1 },
      { storeId, householdId: 987654, lines: [{ itemId: items.soap, quantity: 1 }] },
      { storeId, householdId: h, lines: [{ itemId: 987654, quantity: 1 }] },
    ]) {
      const res = await sell(volunteer, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, JSON.stringify(bad)).toBeLessThan(500);
    }
    for (const key of ['short', 'x'.repeat(101), 'ключ-ключ-ключ']) {
      const res = await sell(volunteer, { storeId, householdId: h, lines: [{ itemId: items.soap, quantity: 1 }] }, key);
      expect([res.statusCode, res.json().code]).toEqual([400, 'idempotency_key_required']);
    }
    expect([await onHand(items.soap), await balance(h)]).toEqual(before);
    expect(await movements()).toBe(count);
  });

  it('a retried sale with the same key answers the same receipt and writes one set of movements', async () => {
    const h = await household();
    await grant(h, 100);
    const key = randomUUID();
    const body = { storeId, householdId: h, lines: [{ itemId: items.milk, quantity: 2 }] };
    const first = await sell(volunteer, body, key);
    // The same key, at once, many times (a till retrying over a bad network).
    const retries = await Promise.all(Array.from({ length: 8 }, () => sell(volunteer, body, key)));
    for (const r of retries) expect([r.statusCode, r.json()]).toEqual([201, first.json()]);
    const sales = await t.db.kysely.selectFrom('checkouts').select('id').where('household_id', '=', h).execute();
    expect(sales).toHaveLength(1);
    expect(await balance(h)).toBe(90);
    // The same sale with its keys in another order is the same request.
    const reordered = await sell(volunteer, { lines: body.lines, householdId: h, storeId }, key);
    expect([reordered.statusCode, reordered.json()]).toEqual([201, first.json()]);
    // The same key with a different body is refused; another user's identical key is their own.
    const other = await sell(volunteer, { ...body, lines: [{ itemId: items.milk, quantity: 3 }] }, key);
    expect([other.statusCode, other.json().code]).toEqual([422, 'idempotency_key_reused']);
    const colleague = await t.userAgent('volunteer', sub.id);
    expect((await sell(colleague, body, key)).json().receiptNo).not.toBe(first.json().receiptNo);
    expect(await balance(h)).toBe(80);
    await ledgersAddUp();
  });

  it('50 concurrent sales for the last 10 units: exactly 10 succeed and on-hand is 0', async () => {
    const noodles = await onHand(items.noodles);
    // Leave exactly 10 on the shelf.
    await staff.post(`/api/stores/${storeId}/movements`, {
      kind: 'write_off',
      lines: [{ itemId: items.noodles, quantity: noodles - 10 }],
      reason: '留 10 件做并发测试',
    });
    const households = [];
    for (let i = 0; i < 50; i++) households.push(await household());
    const tills = [volunteer, staff, await t.userAgent('volunteer', sub.id), await t.userAgent('volunteer', sub.id)];
    const results = await Promise.all(
      households.map((h, i) =>
        sell(tills[i % tills.length]!, { storeId, householdId: h, lines: [{ itemId: items.noodles, quantity: 1 }] }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(40);
    for (const r of results.filter((r) => r.statusCode === 409))
      expect(r.json()).toMatchObject({
        code: 'insufficient_stock',
        lines: [{ itemId: items.noodles, onHand: 0, requested: 1 }],
      });
    expect(await onHand(items.noodles)).toBe(0);
    // Receipt numbers of the ten are consecutive: no number lost to a refused sale.
    const numbers = results
      .filter((r) => r.statusCode === 201)
      .map((r) => Number((r.json().receiptNo as string).split('-').pop()))
      .sort((a, b) => a - b);
    expect(numbers.at(-1)! - numbers[0]!).toBe(9);
    await ledgersAddUp();
  });

  it('20 concurrent sales against points enough for one: exactly one succeeds', async () => {
    const h = await household();
    await grant(h, 30);
    const tills = [volunteer, staff, await t.userAgent('volunteer', sub.id)];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sell(tills[i % tills.length]!, { storeId, householdId: h, lines: [{ itemId: items.milk, quantity: 6 }] }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(
      Array(19).fill('insufficient_points'),
    );
    expect(await balance(h)).toBe(0);
    await ledgersAddUp();
  });

  it('concurrent sales cannot together break a quota', async () => {
    const h = await household();
    await grant(h, 1000);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        sell(volunteer, { storeId, householdId: h, lines: [{ itemId: items.oil, quantity: 1 }] }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(
      Array(3).fill('quota_exceeded'),
    );
    await ledgersAddUp();
  });

  it('nobody outside the subdistrict sells to its households or from its stores', async () => {
    const h = await household();
    await grant(h, 100);
    const other = await t.subdistrict((await t.district()).id);
    const outsider = await t.userAgent('volunteer', other.id);
    const res = await sell(outsider, { storeId, householdId: h, lines: [{ itemId: items.soap, quantity: 1 }] });
    expect(res.statusCode).toBe(404);
    expect((await outsider.get(`/api/households/${h}/balance`)).statusCode).toBe(404);
    expect(await balance(h)).toBe(100);
  });
});

describe('sale returns', () => {
  const saleOf = async (receiptNo: string) =>
    (await staff.get(`/api/checkouts?receiptNo=${receiptNo}`)).json().items[0] as {
      id: number;
      pointsRefunded: number;
      lines: { itemId: number; quantity: number; returned: number }[];
    };

  it('takes goods back at the sale’s prices, never more than sold less earlier returns, audited', async () => {
    const h = await household();
    await grant(h, 100);
    const res = await sell(staff, {
      storeId,
      householdId: h,
      lines: [
        { itemId: items.soap, quantity: 5 },
        { itemId: items.milk, quantity: 2 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const { id } = await saleOf(res.json().receiptNo);
    const soap = await onHand(items.soap);
    const left = await balance(h);

    const back = await staff.post(`/api/checkouts/${id}/returns`, {
      lines: [
        { itemId: items.soap, quantity: 1 },
        { itemId: items.milk, quantity: 1 },
        { itemId: items.soap, quantity: 1 },
      ],
      reason: '包装破损',
    });
    expect(back.statusCode).toBe(201);
    // Soap costs 1 point, milk 5: 2 + 5 back.
    expect(back.json()).toMatchObject({ checkoutId: id, units: 3, pointsRefunded: 7, pointsLeft: left + 7 });
    expect(await onHand(items.soap)).toBe(soap + 2);
    expect(await balance(h)).toBe(left + 7);
    const view = await saleOf(res.json().receiptNo);
    expect(view.pointsRefunded).toBe(7);
    expect(view.lines.find((l) => l.itemId === items.soap)).toMatchObject({ quantity: 5, returned: 2 });

    // 3 soap are left to return, no rice was sold: the 409 names both lines, and nothing moves.
    const over = await staff.post(`/api/checkouts/${id}/returns`, {
      lines: [
        { itemId: items.soap, quantity: 4 },
        { itemId: items.rice, quantity: 1 },
        { itemId: items.milk, quantity: 1 },
      ],
      reason: '再退',
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('return_exceeds_sale');
    expect(over.json().lines).toEqual(
      [
        { itemId: items.rice, sold: 0, returned: 0, requested: 1 },
        { itemId: items.soap, sold: 5, returned: 2, requested: 4 },
      ].sort((a, b) => a.itemId - b.itemId),
    );
    expect(await onHand(items.soap)).toBe(soap + 2);
    expect(await balance(h)).toBe(left + 7);

    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'checkout.return')
      .where('entity_id', '=', String(id))
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details!)).toMatchObject({ units: 3, pointsRefunded: 7, reason: '包装破损' });
    await ledgersAddUp();
  });

  it('needs a reason and sane lines; volunteers may not; outside the subdistrict the sale does not exist', async () => {
    const h = await household();
    await grant(h, 100);
    const res = await sell(staff, { storeId, householdId: h, lines: [{ itemId: items.soap, quantity: 2 }] });
    const { id } = await saleOf(res.json().receiptNo);
    const soap = await onHand(items.soap);
    for (const body of [
      { lines: [{ itemId: items.soap, quantity: 1 }] },
      { lines: [{ itemId: items.soap, quantity: 1 }], reason: '' },
      { lines: [{ itemId: items.soap, quantity: 0 }], reason: '退' },
      { lines: [{ itemId: items.soap, quantity: -1 }], reason: '退' },
      { lines: [], reason: '退' },
    ]) {
      const r = await staff.post(`/api/checkouts/${id}/returns`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(422);
    }
    expect(
      (
        await volunteer.post(`/api/checkouts/${id}/returns`, {
          lines: [{ itemId: items.soap, quantity: 1 }],
          reason: '退',
        })
      ).statusCode,
    ).toBe(403);
    const other = await t.subdistrict((await t.district()).id);
    const outsider = await t.userAgent('center_staff', other.id);
    const body = { lines: [{ itemId: items.soap, quantity: 1 }], reason: '退' };
    expect((await outsider.post(`/api/checkouts/${id}/returns`, body)).statusCode).toBe(404);
    expect((await staff.post(`/api/checkouts/999999/returns`, body)).statusCode).toBe(404);
    expect(await onHand(items.soap)).toBe(soap);
  });

  it('concurrent returns of a whole sale: exactly one is taken', async () => {
    const h = await household();
    await grant(h, 100);
    const res = await sell(staff, { storeId, householdId: h, lines: [{ itemId: items.milk, quantity: 3 }] });
    const { id } = await saleOf(res.json().receiptNo);
    const left = await balance(h);
    const staff2 = await t.userAgent('center_staff', sub.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? staff : staff2).post(`/api/checkouts/${id}/returns`, {
          lines: [{ itemId: items.milk, quantity: 3 }],
          reason: '整单退货',
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(7).fill(409)]);
    expect(await balance(h)).toBe(left + 15);
    expect((await saleOf(res.json().receiptNo)).lines[0]).toMatchObject({ quantity: 3, returned: 3 });
    await ledgersAddUp();
  });
});

describe('the store report', () => {
  it('adds up the period: goods in by source and out, sales, households served, top items, stock', async () => {
    const r = (await staff.get(`/api/stores/${storeId}/report`)).json();
    const k = t.db.kysely;
    const sum = async (kind: string) =>
      Math.abs(
        Number(
          (
            await k
              .selectFrom('stock_movements')
              .select((eb) => eb.fn.sum<number>('quantity').as('q'))
              .where('store_id', '=', storeId)
              .where('kind', '=', kind)
              .executeTakeFirstOrThrow()
          ).q ?? 0,
        ),
      );
    expect(r.goodsIn.donation).toBe(await sum('donation_in'));
    expect(r.goodsOut.redemption).toBe(await sum('redemption_out'));
    expect(r.goodsOut.writeOff).toBe(await sum('write_off'));
    const sales = await k
      .selectFrom('checkouts')
      .select(['household_id', 'points_spent'])
      .where('store_id', '=', storeId)
      .execute();
    expect(r.sales).toBe(sales.length);
    expect(r.householdsServed).toBe(new Set(sales.map((s) => s.household_id)).size);
    expect(r.pointsRedeemed).toBe(sales.reduce((n, s) => n + Number(s.points_spent), 0));
    expect(r.topItems[0].quantity).toBeGreaterThanOrEqual(r.topItems.at(-1).quantity);
    expect(r.onHand).toEqual((await staff.get(`/api/stores/${storeId}/stock`)).json().items);
    // A period before anything happened is empty; a reversed period is refused.
    const empty = (await staff.get(`/api/stores/${storeId}/report?from=2020-01-01&to=2020-01-31`)).json();
    expect([empty.sales, empty.goodsIn.donation, empty.topItems]).toEqual([0, 0, []]);
    expect((await staff.get(`/api/stores/${storeId}/report?from=2020-02-01&to=2020-01-01`)).statusCode).toBe(422);
    // Exports: CSV with a BOM, XLSX a zip.
    const csv = await staff.get(`/api/stores/${storeId}/report/export?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('households_served');
    const xlsx = await staff.get(`/api/stores/${storeId}/report/export?format=xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // Out of scope: as missing.
    const outsider = await t.userAgent('center_staff', (await t.subdistrict((await t.district()).id)).id);
    expect((await outsider.get(`/api/stores/${storeId}/report`)).statusCode).toBe(404);
  });
});
