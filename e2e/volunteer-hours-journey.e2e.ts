import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, openJourney, screenshot, type Server, watchPage } from './harness.js';

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

// A resident volunteer whose account the center linked to their volunteer record signs in, logs the
// hours they gave from the keyboard, center staff approve them, and the volunteer sees the points.
describe.each<Locale>(['zh-CN', 'en'])('a volunteer logs their own hours (%s)', (locale) => {
  const L = featureText(locale);
  const n = locale === 'en' ? 2 : 1;
  const staff = { username: `vh.staff.${n}`, password: 'Harbour-Lights-42' };
  const volunteer = { username: `vh.volunteer.${n}`, password: 'Willow-Bench-2026' };

  it('signs in, logs 1.5 hours, gets them approved by staff and sees 15 points', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const code = `3103${40 + n}`;
    const district = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: locale === 'en' ? 'North District' : '北区',
      level: 'district',
      parentId: city.id,
      code,
    });
    const subdistrict = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: locale === 'en' ? 'Lake Subdistrict' : '湖滨街道',
      level: 'subdistrict',
      parentId: district.id,
      code: `${code}00${n}`,
    });
    await adminPost('/api/users', {
      ...staff,
      displayName: locale === 'en' ? 'Chen Jing' : '陈静',
      role: 'center_staff',
      jurisdictionId: subdistrict.id,
    });
    const account = await adminPost<{ id: number }>('/api/users', {
      ...volunteer,
      displayName: locale === 'en' ? 'Auntie Wang' : '王阿姨',
      role: 'volunteer',
      jurisdictionId: subdistrict.id,
    });
    await adminPost('/api/volunteers', {
      name: locale === 'en' ? 'Auntie Wang' : '王阿姨',
      jurisdictionId: subdistrict.id,
      userId: account.id,
    });
    await adminPost('/api/volunteer-shifts', {
      jurisdictionId: subdistrict.id,
      title: locale === 'en' ? 'Till at the charity supermarket' : '爱心超市收银',
      startsAt: '2026-01-05T01:00:00Z',
      endsAt: '2026-01-05T03:00:00Z',
    });
    const settings = (await (await admin.get('/api/household-settings')).json()) as { volunteerPointsPerHour: number };

    // The volunteer, keyboard only: sign in, open My hours, log an hour and a half, send.
    const vContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
    const vPage = await vContext.newPage();
    const vWatch = watchPage(vPage);
    await vPage.goto(`${server.url}/login`);
    if (locale === 'en') await vPage.getByTestId('language-switch').getByText('English').click();
    await fillSignIn(vPage, volunteer.username, volunteer.password);
    await vPage.getByTestId('nav-my-hours').click();
    await expect.poll(() => vPage.getByTestId('my-hours-points').textContent()).toBe('0');
    await vPage.getByTestId('my-hours-log').focus();
    await vPage.keyboard.press('Enter');
    // The date is today's; the hours field has focus.
    await vPage.getByTestId('my-hours-date').waitFor();
    await expect
      .poll(() => vPage.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null"))
      .toBe('my-hours-hours');
    await vPage.keyboard.type('1.5');
    await vPage.getByTestId('my-hours-description').focus();
    await vPage.keyboard.type(locale === 'en' ? 'Stacked the shelves' : '整理货架');
    await vPage.getByTestId('my-hours-submit').focus();
    await vPage.keyboard.press('Enter');
    const pending = vPage.getByTestId('my-hours-table').getByText(L.volunteerHoursStatuses!.pending!);
    await pending.waitFor();
    await screenshot(vPage, `volunteer-hours-logged-${locale}`);

    // Staff approve it from the hours queue, where it is marked as logged by the volunteer.
    const sContext = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale });
    const sPage = await sContext.newPage();
    const sWatch = watchPage(sPage);
    await sPage.goto(`${server.url}/login`);
    if (locale === 'en') await sPage.getByTestId('language-switch').getByText('English').click();
    await fillSignIn(sPage, staff.username, staff.password);
    await sPage.getByTestId('nav-volunteers').click();
    await sPage.goto(`${server.url}/volunteers?tab=hours`);
    await sPage.getByText(L.volunteers!.selfLogged!).first().waitFor();
    const approve = sPage.locator('[data-testid^="hours-approve-"]').first();
    await approve.click();
    await approve.waitFor({ state: 'detached' });
    await screenshot(sPage, `volunteer-hours-approved-${locale}`);

    // Back at the volunteer: approved, with the points at the city's rate.
    await vPage.reload();
    const points = String(Math.floor((90 * settings.volunteerPointsPerHour) / 60));
    await expect.poll(() => vPage.getByTestId('my-hours-points').textContent()).toBe(points);
    await vPage.getByTestId('my-hours-table').getByText(L.volunteerHoursStatuses!.approved!).waitFor();
    await screenshot(vPage, `volunteer-hours-points-${locale}`);

    expect(vWatch.problems).toEqual([]);
    expect(sWatch.problems).toEqual([]);
    await vContext.close();
    await sContext.close();
  });
});
