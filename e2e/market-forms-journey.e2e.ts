import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  closeJourney,
  fillSignIn,
  openJourney,
  screenshot,
  type Server,
  watchPage,
} from './harness.js';

type Tree = { [key: string]: string | Tree };
const M = (
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../apps/web/src/features/market/locales/zh-CN.json'), 'utf8'),
  ) as { market: Tree }
).market;
const text = (...keys: string[]) => keys.reduce<Tree | string>((n, k) => (n as Tree)[k]!, M) as string;

let server: Server;
let browser: Browser;
let admin: APIRequestContext;
let csrf: string;
beforeAll(async () => ({ server, browser, admin, csrf } = await openJourney()));
afterAll(() => closeJourney({ server, browser, admin }));

async function adminPost<T>(url: string, data: unknown): Promise<T> {
  const res = await admin.post(url, { data, headers: { 'x-csrf-token': csrf } });
  if (res.status() >= 300) throw new Error(`${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Picks an option of the antd Select with test id `testId` by typing and Enter, as a keyboard user does. */
async function choose(page: Page, testId: string, typed: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').waitFor();
  await page.keyboard.press('Enter');
  // The next pick opens its own list: wait until this one has closed (its fade-out keeps it visible).
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

// The supermarket's forms that the API had before the web did: a count sheet that posts its
// differences, a transfer refused line by line when short then sent, and a program with an item quota.
describe('stock-take, transfer and quotas in the browser', () => {
  it('counts, transfers and creates a program with a quota, showing server errors under their fields', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: '西区',
      level: 'district',
      parentId: city.id,
      code: '310371',
    });
    const sub = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: '枫林街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310371001',
    });
    const shop = await adminPost<{ id: number }>('/api/stores', { name: '枫林爱心超市', jurisdictionId: sub.id });
    await adminPost('/api/stores', { name: '枫林仓库', jurisdictionId: sub.id });
    const rice = await adminPost<{ id: number }>('/api/items', {
      name: '大米',
      unit: '袋',
      pointsPrice: 20,
      category: '粮油',
    });
    await adminPost('/api/donations', { storeId: shop.id, lines: [{ itemId: rice.id, quantity: 20 }] });

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await fillSignIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-market').click();
    await choose(page, 'store-select', '枫林爱心');

    // 1. The count sheet: 18 counted where 20 are on hand shows −2, and posting adjusts one item.
    const count = page.getByTestId(`stock-take-count-${rice.id}`);
    await count.fill('18');
    await expect.poll(() => page.getByTestId(`stock-take-diff-${rice.id}`).textContent()).toBe('-2');
    await page.getByTestId('stock-take-reason').fill('月度盘点');
    await page.getByTestId('stock-take-reason').press('Enter');
    await page.getByTestId('stock-take-result').waitFor();
    expect(await page.getByTestId('stock-take-result').textContent()).toContain('20 → 18');

    // 2. A transfer asking more than is on hand: refused, "only 18" under the quantity; then 5 go.
    await choose(page, 'transfer-to', '枫林仓库');
    await choose(page, 'transfer-item-0', '大米');
    await page.getByTestId('transfer-quantity-0').fill('100');
    await page.getByTestId('transfer-submit').click();
    const short = (text('transfer', 'short') as string).replace('{{onHand}}', '18');
    await page.getByTestId('transfer').getByText(short).waitFor();
    await page.getByTestId('transfer-quantity-0').fill('5');
    await page.getByTestId('transfer-submit').click();
    await page
      .getByTestId('transfer')
      .getByText((text('transfer', 'done') as string).replace('{{store}}', '枫林仓库'))
      .waitFor();
    const stock = (await (await admin.get(`/api/stores/${shop.id}/stock`)).json()) as {
      items: { itemId: number; onHand: number }[];
    };
    expect(stock.items.find((i) => i.itemId === rice.id)?.onHand).toBe(13);
    await screenshot(page, 'market-forms-stock');

    // 3. A program with a quota of 10 bags of rice a month and 4 visits.
    await page.getByRole('tab', { name: text('tabs', 'programs') }).click();
    await page.getByTestId('program-name').fill('低保月度');
    await page.getByTestId('program-points-subsistence_allowance').fill('200');
    await page.getByTestId('program-visit-limit').fill('4');
    await page.getByTestId('program-add-quota').click();
    await choose(page, 'program-quota-item-0', '大米');
    await page.getByTestId('program-quota-quantity-0').fill('10');
    await page.getByTestId('program-submit').click();
    await page.getByText('大米 ≤ 10').waitFor();
    const programs = (await (await admin.get('/api/entitlement-programs')).json()) as {
      items: { name: string; quotas: { itemId: number; quantity: number }[]; visitLimit: number | null }[];
    };
    expect(programs.items.find((p) => p.name === '低保月度')).toMatchObject({
      quotas: [{ itemId: rice.id, quantity: 10 }],
      visitLimit: 4,
    });
    await screenshot(page, 'market-forms-program');

    // The one refused request was the short transfer, on purpose.
    expect(watch.problems.filter((p) => !/HTTP 409 POST .*\/transfers$/.test(p))).toEqual([]);
    await context.close();
  });
});
