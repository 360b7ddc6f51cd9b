import { type APIRequestContext, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngImage } from '../apps/server/src/testing/images.js';
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

// Center staff record an activity with a photo, see it as a thumbnail, open it in the viewer, add
// another to the same activity and delete one; the change history names an admin-added field of
// service by its label, not its code.
describe('activity photos', () => {
  it('records an activity with a photo, views it, adds another and deletes one', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '照片区',
      level: 'district',
      parentId: city.id,
      code: '310193',
    });
    const sub = await adminWrite<{ id: number }>('post', '/api/jurisdictions', {
      name: '照片街道',
      level: 'subdistrict',
      parentId: district.id,
      code: '310193001',
    });
    await adminWrite('post', '/api/service-fields', {
      code: 'urban_farming',
      labelZh: '城市农园',
      labelEn: 'Urban farming',
    });
    const org = await adminWrite<{ id: number }>('post', '/api/organizations', {
      kind: 'community_org',
      name: '照片社区服务队',
      jurisdictionId: sub.id,
    });
    await adminWrite('patch', `/api/organizations/${org.id}`, { fields: ['urban_farming'] });

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await fillSignIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // The history shows the admin-added field's label.
    await page.goto(`${server.url}/organizations/${org.id}?tab=history`);
    await expect.poll(() => page.getByTestId('org-history').textContent()).toContain('城市农园');
    expect(await page.getByTestId('org-history').textContent()).not.toContain('urban_farming');

    await page.goto(`${server.url}/organizations/${org.id}?tab=activities`);
    await page.getByTestId('org-activity-record').click();
    await page.getByTestId('org-activity-form-title').fill('社区菜园开放日');
    await page
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: '菜园.png', mimeType: 'image/png', buffer: pngImage(120, 80, [40, 160, 60]) });
    await page.getByTestId('org-activity-submit').click();
    const thumbs = page.getByTestId('activity-photo');
    await expect.poll(() => thumbs.count()).toBe(1);
    // The thumbnail is the real image, loaded through the session.
    await expect
      .poll(() =>
        thumbs
          .first()
          .evaluate(
            (el) =>
              ((el.tagName === 'IMG' ? el : el.querySelector('img')) as unknown as { naturalWidth: number })
                .naturalWidth,
          ),
      )
      .toBe(120);
    await screenshot(page, 'activity-photos-zh-CN');

    // The viewer opens on a click and closes with Esc.
    await thumbs.first().click();
    await expect.poll(() => page.locator('.ant-image-preview').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.ant-image-preview-img').isVisible()).toBe(true);
    await screenshot(page, 'activity-photo-viewer-zh-CN');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-image-preview-img').isVisible()).toBe(false);

    // Another photo added to the existing activity.
    const activities = (await (await admin.get(`/api/organizations/${org.id}/activities`)).json()) as {
      items: { id: number }[];
    };
    const activityId = activities.items[0]!.id;
    await page
      .getByTestId(`activity-photos-${activityId}`)
      .locator('input[type=file]')
      .setInputFiles({ name: '合影.png', mimeType: 'image/png', buffer: pngImage(60, 60, [200, 120, 20]) });
    await expect.poll(() => thumbs.count()).toBe(2);

    // Staff delete one; it is gone, and the audit trail has it.
    await page.getByTestId('activity-photo-delete').first().click();
    await page.getByTestId('activity-photo-delete-ok').click();
    await expect.poll(() => thumbs.count()).toBe(1);
    const audit = (await (await admin.get('/api/audit-events?action=activity.photo_delete')).json()) as {
      items: unknown[];
    };
    expect(audit.items.length).toBe(1);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
