import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, idNumber, openJourney, screenshot, type Server, watchPage } from './harness.js';

type Locale = 'zh-CN' | 'en';
type Tree = { [key: string]: string | Tree };
const market = (locale: Locale) =>
  (
    JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, `../apps/web/src/features/market/locales/${locale}.json`), 'utf8'),
    ) as { market: Tree }
  ).market;

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

/** The test id of the focused element or its nearest ancestor carrying one. */
const focused = (page: Page) =>
  page.evaluate<string | null>("document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null");

/** A receipt the page opened in a new tab: a PDF, fetched with the signed-in user's cookies. */
async function openedPdf(page: Page, click: () => Promise<void>) {
  const [popup] = await Promise.all([page.context().waitForEvent('page'), click()]);
  const url = popup.url() === 'about:blank' ? (await popup.waitForURL(/receipt/), popup.url()) : popup.url();
  expect(url).toMatch(/\/api\/(donations|checkouts)\/\d+\/receipt$/);
  const res = await page.context().request.get(url);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await popup.close();
}

// A volunteer records a donation, then serves a household at the till with the keyboard alone
// (as a barcode scanner types: digits and Enter) and prints the receipt. Once per language.
describe.each<[Locale, number]>([
  ['zh-CN', 1],
  ['en', 2],
])('the charity supermarket (%s)', (locale, n) => {
  const M = market(locale);
  const till = M.till as Tree;
  const staff = { username: `market.staff.${n}`, password: 'Market-Staff-2026!' };
  const volunteer = { username: `market.volunteer.${n}`, password: 'Market-Volunteer-26!' };
  const rice = `69012345${String(n).padStart(4, '0')}`;
  const riceCode = rice + String((10 - ([...rice].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0) % 10)) % 10);

  it('records a donation and serves a household at the till by keyboard alone', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const districtCode = `3102${80 + n}`;
    const district = await post<{ id: number }>(admin, csrf, '/api/jurisdictions', {
      name: locale === 'en' ? `Market District ${n}` : `超市区${n}`,
      level: 'district',
      parentId: city.id,
      code: districtCode,
    });
    const sub = await post<{ id: number }>(admin, csrf, '/api/jurisdictions', {
      name: locale === 'en' ? `Market Subdistrict ${n}` : `超市街道${n}`,
      level: 'subdistrict',
      parentId: district.id,
      code: `${districtCode}001`,
    });
    for (const [who, role] of [
      [staff, 'center_staff'],
      [volunteer, 'volunteer'],
    ] as const)
      await post(admin, csrf, '/api/users', { ...who, displayName: who.username, role, jurisdictionId: sub.id });
    if (n === 1)
      await post(admin, csrf, '/api/entitlement-programs', {
        name: '低保月度积分',
        period: 'month',
        pointsByCategory: { subsistence_allowance: 200 },
      });
    // The center's staff sets the scene: a store, the catalogue, a verified household with points.
    const s = await request.newContext({ baseURL: server.url });
    const login = await s.post('/api/auth/login', { data: { username: staff.username, password: staff.password } });
    const token = ((await login.json()) as { csrfToken: string }).csrfToken;
    await post(s, token, '/api/stores', {
      name: locale === 'en' ? 'Harbour Charity Shop' : '江边慈善超市',
      jurisdictionId: sub.id,
    });
    const riceItem = await post<{ id: number }>(s, token, '/api/items', {
      name: locale === 'en' ? `Rice 5 kg (${n})` : `大米5公斤（${n}）`,
      unit: locale === 'en' ? 'bag' : '袋',
      pointsPrice: 30,
      category: locale === 'en' ? 'Grain' : '粮油',
      barcode: riceCode,
    });
    const household = await post<{ id: number }>(s, token, '/api/households', {
      headName: locale === 'en' ? 'Zhou Guilan' : '周桂兰',
      idNumber: idNumber(`3101011950010100${n}`),
      category: 'subsistence_allowance',
      jurisdictionId: sub.id,
    });
    await post(s, token, `/api/households/${household.id}/verify`, { note: '低保证已核' });
    await post(s, token, '/api/points/grants', { householdId: household.id, points: 100, reason: '本月积分' });
    const card = ((await (await s.get(`/api/households/${household.id}`)).json()) as { cardNumber: string }).cardNumber;
    await s.dispose();

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    if (locale === 'en') await page.getByTestId('language-switch').getByText('English').click();
    await fillSignIn(page, volunteer.username, volunteer.password);

    // 1. A donation: a company's rice, scanned in.
    await page.getByTestId('nav-market').click();
    await page.getByRole('tab', { name: (M.tabs as Tree).donations as string }).click();
    await page.getByTestId('donor-name').fill(locale === 'en' ? 'Harbour Grain Co.' : '江边粮油公司');
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('donation-scan').fill(riceCode);
      await page.getByTestId('donation-scan').press('Enter');
    }
    // Three scans of one code are one line of 3; then the volunteer types the real count.
    await expect.poll(() => page.getByTestId('donation-quantity').first().inputValue()).toBe('3');
    await page.getByTestId('donation-quantity').first().fill('12');
    await page.getByTestId('donation-amount').fill('500.50');
    await page.getByTestId('donation-submit').click();
    await expect.poll(() => page.getByTestId('donation-done').isVisible()).toBe(true);
    await screenshot(page, `market-${locale}-1-donation`);
    await openedPdf(page, () => page.getByTestId('donation-print').click());

    // 2. The till, by keyboard alone: card number + Enter, two scans, Enter, Enter, Enter.
    await page.goto(`${server.url}/market/till`);
    await expect.poll(() => focused(page), { timeout: 10_000 }).toBe('till-find');
    await page.keyboard.type(card);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('till-scan');
    await expect.poll(() => page.getByTestId('till-points').textContent()).toBe('100');
    for (let i = 0; i < 2; i++) {
      await page.keyboard.type(riceCode, { delay: 5 });
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.getByTestId('till-total').textContent()).toContain('60');
    await page.keyboard.press('Enter');
    await page.getByTestId('till-confirm').waitFor();
    await screenshot(page, `market-${locale}-2-confirm`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('till-done').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('till-points').textContent()).toBe('40');
    await expect.poll(() => focused(page)).toBe('till-print');
    await screenshot(page, `market-${locale}-3-done`);
    await openedPdf(page, () => page.keyboard.press('Enter'));
    expect(await page.getByTestId('till-done').textContent()).toContain((till.done as string).split('{{')[0]!.trim());

    // The ledger moved: 12 donated, 2 redeemed.
    const api = page.context().request;
    const [store] = ((await (await api.get(`${server.url}/api/stores`)).json()) as { items: { id: number }[] }).items;
    const stock = (await (await api.get(`${server.url}/api/stores/${store!.id}/stock`)).json()) as {
      items: { itemId: number; onHand: number }[];
    };
    expect(stock.items.find((i) => i.itemId === riceItem.id)?.onHand).toBe(10);
    // 3. The supermarket's report shows the sale and the household served.
    await page.goto(`${server.url}/market`);
    await page.getByRole('tab', { name: (M.tabs as Tree).report as string }).click();
    const sales = page.locator('.ant-statistic', { hasText: (M.report as Tree).sales as string });
    await expect.poll(() => sales.locator('.ant-statistic-content').textContent()).toBe('1');
    await page.waitForTimeout(500);
    await screenshot(page, `market-${locale}-4-report`);

    expect(watch.problems).toEqual([]);
    await context.close();

    // 4. The center's staff buys 5 bags in by mistake and reverses the entry: stock is back to 10.
    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale });
    const staffPage = await staffContext.newPage();
    const staffWatch = watchPage(staffPage);
    await staffPage.goto(`${server.url}/login`);
    if (locale === 'en') await staffPage.getByTestId('language-switch').getByText('English').click();
    await fillSignIn(staffPage, staff.username, staff.password);
    await staffPage.getByTestId('nav-market').click();
    const ops = M.ops as Tree;
    await staffPage.getByTestId('ops-item').click();
    await staffPage.keyboard.type(locale === 'en' ? 'Rice' : '大米');
    await staffPage.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await staffPage.getByTestId('ops-quantity').fill('5');
    const bought = locale === 'en' ? 'Bought from the grain shop' : '粮油店采购';
    await staffPage.getByTestId('ops-reason').fill(bought);
    await staffPage.getByTestId('ops-submit').click();
    const row = staffPage.getByTestId('ops-ledger').locator('tr', { hasText: bought });
    await row.getByTestId('ops-reverse').click();
    await staffPage.locator('.ant-popconfirm:visible .ant-btn-primary').click();
    await row.getByText(ops.reversed as string, { exact: true }).waitFor();
    await screenshot(staffPage, `market-${locale}-5-stock`);
    const after = (await (
      await staffPage.context().request.get(`${server.url}/api/stores/${store!.id}/stock`)
    ).json()) as {
      items: { itemId: number; onHand: number }[];
    };
    expect(after.items.find((i) => i.itemId === riceItem.id)?.onHand).toBe(10);

    // 5. The household brings one bag back: the staff finds the sale by its receipt number, enters
    // 1 and a reason; the bag is back on the shelf and its 30 points back on the card.
    const staffApi = staffPage.context().request;
    const [sale] = (
      (await (await staffApi.get(`${server.url}/api/checkouts?limit=1`)).json()) as {
        items: { receiptNo: string }[];
      }
    ).items;
    await staffPage.getByRole('tab', { name: (M.tabs as Tree).sales as string }).click();
    // antd puts a test id on the input itself or on its wrapper: take the input either way.
    const input = (testId: string) => staffPage.getByTestId(testId).locator('xpath=descendant-or-self::input').first();
    await input('sale-receipt').fill(sale!.receiptNo);
    await staffPage.keyboard.press('Enter');
    await input(`return-qty-${riceItem.id}`).fill('1');
    await staffPage.getByTestId('return-reason').fill(locale === 'en' ? 'Bag torn' : '包装破损');
    await staffPage.getByTestId('return-submit').click();
    await staffPage.getByTestId('return-done').waitFor();
    expect(await staffPage.locator('.ant-alert-error').count()).toBe(0);
    await screenshot(staffPage, `market-${locale}-6-return`);
    const back = (await (await staffApi.get(`${server.url}/api/stores/${store!.id}/stock`)).json()) as {
      items: { itemId: number; onHand: number }[];
    };
    expect(back.items.find((i) => i.itemId === riceItem.id)?.onHand).toBe(11);
    const points = (await (await staffApi.get(`${server.url}/api/households/${household.id}/balance`)).json()) as {
      points: number;
    };
    expect(points.points).toBe(70);
    expect(staffWatch.problems).toEqual([]);
    await staffContext.close();
  });
});
