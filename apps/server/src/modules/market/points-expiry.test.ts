import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIfDue } from '../../platform/jobs.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { shanghaiDate } from './ledger.js';
import { addDays } from './lots.js';
import { addMonths } from './points-expiry.js';

// Points that expire (ADR 0016): a program's validity in months, a daily job (and runPointsExpiry)
// writing `expire` entries for what is left of each lapsed grant, oldest grants spent first.
// The clock is the test's: the run happens the day before and the day after the expiry.

function idNumber(seq: number): string {
  const body = `31010419800101${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

const noonOn = (date: string) => new Date(`${date}T04:00:00Z`);
const today0 = shanghaiDate();
let now = noonOn(today0);
let t: TestApp;
let sub: { id: number };
let staff: Agent;
let storeId: number;
let rice: number;
let seq = 0;

async function household(category = 'subsistence_allowance'): Promise<number> {
  const res = await staff.post('/api/households', {
    headName: `户主${++seq}`,
    idNumber: idNumber(seq),
    category,
    jurisdictionId: sub.id,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = res.json().id as number;
  expect((await staff.post(`/api/households/${id}/verify`, { note: '核对' })).statusCode).toBe(200);
  return id;
}

const balance = async (h: number) => (await staff.get(`/api/households/${h}/balance`)).json();
const runExpiry = () => t.admin.post('/api/points/expiry-runs', {});

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => now });
  const d = await t.district();
  sub = await t.subdistrict(d.id);
  staff = await t.userAgent('center_staff', sub.id);
  storeId = (await staff.post('/api/stores', { name: '慈善超市', jurisdictionId: sub.id })).json().id;
  rice = (await staff.post('/api/items', { name: '大米', unit: '袋', pointsPrice: 10, category: '粮油' })).json().id;
  await staff.post('/api/donations', { storeId, lines: [{ itemId: rice, quantity: 100 }] });
  const monthly = await t.admin.post('/api/entitlement-programs', {
    name: '低保户积分（一个月有效）',
    period: 'month',
    pointsByCategory: { subsistence_allowance: 100 },
    pointsValidMonths: 1,
  });
  expect([monthly.statusCode, monthly.json().pointsValidMonths]).toEqual([201, 1]);
  const forever = await t.admin.post('/api/entitlement-programs', {
    name: '特困户积分（长期有效）',
    period: 'month',
    pointsByCategory: { extreme_poverty: 100 },
  });
  expect([forever.statusCode, forever.json().pointsValidMonths]).toEqual([201, null]);
});
afterAll(() => t.close());

describe('points expiry', () => {
  it('adds calendar months, on the month’s last day when shorter', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('expires what is left of a grant the day after its last valid day, once, audited; shows it coming', async () => {
    const h = await household();
    const never = await household('extreme_poverty');
    for (const id of [h, never])
      expect(
        (await staff.post('/api/points/grants', { householdId: id, points: 100, reason: '本月' })).statusCode,
      ).toBe(201);
    // Spend 30 of it.
    const sale = await staff.request(
      'POST',
      '/api/checkouts',
      { storeId, householdId: h, lines: [{ itemId: rice, quantity: 3 }] } as never,
      { 'idempotency-key': randomUUID() },
    );
    expect(sale.statusCode).toBe(201);
    const lastValid = addDays(addMonths(today0, 1), -1);
    expect(await balance(h)).toEqual({ points: 70, nextExpiry: { on: lastValid, points: 70 } });
    expect(await balance(never)).toEqual({ points: 100, nextExpiry: null });
    expect((await staff.get(`/api/households/${h}/entitlement`)).json().nextExpiry).toEqual({
      on: lastValid,
      points: 70,
    });

    now = noonOn(lastValid); // the last day: still good
    try {
      expect((await runExpiry()).json()).toMatchObject({ asOf: lastValid, entries: 0, points: 0 });
      expect((await balance(h)).points).toBe(70);

      now = noonOn(addDays(lastValid, 1)); // the day after: gone
      const run = await runExpiry();
      expect(run.statusCode).toBe(201);
      expect(run.json()).toEqual({ asOf: addDays(lastValid, 1), households: 1, entries: 1, points: 70 });
      expect(await balance(h)).toEqual({ points: 0, nextExpiry: null });
      expect((await balance(never)).points).toBe(100);
      // Twice expires nothing more; nor does the job.
      expect((await runExpiry()).json()).toMatchObject({ entries: 0, points: 0 });
      const job = t.app.jobs.find((j) => j.name === 'points-expiry')!;
      expect(job.schedule).toEqual({ dailyAt: '00:15' });
      expect(await job.run()).toMatchObject({ entries: 0 });
      const entries = await t.db.kysely
        .selectFrom('points_entries')
        .select(['kind', 'points', 'reference'])
        .where('household_id', '=', h)
        .where('kind', '=', 'expire')
        .execute();
      expect(entries).toEqual([{ kind: 'expire', points: -70, reference: expect.stringMatching(/^expire:\d+$/) }]);
      const audited = await t.db.kysely
        .selectFrom('audit_events')
        .select(['entity_id', 'details'])
        .where('action', '=', 'points.expire')
        .execute();
      expect(audited.map((a) => Number(a.entity_id))).toEqual([h]);
    } finally {
      now = noonOn(today0);
    }
  });

  it('spends the oldest grants first: only what is left of a lapsed grant expires', async () => {
    const h = await household();
    const program = (await t.admin.get('/api/entitlement-programs')).json().items[0];
    // A grant 40 days old (written as the ledger would have then) and one of today.
    await t.db.kysely
      .insertInto('points_entries')
      .values({
        household_id: h,
        kind: 'grant',
        points: 50,
        reason: '上月',
        program_id: program.id,
        reference: null,
        actor_id: null,
        actor_name: 'test',
        created_at: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      })
      .execute();
    await staff.post('/api/points/grants', { householdId: h, points: 100, reason: '本月' });
    const sale = await staff.request(
      'POST',
      '/api/checkouts',
      { storeId, householdId: h, lines: [{ itemId: rice, quantity: 3 }] } as never,
      { 'idempotency-key': randomUUID() },
    );
    expect(sale.statusCode).toBe(201);
    // The 30 came out of the old grant: 20 of it are left, and lapse today.
    const run = (await runExpiry()).json();
    expect(run).toMatchObject({ households: 1, entries: 1, points: 20 });
    expect(await balance(h)).toEqual({
      points: 100,
      nextExpiry: { on: addDays(addMonths(today0, 1), -1), points: 100 },
    });
  });

  it('only the city runs it by hand', async () => {
    const res = await staff.post('/api/points/expiry-runs', {});
    expect(res.statusCode).toBe(403);
    const bad = await t.admin.post('/api/points/expiry-runs', { asOf: '2030-01-01' });
    expect(bad.statusCode).toBe(422);
  });

  it('runs as a leased job: one process per due time', async () => {
    const job = t.app.jobs.find((j) => j.name === 'points-expiry')!;
    const later = () => new Date(Date.now() + 2 * 86_400_000);
    // First sight records the next due time (00:15 in Shanghai); two days on it is due, for one holder.
    expect((await runIfDue(t.db.kysely, job, 'a', () => new Date())).ran).toBe(false);
    expect(await runIfDue(t.db.kysely, job, 'a', later)).toMatchObject({
      ran: true,
      result: expect.objectContaining({ entries: 0 }),
    });
    expect((await runIfDue(t.db.kysely, job, 'b', later)).ran).toBe(false);
  });
});
