/**
 * Times the till in process (no HTTP sockets): `app.inject` sales, one at a time and 16 in flight,
 * on a SQLite file (WAL, as in production) or a PostgreSQL database of its own. For profiles:
 *
 *   npx tsx bench/till/profile-till.ts --sales 5000
 *   node --cpu-prof --cpu-prof-dir=bench/.data/prof --import tsx bench/till/profile-till.ts --sales 5000
 *   QIAO_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/till/profile-till.ts
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { buildApp } from '../../apps/server/src/app.js';
import { withModuleBench } from '../module-db.js';

const { values } = parseArgs({
  options: {
    sales: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    /** SQLite: time spent in each statement, summed over the run. */
    statements: { type: 'boolean', default: false },
  },
});
const spent = new Map<string, { n: number; ms: number }>();
if (values.statements) {
  const probe = new BetterSqlite3(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'all', 'get'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...a: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, a);
      } finally {
        const s = spent.get(this.source) ?? { n: 0, ms: 0 };
        s.n += 1;
        s.ms += performance.now() - t;
        spent.set(this.source, s);
      }
    };
  }
}
const sales = Number(values.sales);
const concurrency = Number(values.concurrency);
const PASSWORD = 'Bench-Till-Pass-2026!';

await withModuleBench('till', async ({ config, db, subdistricts }) => {
  const app = await buildApp({ config: { ...config, mfaRoles: [] }, db, logger: false });
  await app.ready();
  const call = async (method: 'GET' | 'POST', url: string, body: unknown, auth?: { cookie: string; csrf: string }) => {
    const res = await app.inject({
      method,
      url,
      headers: auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrf } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const signIn = async (username: string, password: string) => {
    const res = await call('POST', '/api/auth/login', { username, password });
    const set = res.cookies.find((c) => c.name === 'qiao_session')!;
    return { cookie: `qiao_session=${set.value}`, csrf: res.json().csrfToken as string };
  };
  const admin = await signIn(
    config.adminUsername ?? 'admin',
    process.env.QIAO_ADMIN_PASSWORD ?? 'Qiao-Bench-till-2026!',
  );
  const sub = subdistricts[0]!;
  await call(
    'POST',
    '/api/users',
    {
      username: 'till.staff',
      password: PASSWORD,
      displayName: '收银员',
      role: 'center_staff',
      jurisdictionId: sub.id,
    },
    admin,
  );
  const staff = await signIn('till.staff', PASSWORD);
  await call(
    'POST',
    '/api/entitlement-programs',
    {
      name: '月度积分',
      period: 'month',
      pointsByCategory: { subsistence_allowance: 1000 },
    },
    admin,
  );
  const storeId = (await call('POST', '/api/stores', { name: '慈善超市', jurisdictionId: sub.id }, staff)).json().id;
  const items: number[] = [];
  for (let i = 0; i < 6; i++)
    items.push(
      (
        await call('POST', '/api/items', { name: `商品${i}`, unit: '件', pointsPrice: i + 1, category: '日用' }, staff)
      ).json().id,
    );
  await call(
    'POST',
    '/api/donations',
    { storeId, lines: items.map((itemId) => ({ itemId, quantity: 100_000 })) },
    staff,
  );
  const households: number[] = [];
  for (let n = 0; n < 50; n++) {
    const body = `31010119800101${String(n).padStart(3, '0')}`;
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const idNumber = body + '10X98765432'[weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11];
    const h = (
      await call(
        'POST',
        '/api/households',
        { headName: `户${n}`, idNumber, category: 'subsistence_allowance', jurisdictionId: sub.id },
        staff,
      )
    ).json().id;
    await call('POST', `/api/households/${h}/verify`, {}, staff);
    await call('POST', '/api/points/grants', { householdId: h, points: 1_000_000, reason: '压测' }, staff);
    households.push(h);
  }
  let n = 0;
  const sale = async () => {
    const i = n++;
    await app
      .inject({
        method: 'POST',
        url: '/api/checkouts',
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'idempotency-key': randomUUID() },
        payload: {
          storeId,
          householdId: households[i % households.length]!,
          lines: [
            { itemId: items[i % items.length]!, quantity: 1 },
            { itemId: items[(i + 1) % items.length]!, quantity: 2 },
          ],
        },
      })
      .then((res) => {
        if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`sale: ${res.statusCode} ${res.body}`);
      });
  };
  for (let i = 0; i < 200; i++) await sale(); // warm-up
  // Wall time depends on what else the machine runs; the process's CPU time a sale much less so.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = performance.now();
  let c = cpu();
  for (let i = 0; i < sales; i++) await sale();
  const one = (performance.now() - t) / sales;
  const oneCpu = (cpu() - c) / sales;
  t = performance.now();
  c = cpu();
  const workers = Array.from({ length: concurrency }, async () => {
    while (n < 200 + 2 * sales) await sale();
  });
  await Promise.all(workers);
  const many = (performance.now() - t) / sales;
  const manyCpu = (cpu() - c) / sales;
  console.log(
    `${db.engine}: one at a time ${one.toFixed(3)} ms a sale (CPU ${oneCpu.toFixed(3)} ms); ` +
      `${concurrency} in flight ${many.toFixed(3)} ms a sale (CPU ${manyCpu.toFixed(3)} ms); load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  if (values.statements) {
    const top = [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [text, { n, ms }] of top)
      console.log(
        `${ms.toFixed(0).padStart(7)} ms ${String(n).padStart(7)}× ${((ms / n) * 1000).toFixed(0).padStart(5)} µs  ${text.slice(0, 150)}`,
      );
  }
  await app.close();
});
