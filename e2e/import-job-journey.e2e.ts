import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, launchBrowser, screenshot, startServer, watchPage, type Server } from './harness.js';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid civil-affairs USCC issued in `region`, numbered `n`. */
function uscc(region: string, n: number): string {
  const body = `51${region}${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(body[i]!) * (3 ** i % 31);
  return body + CHARS[(31 - (sum % 31)) % 31];
}

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

describe('bureau sync in the background', () => {
  it('uploads a file as a background job, follows its progress bar, and shows the summary and rejected rows', async () => {
    const rows = Array.from(
      { length: 4_500 },
      (_, i) =>
        `${uscc('310101', 20_000 + i)},后台导入第${i}社区协会,社会团体,张${i},2020-03-05,正常,市民政局,某路${i}号,`,
    );
    rows.push('51310101MJ000000XX,坏行,社会团体,李四,2020-01-01,存在,,,');
    const file = [
      'uscc,name,kind,legal_representative,registered_on,status,authority,address,jurisdiction_code',
      ...rows,
    ]
      .join('\r\n')
      .concat('\r\n');

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-registry-sync').click();

    await page.getByTestId('sync-import-background').click();
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'bureau.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByTestId('sync-job-progress').waitFor();
    await page.locator('[data-testid="sync-job"][data-status="done"]').waitFor({ timeout: 120_000 });
    const summary = page.getByTestId('sync-import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('4,500');
    await page.getByTestId('sync-rejected-table').getByText('4502').waitFor();
    await screenshot(page, 'import-job-zh-CN-done');
    // The list of background imports has it, finished; opened, it shows the same summary.
    const jobs = page.getByTestId('sync-jobs');
    await expect.poll(() => jobs.textContent(), { timeout: 15_000 }).toMatch(/bureau\.csv.*已完成/);
    await jobs.locator('.ant-table-row-expand-icon').first().click();
    await jobs.getByTestId('sync-rejected-table').getByText('4502').waitFor();
    expect(await jobs.getByTestId('sync-import-summary').textContent()).toContain('4,500');
    expect(watch.problems).toEqual([]);
    await context.close();
  }, 180_000);
});
