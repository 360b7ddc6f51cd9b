import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, openJourney, screenshot, type Server, watchPage } from './harness.js';

let server: Server;
let browser: Browser;
let admin: APIRequestContext;
let csrf: string;
beforeAll(async () => ({ server, browser, admin, csrf } = await openJourney()));
afterAll(() => closeJourney({ server, browser, admin }));

async function adminWrite<T>(method: 'post' | 'patch', url: string, data: unknown): Promise<T> {
  const res = await admin[method](url, { data, headers: { 'x-csrf-token': csrf } });
  if (res.status() >= 300) throw new Error(`${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/login`);
  await fillSignIn(page, username, password);
}

// After approval the organization's officer keeps its profile: the address applies at once, the new
// name waits until the center staff approve it from their queue.
describe('an officer’s key-field change goes through review (zh-CN)', () => {
  it('saves the address at once, shows the pending name, and the staff approve it', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '临港区',
      level: 'district',
      parentId: city.id,
      code: '310192',
    });
    const sub = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '滨海街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310192001',
    });
    const org = await adminWrite<{ id: number }>('post', '/api/organizations', {
      kind: 'social_group',
      name: '滨海助老协会',
      uscc: '51310101MJ0000001A',
      jurisdictionId: sub.id,
    });
    await adminWrite('post', `/api/organizations/${org.id}/status`, { status: 'active', reason: '已登记' });
    const officer = { username: 'kr.officer', password: 'Sea-Side-Help-2026!' };
    const staff = { username: 'kr.staff', password: 'Sea-Side-Desk-2026!' };
    await adminWrite('post', '/api/users', {
      ...officer,
      displayName: '林专员',
      role: 'ngo_officer',
      jurisdictionId: sub.id,
      organizationId: org.id,
    });
    await adminWrite('post', '/api/users', {
      ...staff,
      displayName: '周敏',
      role: 'center_staff',
      jurisdictionId: sub.id,
    });

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page, officer.username, officer.password);
    await page.getByTestId('nav-organizations').waitFor();
    await page.goto(`${server.url}/organizations/${org.id}`);
    await page.getByTestId('org-edit').click();
    await page.getByTestId('org-form-review-hint').waitFor();
    await page.getByTestId('org-form-name').fill('滨海社区助老协会');
    await page.getByTestId('org-form-address').fill('滨海路8号');
    await page.getByTestId('org-form-submit').click();
    await page.getByTestId('change-request-pending').waitFor();
    await expect.poll(() => page.getByTestId('change-request-values').innerText()).toContain('滨海社区助老协会');
    await expect.poll(() => page.locator('main h3').first().innerText()).toContain('滨海助老协会');
    await expect.poll(() => page.getByText('滨海路8号').count()).toBeGreaterThan(0);
    await screenshot(page, 'keyreview-1-officer-pending');
    expect(watch.problems).toEqual([]);
    await context.close();

    const staffContext = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const staffPage = await staffContext.newPage();
    const staffWatch = watchPage(staffPage);
    await signIn(staffPage, staff.username, staff.password);
    await staffPage.getByTestId('nav-change-requests').click();
    await staffPage.getByTestId('change-request-table').getByText('滨海助老协会').click();
    await staffPage.getByTestId('change-request-approve').click();
    await staffPage.locator('.ant-popconfirm:visible .ant-btn-primary').click();
    await staffPage.getByTestId('change-request-pending').waitFor({ state: 'detached' });
    await expect.poll(() => staffPage.locator('main h3').first().innerText()).toContain('滨海社区助老协会');
    await screenshot(staffPage, 'keyreview-2-staff-approved');
    expect(staffWatch.problems).toEqual([]);
    await staffContext.close();
  }, 120_000);
});
