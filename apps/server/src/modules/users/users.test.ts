import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, PASSWORD, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let districtId: number;
let subId: number;
beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
  subId = (await t.subdistrict(districtId)).id;
});
afterAll(() => t.close());

const body = (over: Record<string, unknown> = {}) => ({
  username: `u${Math.random().toString(36).slice(2, 8)}`,
  password: PASSWORD,
  displayName: '张三',
  role: 'center_staff',
  jurisdictionId: subId,
  ...over,
});

describe('creating accounts', () => {
  it('creates an account and never answers its password hash', async () => {
    const res = await t.admin.post('/api/users', body({ username: 'Zhang.San' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'Zhang.San',
      role: 'center_staff',
      status: 'active',
      jurisdictionId: subId,
      departmentId: null,
    });
    expect(res.body).not.toMatch(/hash|\$argon2/);
    const event = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.create')
      .where('entity_id', '=', String(res.json().id))
      .executeTakeFirstOrThrow();
    expect(event.changes).not.toContain(PASSWORD);
  });

  it('treats usernames equal after NFKC and case folding as duplicates', async () => {
    await t.admin.post('/api/users', body({ username: 'li.si' }));
    const res = await t.admin.post('/api/users', body({ username: 'ＬＩ.ＳＩ' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate_username');
  });

  it('applies the whole password policy and names each broken rule', async () => {
    const cases: [string, string][] = [
      ['Short1!', 'too_short'],
      ['alllowercaseletters', 'too_few_classes'],
      ['Password123456!', 'common_password'],
      ['Xx-wangwu-2026-Yy', 'contains_username'],
    ];
    for (const [password, code] of cases) {
      const res = await t.admin.post('/api/users', body({ username: 'wangwu', password }));
      expect(res.statusCode, password).toBe(422);
      expect(
        res.json().errors.map((e: { code: string }) => e.code),
        password,
      ).toContain(code);
    }
    const tooLong = await t.admin.post('/api/users', body({ password: 'Aa1!'.repeat(40) }));
    expect(tooLong.json().errors[0]).toMatchObject({ field: 'password' });
  });

  it('places each role at its level and department officers in a department of their jurisdiction', async () => {
    const atDistrict = await t.admin.post('/api/users', body({ role: 'center_staff', jurisdictionId: districtId }));
    expect(atDistrict.json().errors).toContainEqual(
      expect.objectContaining({ field: 'jurisdictionId', code: 'level_mismatch' }),
    );
    const noDept = await t.admin.post('/api/users', body({ role: 'department_officer' }));
    expect(noDept.json().errors).toContainEqual(expect.objectContaining({ field: 'departmentId', code: 'required' }));
    const dep = (await t.admin.post('/api/departments', { name: '老龄办', jurisdictionId: subId })).json();
    const ok = await t.admin.post('/api/users', body({ role: 'department_officer', departmentId: dep.id }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().departmentId).toBe(dep.id);
    const stray = await t.admin.post('/api/users', body({ role: 'volunteer', departmentId: dep.id }));
    expect(stray.json().errors).toContainEqual(expect.objectContaining({ field: 'departmentId', code: 'not_allowed' }));
  });

  it('lets center staff create volunteers in their subdistrict only', async () => {
    const staff = await t.userAgent('center_staff', subId);
    expect((await staff.post('/api/users', body({ role: 'volunteer' }))).statusCode).toBe(201);
    expect((await staff.post('/api/users', body({ role: 'center_staff' }))).statusCode).toBe(403);
    const other = (await t.subdistrict(districtId)).id;
    const elsewhere = await staff.post('/api/users', body({ role: 'volunteer', jurisdictionId: other }));
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().errors[0]).toMatchObject({ field: 'jurisdictionId', code: 'not_found' });
  });

  it('gives district officers read access to the district’s users and no writes', async () => {
    const officer = await t.userAgent('district_officer', districtId);
    const list = await officer.get('/api/users?limit=200');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
    expect((await officer.post('/api/users', body())).statusCode).toBe(403);
  });
});

describe('listing and changing accounts', () => {
  it('pages with a keyset cursor and filters by role and text', async () => {
    const sub = (await t.subdistrict(districtId)).id;
    for (let i = 0; i < 5; i++)
      await t.admin.post('/api/users', body({ username: `page.${i}`, role: 'volunteer', jurisdictionId: sub }));
    const first = (await t.admin.get(`/api/users?jurisdictionId=${sub}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const second = (await t.admin.get(`/api/users?jurisdictionId=${sub}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeGreaterThan(first.items[1].id);
    const all = [];
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = (
        await t.admin.get(`/api/users?jurisdictionId=${sub}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(5);
    const q = (await t.admin.get('/api/users?q=PAGE.3')).json();
    expect(q.items.map((u: { username: string }) => u.username)).toEqual(['page.3']);
    expect((await t.admin.get('/api/users?q=100%25')).json().items).toEqual([]);
    expect((await t.admin.get('/api/users?limit=0')).statusCode).toBe(422);
  });

  it('updates only the fields sent, and audits before and after', async () => {
    const u = (await t.admin.post('/api/users', body({ displayName: '旧名' }))).json();
    const res = await t.admin.patch(`/api/users/${u.id}`, { displayName: '新名' });
    expect(res.json()).toMatchObject({ displayName: '新名', role: 'center_staff', jurisdictionId: subId });
    const event = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.update')
      .where('entity_id', '=', String(u.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.changes)).toEqual([{ field: 'displayName', before: '旧名', after: '新名' }]);
  });

  it('a new role ends the user’s sessions; nobody disables or demotes themselves', async () => {
    const u = await t.userAgent('center_staff', subId);
    expect((await t.admin.patch(`/api/users/${u.userId}`, { role: 'volunteer' })).statusCode).toBe(200);
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.admin.post(`/api/users/${t.admin.userId}/disable`)).statusCode).toBe(409);
    expect((await t.admin.patch(`/api/users/${t.admin.userId}`, { role: 'auditor' })).statusCode).toBe(409);
  });

  it('resets a password under the policy and ends sessions', async () => {
    const u = await t.userAgent('center_staff', subId);
    expect((await t.admin.post(`/api/users/${u.userId}/password`, { password: 'weakweakweakweak' })).statusCode).toBe(
      422,
    );
    expect((await t.admin.post(`/api/users/${u.userId}/password`, { password: 'Brand-New-Pass-42' })).statusCode).toBe(
      204,
    );
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.agent().login(u.username, 'Brand-New-Pass-42')).statusCode).toBe(200);
  });
});
