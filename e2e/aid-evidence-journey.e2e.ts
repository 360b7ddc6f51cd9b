import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, idNumber, openJourney, screenshot, type Server, watchPage } from './harness.js';

const L = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../apps/web/src/features/households/locales/en.json'), 'utf8'),
) as { aidEvidence: Record<string, string> };

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

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

// Center staff attach the scan of a hospital bill to an aid application and download it back.
describe('aid evidence files', () => {
  it('uploads a scan from the aid list and downloads it as an attachment', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: 'South District',
      level: 'district',
      parentId: city.id,
      code: '310381',
    });
    const sub = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: 'River Subdistrict',
      level: 'subdistrict',
      parentId: district.id,
      code: '310381001',
    });
    const staff = { username: 'ae.staff', password: 'Harbour-Lights-42' };
    await adminPost('/api/users', { ...staff, displayName: 'Zhao Min', role: 'center_staff', jurisdictionId: sub.id });
    const household = await adminPost<{ id: number }>('/api/households', {
      headName: 'Sun Li',
      idNumber: idNumber('31010119560304001'),
      category: 'expenditure_hardship',
      jurisdictionId: sub.id,
    });
    await adminPost(`/api/households/${household.id}/verify`, {});
    const application = await adminPost<{ id: number }>('/api/aid-applications', {
      householdId: household.id,
      kind: 'medical',
      amountFen: 80_000,
      reason: 'Hospital stay',
      evidence: ['Hospital bill'],
    });

    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'en',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('language-switch').getByText('English').click();
    await fillSignIn(page, staff.username, staff.password);
    await page.getByTestId('nav-aid').click();
    await page.getByTestId('aid-table').locator('.ant-table-row-expand-icon').first().click();
    const panel = page.getByTestId(`aid-evidence-${application.id}`);
    await panel.getByText(L.aidEvidence.empty!).waitFor();
    await panel
      .locator('input[type="file"]')
      .setInputFiles({ name: 'hospital bill.png', mimeType: 'image/png', buffer: PNG });
    await panel.getByText('hospital bill.png').waitFor();
    const link = panel.locator('[data-testid^="aid-evidence-download-"]').first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('hospital bill.png');
    const file = await download.path();
    expect(readFileSync(file).equals(PNG)).toBe(true);
    await screenshot(page, 'aid-evidence');
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
