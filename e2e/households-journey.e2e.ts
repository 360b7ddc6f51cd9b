import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, idNumber, openJourney, screenshot, type Server, watchPage } from './harness.js';

type Locale = 'zh-CN' | 'en';
type Messages = Record<string, Record<string, string>>;
const featureText = (locale: Locale) =>
  JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, `../apps/web/src/features/households/locales/${locale}.json`),
      'utf8',
    ),
  ) as Messages;

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

async function settledScreenshot(page: Page, name: string) {
  await page.locator('.ant-spin-spinning, .ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
  await screenshot(page, name);
}

// Center staff enter a household in hardship, verify it, print its card with the barcode the till
// scans, look at the ID number for a stated reason, and grant it aid — once per language.
describe.each<[Locale, string]>([
  ['zh-CN', '张桂英'],
  ['en', 'Zhang Guiying'],
])('a household in hardship, from entry to card and aid (%s)', (locale, headName) => {
  const L = featureText(locale);
  const n = locale === 'en' ? 2 : 1;
  const staff = { username: `hh.staff.${n}`, password: 'Harbour-Lights-42' };
  const id = idNumber(`3101011956030400${n}`);

  it('enters, verifies, prints the card, reveals with a reason and applies for aid', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const code = `3102${60 + n}`;
    const district = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: locale === 'en' ? 'East District' : '东区',
      level: 'district',
      parentId: city.id,
      code,
    });
    const subdistrict = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: locale === 'en' ? 'Garden Subdistrict' : '花园街道',
      level: 'subdistrict',
      parentId: district.id,
      code: `${code}00${n}`,
    });
    await adminPost('/api/users', {
      ...staff,
      displayName: locale === 'en' ? 'Li Wei' : '李伟',
      role: 'center_staff',
      jurisdictionId: subdistrict.id,
    });

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    if (locale === 'en') await page.getByTestId('language-switch').getByText('English').click();
    await page.getByTestId('login-username').fill(staff.username);
    await page.getByTestId('login-password').fill(staff.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('nav-households').click();

    // Entering, by keyboard: name, ID number, category (typed into the select), phone; the subdistrict is the staff's own.
    await page.getByTestId('household-create').click();
    await page.getByTestId('household-head-name').fill(headName);
    await page.keyboard.press('Tab');
    await page.keyboard.type(id);
    await page.keyboard.press('Tab');
    const category = L.hardshipCategories!.subsistence_allowance!;
    await page.keyboard.type(category.slice(0, 2));
    // The select filters as one types; Enter picks the active option once it shows (not before, under load).
    await page.locator('.ant-select-item-option-active').filter({ hasText: category }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('household-phone').fill(`1391234560${n}`);
    await page.waitForTimeout(400);
    await screenshot(page, `households-${locale}-1-enter`);
    await page.getByTestId('household-create-submit').click();

    // The detail: masked, not yet able to redeem.
    await page.getByTestId('household-summary').waitFor();
    const householdId = Number(page.url().match(/households\/(\d+)/)![1]);
    await expect
      .poll(() => page.getByTestId('household-id').textContent())
      .toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    await page.getByTestId('household-block').waitFor();

    // Verified with the evidence seen: a card number is issued and the block goes.
    await page.getByTestId('household-verify').click();
    await page
      .getByTestId('household-verify-note')
      .fill(locale === 'en' ? 'Allowance certificate 2026-0012' : '低保证 2026-0012');
    await page.getByTestId('household-verify-submit').click();
    await page.getByTestId('household-block').waitFor({ state: 'detached' });
    const card = (await page.getByTestId('household-card-number').textContent())!;
    expect(card).toMatch(/^\d{10}$/);
    await settledScreenshot(page, `households-${locale}-2-verified`);

    // Revealing asks why; the full number shows.
    await page.getByTestId('household-reveal').click();
    await page
      .getByTestId('household-reveal-reason')
      .fill(locale === 'en' ? 'Checking identity for aid' : '办理救助核对身份');
    await page.getByTestId('household-reveal-submit').click();
    await expect.poll(() => page.getByTestId('household-id').textContent()).toBe(id);

    // Aid: a small medical grant, approved by the center in one step.
    await page.getByRole('tab', { name: L.households!.tabAid! }).click();
    await page.getByTestId('aid-apply').click();
    await page.getByTestId('aid-amount').fill('800.50');
    await page.getByTestId('aid-reason').fill(locale === 'en' ? 'Hospital co-payment' : '住院自付费用');
    await page
      .getByTestId('aid-evidence')
      .fill(locale === 'en' ? 'Discharge summary, 2026-10-02' : '出院小结 2026-10-02');
    await page.getByTestId('aid-apply-submit').click();
    await page.getByTestId('aid-table').getByText('¥800.50').first().waitFor();
    await page.locator('[data-testid^="aid-approve-"]').first().click();
    await page.getByTestId('aid-table').getByText(L.aidStatuses!.approved!).waitFor();
    await settledScreenshot(page, `households-${locale}-3-aid`);

    // The card: a Code 128 barcode of the card number, ready to print.
    await page.getByTestId('household-card-link').click();
    await page.getByTestId('household-card').waitFor();
    const bars = await page.locator('[data-testid="card-barcode"] rect').count();
    expect(bars).toBeGreaterThan(20);
    await expect.poll(() => page.getByTestId('household-card').textContent()).toContain(card);
    await settledScreenshot(page, `households-${locale}-4-card`);

    // Searching the list by the full ID number finds the household, which the list shows masked.
    await page.getByTestId('nav-households').click();
    await page.getByTestId('households-search').locator('input').fill(id);
    await page.keyboard.press('Enter');
    await page.getByTestId('households-table').getByText(headName).waitFor();
    expect(await page.getByTestId('households-table').textContent()).not.toContain(id);

    // The household's head volunteers at the till: registered, hours logged and approved into points.
    await page.getByTestId('nav-volunteers').click();
    await page.getByTestId('volunteer-create').click();
    await page.getByTestId('volunteer-name').fill(headName);
    await page.getByTestId('volunteer-household').locator('input').fill(id);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('volunteer-submit').click();
    await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
    await page.getByTestId('hours-log').click();
    await page.locator('.ant-modal-wrap:visible .ant-select').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: headName }).first().click();
    await page.locator('.ant-modal-wrap:visible input.ant-input-number-input').fill('2');
    await page.getByTestId('hours-submit').click();
    await page.getByRole('tab', { name: L.volunteers!.tabHours! }).click();
    await page.locator('[data-testid^="hours-approve-"]').first().click();
    await page.locator('[data-testid^="hours-approve-"]').first().waitFor({ state: 'detached' });
    // Two hours at the default rate of 10 points an hour, credited to the household's ledger too.
    await page.getByRole('tab', { name: L.volunteers!.tabVolunteers! }).click();
    const row = page.getByTestId('volunteers-table').locator('tr', { hasText: headName });
    await expect.poll(() => row.textContent()).toContain('20');
    await settledScreenshot(page, `households-${locale}-5-volunteers`);
    const balance = await admin.get(`/api/households/${householdId}/balance`);
    expect(await balance.json()).toEqual({ points: 20, nextExpiry: null });

    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
