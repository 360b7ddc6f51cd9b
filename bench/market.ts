import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { isValidIdNumber } from '@qiao/contracts';
import type { Config } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/database.js';
import { BENCH_PASSWORD } from './generate.js';
import type { Target } from './load.js';

// The supermarket's checkout scenario (issue 4): a store with deep stock, households verified and
// granted points through the app's own API, then sales at 16 connections — each with a fresh
// Idempotency-Key — beside a bare route running one insert-and-balance transaction on the driver.

const HOUSEHOLDS = 200;
const ITEMS = 6;

export interface MarketSetup {
  storeId: number;
  households: number[];
  items: number[];
  /** The center staff's session cookie and CSRF token (writes need both). */
  cookie: string;
  csrf: string;
}

async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; cookie?: string; csrf?: string } = {},
) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'POST'} ${path} answered ${res.status}: ${text}`);
  return { json: JSON.parse(text || 'null'), res };
}

async function signIn(base: string, username: string) {
  const { json, res } = await call(base, '/api/auth/login', { body: { username, password: BENCH_PASSWORD } });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('qiao_session='))!
    .split(';')[0]!;
  return { cookie, csrf: json.csrfToken as string };
}

/** A valid GB 11643 number for the `n`-th bench household. */
function idNumber(n: number): string {
  const body = `310101198001${String(Math.floor(n / 1000) + 1).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const id = body + '10X98765432'[weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11];
  if (!isValidIdNumber(id)) throw new Error(`bad generated id ${id}`);
  return id;
}

/** Builds the supermarket through the app's API, as a city admin and a center's staff of the generated city. */
export async function seedMarket(base: string, config: Config): Promise<MarketSetup> {
  const db = openDatabase(config.database);
  const [admin, staff] = await Promise.all([
    db.kysely
      .selectFrom('users')
      .select('username')
      .where('role', '=', 'city_admin')
      .where('username', '!=', 'admin')
      .orderBy('id')
      .executeTakeFirstOrThrow(),
    db.kysely
      .selectFrom('users')
      .select(['username', 'jurisdiction_id'])
      .where('role', '=', 'center_staff')
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirstOrThrow(),
  ]).finally(() => db.close());
  const city = await signIn(base, admin.username);
  await call(base, '/api/entitlement-programs', {
    ...city,
    body: { name: '压测低保月度积分', period: 'month', pointsByCategory: { subsistence_allowance: 1000 } },
  });
  const s = await signIn(base, staff.username);
  const storeId = (
    await call(base, '/api/stores', { ...s, body: { name: '压测慈善超市', jurisdictionId: staff.jurisdiction_id } })
  ).json.id;
  const items: number[] = [];
  for (let i = 0; i < ITEMS; i++)
    items.push(
      (
        await call(base, '/api/items', {
          ...s,
          body: { name: `压测商品${i + 1}`, unit: '件', pointsPrice: 1 + i, category: '日用' },
        })
      ).json.id,
    );
  // 500,000 units of each item, in donations of at most 100,000 a line.
  for (let d = 0; d < 5; d++)
    await call(base, '/api/donations', {
      ...s,
      body: { storeId, lines: items.map((itemId) => ({ itemId, quantity: 100_000 })) },
    });
  const households: number[] = [];
  for (let n = 0; n < HOUSEHOLDS; n++) {
    const h = (
      await call(base, '/api/households', {
        ...s,
        body: {
          headName: `压测户${n}`,
          idNumber: idNumber(n),
          category: 'subsistence_allowance',
          jurisdictionId: staff.jurisdiction_id,
        },
      })
    ).json.id as number;
    await call(base, `/api/households/${h}/verify`, { ...s, body: {} });
    await call(base, '/api/points/grants', { ...s, body: { householdId: h, points: 1_000_000, reason: '压测' } });
    households.push(h);
  }
  return { storeId, households, items, ...s };
}

/** Each request a different household and pair of items; the app side with a fresh Idempotency-Key. */
function rotatingSale(m: MarketSetup): () => string {
  let n = 0;
  return () => {
    const i = n++;
    const a = m.items[i % m.items.length]!;
    const b = m.items[(i + 1) % m.items.length]!;
    return JSON.stringify({
      storeId: m.storeId,
      householdId: m.households[i % m.households.length]!,
      lines: [
        { itemId: a, quantity: 1 },
        { itemId: b, quantity: 2 },
      ],
    });
  };
}

export function checkoutTargets(app: string, baseline: string, m: MarketSetup): { app: Target; baseline: Target } {
  return {
    app: {
      url: `${app}/api/checkouts`,
      method: 'POST',
      headers: { cookie: m.cookie, 'x-csrf-token': m.csrf },
      freshHeaders: () => ({ 'idempotency-key': randomUUID() }),
      body: rotatingSale(m),
    },
    baseline: { url: `${baseline}/checkout`, method: 'POST', body: rotatingSale(m) },
  };
}

/**
 * After the load: for every store/item the movements add up to on-hand, for every household the
 * points entries add up to its balance, nothing is negative, every sale's movements and points
 * entry match its lines, and the store's redemption receipt numbers run 1..n without a gap.
 */
export async function checkMarketInvariants(
  config: Config,
  storeId: number,
): Promise<{ violations: string[]; sales: number }> {
  const db = openDatabase(config.database);
  const k = db.kysely;
  const violations: string[] = [];
  try {
    const stock = await sql<{ n: number }>`
      select count(*) as n from stock_balances b
      where b.on_hand < 0 or b.on_hand <> (select coalesce(sum(m.quantity), 0) from stock_movements m
        where m.store_id = b.store_id and m.item_id = b.item_id)`.execute(k);
    if (Number(stock.rows[0]!.n)) violations.push(`${stock.rows[0]!.n} stock balances differ from their movements`);
    const points = await sql<{ n: number }>`
      select count(*) as n from points_balances b
      where b.points < 0 or b.points <> (select coalesce(sum(e.points), 0) from points_entries e where e.household_id = b.household_id)`.execute(
      k,
    );
    if (Number(points.rows[0]!.n)) violations.push(`${points.rows[0]!.n} points balances differ from their entries`);
    const sales = await sql<{ n: number }>`
      select count(*) as n from checkouts c
      where (select coalesce(sum(l.quantity), 0) from checkout_lines l where l.checkout_id = c.id)
        <> -(select coalesce(sum(m.quantity), 0) from stock_movements m where m.reference = 'checkout:' || c.id)
        or c.points_spent <> -(select coalesce(sum(e.points), 0) from points_entries e where e.reference = 'checkout:' || c.id)`.execute(
      k,
    );
    if (Number(sales.rows[0]!.n))
      violations.push(`${sales.rows[0]!.n} sales whose movements or points differ from their lines`);
    const numbers = await k
      .selectFrom('checkouts')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('seq').as('max')])
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    if (Number(numbers.n) !== Number(numbers.max ?? 0))
      violations.push(`receipt numbers have gaps: ${numbers.n} sales, last number ${numbers.max}`);
    return { violations, sales: Number(numbers.n) };
  } finally {
    await db.close();
  }
}
