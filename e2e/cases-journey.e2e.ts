import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  closeJourney,
  fillSignIn,
  idNumber,
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

/** The setting, through the API as the city administrator: not the journey's subject. */
async function adminSend<T>(method: 'post' | 'put', url: string, data: unknown): Promise<T> {
  const res = await admin[method](url, { data, headers: { 'x-csrf-token': csrf } });
  if (res.status() >= 300) throw new Error(`${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/login`);
  await fillSignIn(page, username, password);
  await page.getByTestId('current-user').waitFor();
}

async function settledScreenshot(page: Page, name: string) {
  await page.locator('.ant-spin-spinning, .ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
  await screenshot(page, name);
}

describe('a case escalates when nobody acknowledges it in time', () => {
  it('a volunteer reports an elder unreachable; past the deadline the district officer acknowledges and resolves it', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminSend<{ id: number }>('post', '/api/jurisdictions', {
      name: '浦江区',
      level: 'district',
      parentId: city.id,
      code: '310191',
    });
    const subdistrict = await adminSend<{ id: number }>('post', '/api/jurisdictions', {
      name: '江边街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310191001',
    });
    const volunteer = { username: 'volunteer.e2e', password: 'Kind-Neighbour-42' };
    const officer = { username: 'district.e2e', password: 'District-Watch-2026' };
    await adminSend('post', '/api/users', {
      ...volunteer,
      displayName: '志愿者小陈',
      role: 'volunteer',
      jurisdictionId: subdistrict.id,
    });
    await adminSend('post', '/api/users', {
      ...officer,
      displayName: '区民政刘科长',
      role: 'district_officer',
      jurisdictionId: district.id,
    });
    // Critical cases are due at once: the deadline passes as soon as the case is reported.
    await adminSend('put', '/api/sla-policies', { severity: 'critical', acknowledgeMinutes: 0, resolveMinutes: 0 });

    // The volunteer reports, in the simple form.
    const vContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const vPage = await vContext.newPage();
    const vWatch = watchPage(vPage);
    await signIn(vPage, volunteer.username, volunteer.password);
    await vPage.getByTestId('nav-cases').click();
    await vPage.getByTestId('case-report').click();
    await vPage.getByTestId('case-category').click();
    await vPage.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '老人失联' }).click();
    await vPage.getByTestId('case-severity').getByText('特急').click();
    await vPage.getByTestId('case-description').fill('江边路18号独居的张奶奶三天没有应门，电话也打不通。');
    await screenshot(vPage, 'case-report-form');
    await vPage.getByTestId('case-report-submit').click();
    await vPage.getByTestId('case-timeline').waitFor();
    const caseId = Number(new URL(vPage.url()).pathname.split('/').pop());
    expect(caseId).toBeGreaterThan(0);
    await expect.poll(() => vPage.getByTestId('case-status').textContent()).toBe('待受理');
    // A volunteer reports and follows; working the case is for others.
    expect(await vPage.getByTestId('case-acknowledge').count()).toBe(0);
    await settledScreenshot(vPage, 'case-reported');

    // The deadline has passed; the escalation run (the scheduled job, here asked for at once) moves it up.
    const run = await adminSend<{ escalated: number }>('post', '/api/case-escalations', {});
    expect(run.escalated).toBe(1);

    // The district officer hears of it in the inbox and works it.
    const dContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const dPage = await dContext.newPage();
    const dWatch = watchPage(dPage);
    await signIn(dPage, officer.username, officer.password);
    await expect.poll(() => dPage.getByTestId('notification-badge').textContent()).toContain('1');
    await dPage.getByTestId('notification-bell').click();
    const note = dPage.getByTestId('notifications-list').locator('.ant-list-item').first();
    await expect.poll(() => note.textContent()).toContain(`案件 #${caseId}`);
    await settledScreenshot(dPage, 'case-inbox');
    await note.locator('a').first().click();
    await dPage.getByTestId('case-escalated').waitFor();
    await expect.poll(() => dPage.getByTestId('case-escalated').textContent()).toContain('区');
    await expect.poll(() => dPage.getByTestId('case-timeline').textContent()).toContain('逐级上报');
    await dPage.getByTestId('case-acknowledge').click();
    await expect.poll(() => dPage.getByTestId('case-status').textContent()).toBe('办理中');
    // An internal note, then a reply the reporter is shown.
    await dPage.getByTestId('case-comment-text').fill('内部：女儿电话 139xxxx，勿外传');
    await dPage.getByTestId('case-comment').click();
    await expect.poll(() => dPage.getByTestId('case-timeline').textContent()).toContain('勿外传');
    await dPage.getByTestId('case-comment-text').fill('正在联系老人家属，请放心。');
    await dPage.getByTestId('case-comment-to-reporter').click();
    await dPage.getByTestId('case-comment').click();
    await expect.poll(() => dPage.getByTestId('case-timeline').textContent()).toContain('已告知上报人');
    await dPage.getByTestId('case-resolve').click();
    // An outcome is required: an empty one is refused before anything is sent.
    await dPage.getByTestId('case-step-submit').click();
    await dPage.locator('.ant-form-item-explain-error').first().waitFor();
    await dPage.getByTestId('case-step-text').fill('已联系到张奶奶的女儿，老人因病住院，社区已安排探访。');
    await dPage.getByTestId('case-step-submit').click();
    await expect.poll(() => dPage.getByTestId('case-status').textContent()).toBe('已办结');
    await expect.poll(() => dPage.getByTestId('case-outcome').textContent()).toContain('社区已安排探访');
    await settledScreenshot(dPage, 'case-resolved');

    // The volunteer is told of the reply and that it is resolved.
    await vPage.reload();
    await expect.poll(() => vPage.getByTestId('notification-badge').textContent()).toContain('2');
    await expect.poll(() => vPage.getByTestId('case-status').textContent()).toBe('已办结');
    // The reporter reads the reply meant for them and the outcome, not the internal note or the routing.
    await vPage.getByTestId('case-reporter-view').waitFor();
    const told = (await vPage.getByTestId('case-timeline').textContent()) ?? '';
    expect(told).toContain('正在联系老人家属');
    expect(told).not.toContain('勿外传');
    expect(told).toContain('逐级上报');
    expect(told).not.toContain('分派');
    await settledScreenshot(vPage, 'case-reporter-view');

    expect(vWatch.problems).toEqual([]);
    expect(dWatch.problems).toEqual([]);
    await vContext.close();
    await dContext.close();
  });

  it('shows the city administrator the case figures on the dashboard and the deadline and routing settings', async () => {
    // One open case, so the chart has a bar (the first journey's case is resolved).
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    await adminSend('post', '/api/cases', {
      category: 'safety_hazard',
      severity: 'high',
      description: '楼道堆放杂物，堵住消防通道。',
      jurisdictionId: items.find((j) => j.level === 'subdistrict')!.id,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('case-dashboard').locator('canvas').first().waitFor();
    await settledScreenshot(page, 'case-dashboard');
    await page.getByTestId('nav-case-settings').click();
    await expect.poll(() => page.getByTestId('sla-critical-ack').inputValue()).toBe('0');
    await page.getByTestId('sla-critical-ack').fill('30');
    await page.getByTestId('sla-critical-save').click();
    await expect
      .poll(
        async () =>
          (
            (await (await admin.get('/api/sla-policies')).json()) as {
              items: { severity: string; acknowledgeMinutes: number }[];
            }
          ).items.find((p) => p.severity === 'critical')?.acknowledgeMinutes,
      )
      .toBe(30);
    await settledScreenshot(page, 'case-settings');

    // A complaint about an organization, reported by staff above the subdistrict: they pick both.
    await adminSend('post', '/api/organizations', {
      kind: 'community_org',
      name: '江边邻里互助队',
      jurisdictionId: items.find((j) => j.level === 'subdistrict')!.id,
    });
    // The household the money was asked of, entered by the center.
    const residentId = idNumber('31010119480304002');
    await adminSend('post', '/api/households', {
      category: 'extreme_poverty',
      jurisdictionId: items.find((j) => j.level === 'subdistrict')!.id,
      headName: '赵桂兰',
      idNumber: residentId,
    });
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-report').click();
    await page.getByTestId('case-category').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '组织投诉' }).click();
    await page.getByTestId('case-description').fill('居民反映该互助队以募捐名义收费。');
    await page.getByTestId('case-jurisdiction').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: '江边街道' })
      .click();
    await page.getByTestId('case-organization').click();
    await page.keyboard.type('邻里互助');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '江边邻里互助队' }).click();
    await page.getByTestId('case-household-picker').click();
    await page.keyboard.type('赵桂兰');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '赵桂兰' }).click();
    await page.getByTestId('case-report-submit').click();
    await page.getByTestId('case-timeline').waitFor();
    await expect.poll(() => page.getByTestId('case-details').textContent()).toContain('江边邻里互助队');
    // The household shows as everywhere else: its head, the ID number masked, a link to it.
    const shown = (await page.getByTestId('case-household').textContent()) ?? '';
    expect(shown).toContain('赵桂兰');
    expect(shown).toContain('*');
    expect(shown).not.toContain(residentId);
    await settledScreenshot(page, 'case-with-household');
    await page.getByTestId('case-household').getByRole('link', { name: '赵桂兰' }).click();
    await page.waitForURL(/\/households\/\d+$/);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
