import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request, type APIRequestContext, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, openJourney, screenshot, type Server, watchPage } from './harness.js';

type Tree = { [key: string]: string | Tree };
const M = (
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../apps/web/src/features/market/locales/zh-CN.json'), 'utf8'),
  ) as { market: Tree }
).market;
const L = M.lots as Tree;

let server: Server;
let browser: Browser;
let admin: APIRequestContext;
let csrf: string;
beforeAll(async () => ({ server, browser, admin, csrf } = await openJourney()));
afterAll(() => closeJourney({ server, browser, admin }));

async function post<T>(ctx: APIRequestContext, token: string, url: string, data: unknown): Promise<T> {
  const res = await ctx.post(url, { data, headers: { 'x-csrf-token': token } });
  if (res.status() >= 300) throw new Error(`${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The Asia/Shanghai date `days` from now. */
function shanghaiDay(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

// Lots with expiry dates (ADR 0016): center staff receive milk that tracks expiry with its date,
// see the lot among those expiring soon on the report, and write it off with a reason.
describe('lots with expiry dates', () => {
  it('receives a tracked item with its expiry date, shows it expiring soon, and writes it off', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await post<{ id: number }>(admin, csrf, '/api/jurisdictions', {
      name: '批次区',
      level: 'district',
      parentId: city.id,
      code: '310291',
    });
    const sub = await post<{ id: number }>(admin, csrf, '/api/jurisdictions', {
      name: '批次街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310291001',
    });
    const staff = { username: 'lots.staff', password: 'Lots-Staff-2026!x' };
    await post(admin, csrf, '/api/users', {
      ...staff,
      displayName: '批次管理员',
      role: 'center_staff',
      jurisdictionId: sub.id,
    });
    const s = await request.newContext({ baseURL: server.url });
    const login = await s.post('/api/auth/login', { data: staff });
    const token = ((await login.json()) as { csrfToken: string }).csrfToken;
    await post(s, token, '/api/stores', { name: '批次慈善超市', jurisdictionId: sub.id });
    await post(s, token, '/api/items', {
      name: '纯牛奶',
      unit: '箱',
      pointsPrice: 20,
      category: '食品',
      barcode: '6901234567892',
      tracksExpiry: true,
    });
    await s.dispose();

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await fillSignIn(page, staff.username, staff.password);

    // 1. A donation of the milk, scanned in: the line asks for the expiry date, and refuses without it.
    await page.getByTestId('nav-market').click();
    await page.getByRole('tab', { name: (M.tabs as Tree).donations as string }).click();
    await page.getByTestId('donation-scan').fill('6901234567892');
    await page.getByTestId('donation-scan').press('Enter');
    await expect.poll(() => page.getByTestId('lot-code').count()).toBe(1);
    await page.getByTestId('donation-submit').click();
    await expect.poll(() => page.getByText(L.expiryRequired as string).count()).toBeGreaterThan(0);
    await screenshot(page, 'lots-zh-CN-0-expiry-required');
    await page.getByTestId('donation-quantity').first().fill('6');
    await page.getByTestId('lot-code').fill('L2026-08');
    // The date typed as printed on the box; Enter takes it and sends the form, as anywhere else.
    const expiresOn = shanghaiDay(10);
    const date = page.locator('[data-testid="lot-expires-on"] input, input[data-testid="lot-expires-on"]').first();
    await date.click();
    await date.fill(expiresOn);
    await date.press('Enter');
    await expect.poll(() => page.getByTestId('donation-done').isVisible()).toBe(true);

    // 2. The report's "lots expiring soon" lists it, ten days left.
    await page.getByRole('tab', { name: (M.tabs as Tree).report as string }).click();
    const soon = page.getByTestId('expiring-soon');
    await expect.poll(() => soon.textContent()).toContain('L2026-08');
    expect(await soon.textContent()).toContain(expiresOn);
    expect(await soon.textContent()).toContain('剩 10 天');
    await screenshot(page, 'lots-zh-CN-1-expiring-soon');

    // 3. The lots tab: write the lot off (a reason is required), and it is gone.
    await page.getByRole('tab', { name: L.tab as string }).click();
    await expect.poll(() => page.getByTestId('lots-table').textContent()).toContain('L2026-08');
    await page.getByTestId('lot-write-off').click();
    await page.getByTestId('lot-write-off-reason').fill('');
    await page.getByTestId('lot-write-off-submit').click();
    await expect.poll(() => page.getByText(L.reasonRequired as string).count()).toBeGreaterThan(0);
    await page.getByTestId('lot-write-off-reason').fill('包装破损');
    await page.getByTestId('lot-write-off-submit').click();
    await expect.poll(() => page.getByTestId('lots-table').textContent()).not.toContain('L2026-08');
    await expect.poll(() => page.getByTestId('lot-write-off-submit').isVisible()).toBe(false);
    await screenshot(page, 'lots-zh-CN-2-written-off');

    // The ledger has the write-off of that lot, with its reason.
    const ledger = await page.context().request.get(`${server.url}/api/stores/1/movements`);
    const movements = (
      (await ledger.json()) as {
        items: { kind: string; quantity: number; reason: string | null; expiresOn: string | null }[];
      }
    ).items;
    expect(movements[0]).toMatchObject({ kind: 'write_off', quantity: -6, reason: '包装破损', expiresOn });
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
