import { type APIRequestContext, type Browser } from 'playwright-core';
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

// Early warning as the center sees it: an organization that cannot be reached turns yellow at
// once, the risk view lists it, its page says why; the city admin scans on demand from the rules page.
describe('early warning (zh-CN)', () => {
  it('shows an unreachable organization at risk, explains why, and scans on demand', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '临江区',
      level: 'district',
      parentId: city.id,
      code: '310191',
    });
    const sub = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '望江街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310191001',
    });
    const staff = { username: 'risk.staff', password: 'River-Watch-2026!' };
    await adminWrite('post', '/api/users', {
      ...staff,
      displayName: '周敏',
      role: 'center_staff',
      jurisdictionId: sub.id,
    });
    const org = await adminWrite<{ id: number }>('post', '/api/organizations', {
      kind: 'community_org',
      name: '望江邻里互助队',
      jurisdictionId: sub.id,
      partyBranch: { kind: 'joint' },
    });
    await adminWrite('post', `/api/organizations/${org.id}/status`, { status: 'active', reason: '备案' });
    await adminWrite('patch', `/api/organizations/${org.id}`, { contactStatus: 'unreachable' });

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await fillSignIn(page, staff.username, staff.password);
    await page.getByTestId('nav-risk').click();
    await expect.poll(() => page.getByTestId('risk-organizations').textContent()).toContain('望江邻里互助队');
    await expect.poll(() => page.getByTestId('risk-count-yellow').textContent()).toContain('1');
    await screenshot(page, 'risk-view-zh-CN');
    await page.getByTestId('risk-organizations').getByText('望江邻里互助队').click();
    await expect.poll(() => page.getByTestId('risk-signals').textContent()).toContain('无法取得联系');
    await expect.poll(() => page.getByTestId('org-risk').textContent()).toContain('黄色');
    await screenshot(page, 'organization-risk-zh-CN');
    expect(watch.problems).toEqual([]);
    await context.close();

    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const adminPage = await adminContext.newPage();
    const adminWatch = watchPage(adminPage);
    await adminPage.goto(`${server.url}/login`);
    await fillSignIn(adminPage, 'admin', ADMIN_PASSWORD);
    await adminPage.getByTestId('nav-risk').click();
    await adminPage.getByTestId('risk-rules-link').click();
    await expect.poll(() => adminPage.getByTestId('risk-rules').textContent()).toContain('超过 N 天未记录活动');
    // Inactivity after 90 days instead of 180: the parameter is checked against the rule's range.
    await adminPage.getByTestId('risk-rule-edit-inactive').click();
    const days = adminPage.locator('.ant-modal').getByRole('spinbutton').nth(1);
    await days.fill('90');
    await adminPage.getByTestId('risk-rule-submit').click();
    await expect.poll(() => adminPage.getByTestId('risk-rules').textContent()).toContain('天数 90');
    await adminPage.getByTestId('risk-scan-now').click();
    await expect.poll(() => adminPage.locator('.ant-message').textContent()).toContain('已扫描 1 家组织');
    await screenshot(adminPage, 'risk-rules-zh-CN');
    expect(adminWatch.problems).toEqual([]);
    await adminContext.close();
  });
});
