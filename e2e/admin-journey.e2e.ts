import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, launchBrowser, screenshot, startServer, watchPage, type Server } from './harness.js';

type Locale = 'zh-CN' | 'en';
const localeText = (locale: Locale) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../apps/web/src/locales/${locale}.json`), 'utf8'),
  ) as Record<string, Record<string, string>>;

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Picks an option in an Ant Design Select or TreeSelect the way a person does: type, then click it. */
async function choose(page: Page, testId: string, label: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(label);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown
    .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper', { hasText: label })
    .first()
    .click();
}

// The journey of the foundation issue, once per language: sign in, create a district and a
// subdistrict, create a staff account there, and find that action in the audit log.
describe.each<[Locale, string, string]>([
  ['zh-CN', '浦江区', '江边街道'],
  ['en', 'Riverside District', 'Harbour Subdistrict'],
])('a city administrator sets up the city (%s)', (locale, districtName, subdistrictName) => {
  const L = localeText(locale);
  const n = locale === 'en' ? 2 : 1;
  const districtCode = `3101${String(70 + n)}`;
  const subdistrictCode = `${districtCode}00${n}`;
  const username = `staff.e2e.${n}`;

  it('signs in, builds the tree, adds staff, and finds it in the audit log', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale });
    const page = await context.newPage();
    const watch = watchPage(page);

    await page.goto(`${server.url}/login`);
    if (locale === 'en') await page.getByTestId('language-switch').getByText('English').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await screenshot(page, `${locale}-1-login`);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-jurisdictions').waitFor();

    await page.getByTestId('nav-jurisdictions').click();
    await page.getByTestId('create-district').click();
    await page.getByTestId('jurisdiction-form-name').fill(districtName);
    await page.getByTestId('jurisdiction-form-code').fill(districtCode);
    await page.getByTestId('jurisdiction-form-submit').click();
    await page.getByTestId('jurisdiction-tree').getByText(districtName, { exact: true }).waitFor();

    await page.getByTestId('create-subdistrict').click();
    await choose(page, 'jurisdiction-form-parent', districtName);
    await page.getByTestId('jurisdiction-form-name').fill(subdistrictName);
    await page.getByTestId('jurisdiction-form-code').fill(subdistrictCode);
    await page.getByTestId('jurisdiction-form-submit').click();
    // The new subdistrict is selected and shown in the tree under its district.
    await page.getByTestId('jurisdiction-details').getByText(subdistrictCode).waitFor();
    await page.getByTestId('jurisdiction-tree').getByText(subdistrictName, { exact: true }).waitFor();
    await screenshot(page, `${locale}-2-jurisdictions`);

    await page.getByTestId('nav-users').click();
    await page.getByTestId('create-user').click();
    await page.getByTestId('user-form-username').fill(username);
    await page.getByTestId('user-form-display-name').fill(locale === 'en' ? 'Li Wei' : '李伟');
    await page.getByTestId('user-form-password').fill('Harbour-Lights-42');
    await choose(page, 'user-form-role', L.roles!.center_staff!);
    await choose(page, 'user-form-jurisdiction', subdistrictName);
    await screenshot(page, `${locale}-3-create-user`);
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('users-table').getByText(username, { exact: true }).waitFor();
    await screenshot(page, `${locale}-4-users`);

    await page.getByTestId('nav-audit').click();
    const table = page.getByTestId('audit-table');
    await table.getByText(L.auditActions!['user.create']!).first().waitFor();
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-chain-result').waitFor();
    await screenshot(page, `${locale}-5-audit`);
    const row = table.locator('tr', { hasText: L.auditActions!['user.create']! }).first();
    await row.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => table.textContent()).toContain(username);

    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
