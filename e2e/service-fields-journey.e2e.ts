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

// The city admin adds a field of service from its page; an organization takes it and the public
// directory shows its label, read from the API; retired, the admin page says so.
describe('fields of service', () => {
  it('adds a field, shows its label (from the API) in the public directory, and retires it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await fillSignIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-service-fields').click();
    await expect.poll(() => page.getByTestId('service-fields').textContent()).toContain('为老服务');
    await page.getByTestId('service-field-add').click();
    await page.getByTestId('service-field-code').fill('mental_health');
    await page.getByTestId('service-field-label-zh').fill('心理健康');
    await page.getByTestId('service-field-label-en').fill('Mental health');
    await page.getByTestId('service-field-submit').click();
    await expect.poll(() => page.getByTestId('service-fields').textContent()).toContain('心理健康');
    await screenshot(page, 'service-fields-zh-CN');

    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '江心区',
      level: 'district',
      parentId: city.id,
      code: '310192',
    });
    const sub = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '心安街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310192001',
    });
    const org = await adminWrite<{ id: number }>('post', '/api/organizations', {
      kind: 'community_org',
      name: '心安心理互助社',
      jurisdictionId: sub.id,
      fields: ['mental_health'],
    });
    await adminWrite('post', `/api/organizations/${org.id}/status`, { status: 'active', reason: '备案' });

    const visitor = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const vpage = await visitor.newPage();
    const vwatch = watchPage(vpage);
    await vpage.goto(`${server.url}/directory`);
    await expect.poll(() => vpage.getByTestId(`directory-result-${org.id}`).textContent()).toContain('心理健康');
    expect(vwatch.problems).toEqual([]);
    await visitor.close();

    await page.getByTestId('service-field-edit-mental_health').click();
    await page.getByTestId('service-field-retired').click();
    await page.getByTestId('service-field-submit').click();
    await expect.poll(() => page.getByTestId('service-fields').textContent()).toContain('已停用');
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
