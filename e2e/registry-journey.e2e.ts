import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJourney, fillSignIn, idNumber, openJourney, screenshot, type Server, watchPage } from './harness.js';

type Locale = 'zh-CN' | 'en';
const localeText = (locale: Locale) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../apps/web/src/locales/${locale}.json`), 'utf8'),
  ) as Record<string, Record<string, string>>;

// A 1×1 PNG: the server types an upload by its content, so the file must really be one.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let server: Server;
let browser: Browser;
let admin: APIRequestContext;
let csrf: string;
beforeAll(async () => ({ server, browser, admin, csrf } = await openJourney()));
afterAll(() => closeJourney({ server, browser, admin }));

/** A write as the city administrator, through the API: the journey's setting, not its subject. */
async function adminPost<T>(url: string, data: unknown): Promise<T> {
  const res = await admin.post(url, { data, headers: { 'x-csrf-token': csrf } });
  if (res.status() >= 300) throw new Error(`${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Screenshots once spinners and modals have finished their fade, so the picture shows the page at rest. */
async function settledScreenshot(page: Page, name: string) {
  await page.locator('.ant-spin-spinning, .ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  // The content behind a spinner fades back in (a CSS transition) after the spinner goes.
  await page.waitForTimeout(400);
  await screenshot(page, name);
}

async function chooseLanguage(page: Page, locale: Locale) {
  if (locale === 'en') await page.getByTestId('language-switch').getByText('English').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale);
}

// The application workflow, once per language: an NGO applies without an account, the center
// sees that a similar organization is already registered, approves, and the public directory lists it.
describe.each<[Locale, string, string, string]>([
  ['zh-CN', '江边街道', '浦江阳光助老服务中心', '浦江阳光助老服务队'],
  [
    'en',
    'Harbour Subdistrict',
    'Harbour Sunshine Elderly Care Service Center',
    'Harbour Sunshine Elderly Care Service Team',
  ],
])('an organization applies and the center approves it (%s)', (locale, subdistrictName, existingName, newName) => {
  const L = localeText(locale);
  const n = locale === 'en' ? 2 : 1;
  const districtCode = `3101${80 + n}`;
  const staff = { username: `center.e2e.${n}`, password: 'Harbour-Lights-42' };
  const applicant = { username: `ngo.e2e.${n}`, password: 'Sunny-Elders-2026!' };

  it('applies at /apply, is flagged as a possible duplicate, is approved and appears in the directory', async () => {
    const { items } = (await (await admin.get('/api/jurisdictions')).json()) as {
      items: { id: number; level: string }[];
    };
    const city = items.find((j) => j.level === 'city')!;
    const district = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: locale === 'en' ? 'Riverside District' : '浦江区',
      level: 'district',
      parentId: city.id,
      code: districtCode,
    });
    const subdistrict = await adminPost<{ id: number }>('/api/jurisdictions', {
      name: subdistrictName,
      level: 'subdistrict',
      parentId: district.id,
      code: `${districtCode}00${n}`,
    });
    const existing = await adminPost<{ id: number }>('/api/organizations', {
      kind: 'community_org',
      name: existingName,
      jurisdictionId: subdistrict.id,
    });
    await adminPost(`/api/organizations/${existing.id}/status`, { status: 'active', reason: 'e2e' });
    await adminPost('/api/users', {
      ...staff,
      displayName: locale === 'en' ? 'Li Wei' : '李伟',
      role: 'center_staff',
      jurisdictionId: subdistrict.id,
    });

    // An NGO officer, no account yet: from the login page to the application form.
    const person = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale });
    const page = await person.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await chooseLanguage(page, locale);
    await page.getByTestId('login-apply-link').click();
    await page.getByTestId('apply-name').fill(newName);
    // The applicant picks the subdistrict by name, as a person would.
    await page.getByTestId('apply-subdistrict').click();
    await page.keyboard.type(subdistrictName);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: subdistrictName })
      .first()
      .click();
    await page.getByTestId('apply-address').fill(locale === 'en' ? '18 Harbour Road' : '江边路18号');
    await page.getByTestId('apply-pic-name').fill(locale === 'en' ? 'Wang Fang' : '王芳');
    // A wrong check digit is caught before anything is sent.
    const goodId = idNumber(`1101051949123100${n}`);
    await page.getByTestId('apply-pic-id-number').fill(`${goodId.slice(0, 17)}${goodId.endsWith('1') ? '2' : '1'}`);
    await page.getByTestId('apply-pic-phone').fill(`1391234567${n}`);
    await page.getByTestId('apply-username').fill(applicant.username);
    await page.getByTestId('apply-display-name').fill(locale === 'en' ? 'Wang Fang' : '王芳');
    await page.getByTestId('apply-password').fill(applicant.password);
    await page.getByTestId('apply-password-confirm').fill(applicant.password);
    await page.getByTestId('apply-submit').click();
    await page.getByText(L.fieldErrors!.invalid_id_number!).waitFor();
    await page.getByTestId('apply-pic-id-number').fill(goodId);
    await settledScreenshot(page, `apply-${locale}-1-form`);
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('apply-success').waitFor();
    await settledScreenshot(page, `apply-${locale}-2-submitted`);

    // Signed in, the applicant sees the application and nothing else; uploads the charter.
    await page.getByTestId('apply-success-login').click();
    await fillSignIn(page, applicant.username, applicant.password);
    await page.getByTestId('my-app-status').waitFor();
    await expect.poll(() => page.url()).toContain('/my-application');
    expect(
      await page.locator('nav [data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.dataset.testid)),
    ).toEqual(['nav-my-application', 'nav-account']);
    await page.locator('[data-testid="documents-card"] input[type=file]').setInputFiles({
      name: 'charter.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await page.getByTestId('documents-table').getByText('charter.png').waitFor();
    await settledScreenshot(page, `apply-${locale}-3-my-application`);

    // The center's staff: the queue, the duplicate warning naming the registered organization, approval.
    const center = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale });
    const staffPage = await center.newPage();
    const staffWatch = watchPage(staffPage);
    await staffPage.goto(`${server.url}/login`);
    await chooseLanguage(staffPage, locale);
    await fillSignIn(staffPage, staff.username, staff.password);
    await staffPage.getByTestId('nav-applications').click();
    await staffPage.getByTestId('app-review-table').getByText(newName).click();
    const duplicates = staffPage.getByTestId('app-duplicates');
    await duplicates.waitFor();
    await expect.poll(() => duplicates.textContent()).toContain(existingName);
    await expect.poll(() => duplicates.textContent()).toContain(L.duplicateReasons!.similar_name!);
    await staffPage.getByTestId('documents-table').getByText('charter.png').waitFor();
    await settledScreenshot(staffPage, `apply-${locale}-4-review`);

    // Returned with a reason: the applicant reads it, amends the address and resubmits.
    const reason = locale === 'en' ? 'Give the full address with the room number.' : '请补充完整地址和门牌号';
    await staffPage.getByTestId('app-start-review').click();
    await staffPage.locator('[data-testid="app-review-status"] [data-status="under_review"]').waitFor();
    await staffPage.getByTestId('app-return').click();
    await staffPage.getByTestId('app-reason-submit').click();
    await staffPage.getByText(L.applications!.reasonRequired!).waitFor();
    await staffPage.getByTestId('app-reason').fill(reason);
    await staffPage.getByTestId('app-reason-submit').click();
    await staffPage.locator('[data-testid="app-review-status"] [data-status="returned"]').waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('my-app-reason').textContent()).toContain(reason);
    await settledScreenshot(page, `apply-${locale}-5-returned`);
    await page.getByTestId('my-app-amend').click();
    await page
      .getByTestId('my-app-amend-address')
      .fill(locale === 'en' ? 'Room 301, 18 Harbour Road' : '江边路18号301室');
    await page.getByTestId('my-app-amend-submit').click();
    await page.locator('[data-testid="my-app-status"] [data-status="submitted"]').waitFor();

    await staffPage.reload();
    await staffPage.locator('[data-testid="app-review-status"] [data-status="submitted"]').waitFor();
    await staffPage.getByTestId('app-start-review').click();
    await staffPage.locator('[data-testid="app-review-status"] [data-status="under_review"]').waitFor();
    await staffPage.getByTestId('app-approve').click();
    await staffPage.getByTestId('app-approve-confirm').click();
    await staffPage.locator('[data-testid="app-review-status"] [data-status="approved"]').waitFor();
    await staffPage.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await settledScreenshot(staffPage, `apply-${locale}-6-approved`);

    // The applicant's account now acts for the organization: the menu opens beyond the application.
    await page.reload();
    await page.locator('[data-testid="my-app-status"] [data-status="approved"]').waitFor();
    await page.getByTestId('nav-organizations').waitFor();
    await settledScreenshot(page, `apply-${locale}-7-applicant-approved`);
    expect(watch.problems).toEqual([]);
    await person.close();

    // Anyone finds it in the public directory now.
    await staffPage.goto(`${server.url}/directory`);
    await staffPage.locator('[role="search"] input').fill(newName);
    await staffPage.locator('[role="search"] input').press('Enter');
    await staffPage.getByTestId('directory-results').getByText(newName, { exact: true }).waitFor();
    await settledScreenshot(staffPage, `apply-${locale}-8-directory`);
    expect(staffWatch.problems).toEqual([]);
    await center.close();
  });
});
