import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const auditFor = (entityType: string, id: number) =>
  t.db.kysely
    .selectFrom('audit_events')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(id))
    .execute();

describe('jurisdictions', () => {
  it('lists the city as the root without a parentId', async () => {
    const res = await t.admin.get('/api/jurisdictions');
    expect(res.statusCode).toBe(200);
    const root = res.json().items.find((j: { level: string }) => j.level === 'city');
    expect(root).toMatchObject({ name: '上海市', code: '310000' });
    expect(root.parentId).toBeUndefined();
  });

  it('creates a district and a subdistrict with its center, each audited with its fields', async () => {
    const d = await t.admin.post('/api/jurisdictions', {
      name: '黄浦区',
      nameEn: 'Huangpu',
      level: 'district',
      parentId: t.rootId,
      code: '310101',
    });
    expect(d.statusCode).toBe(201);
    expect(d.json()).toMatchObject({ name: '黄浦区', level: 'district', parentId: t.rootId, center: null });
    const s = await t.admin.post('/api/jurisdictions', {
      name: '外滩街道',
      level: 'subdistrict',
      parentId: d.json().id,
      code: '310101013',
      center: { name: '外滩社会组织服务中心', phone: '021 6321 0000', openingHours: '9:00-17:00' },
    });
    expect(s.statusCode).toBe(201);
    expect(s.json().center).toMatchObject({ name: '外滩社会组织服务中心', phone: '02163210000' });
    const [event] = await auditFor('jurisdiction', s.json().id);
    expect(event).toMatchObject({ action: 'jurisdiction.create', actor_name: 'admin', outcome: 'success' });
    expect(JSON.parse(event!.changes)).toContainEqual({ field: 'code', before: null, after: '310101013' });
  });

  it('refuses a code that does not nest, a wrong parent level and a duplicate code', async () => {
    const d = await t.district();
    const wrongNest = await t.admin.post('/api/jurisdictions', {
      name: '某街道',
      level: 'subdistrict',
      parentId: d.id,
      code: '999999001',
    });
    expect(wrongNest.statusCode).toBe(422);
    expect(wrongNest.json().errors).toContainEqual(
      expect.objectContaining({ field: 'code', code: 'code_outside_parent' }),
    );
    const wrongLevel = await t.admin.post('/api/jurisdictions', {
      name: '某街道',
      level: 'subdistrict',
      parentId: t.rootId,
      code: '310000001',
    });
    expect(wrongLevel.json().errors).toContainEqual(
      expect.objectContaining({ field: 'parentId', code: 'invalid_parent' }),
    );
    const dup = await t.admin.post('/api/jurisdictions', {
      name: '重复区',
      level: 'district',
      parentId: t.rootId,
      code: d.code,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_code');
  });

  it('lists every invalid field at once', async () => {
    const res = await t.admin.post('/api/jurisdictions', { name: '', level: 'county', parentId: 'x', code: '12' });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['code', 'level', 'name', 'parentId']);
  });

  it('normalizes names: NFKC, invisible characters dropped, trimmed', async () => {
    const d = await t.admin.post('/api/jurisdictions', {
      name: ' 静安\u200B区 ',
      level: 'district',
      parentId: t.rootId,
      code: '310106',
    });
    expect(d.json().name).toBe('静安区');
  });

  it('renames partially and updates the center', async () => {
    const d = await t.district();
    const s = await t.subdistrict(d.id);
    const renamed = await t.admin.patch(`/api/jurisdictions/${s.id}`, { nameEn: 'Riverside' });
    expect(renamed.json()).toMatchObject({ nameEn: 'Riverside' });
    expect(renamed.json().name).toMatch(/^街道/);
    const center = await t.admin.put(`/api/jurisdictions/${s.id}/center`, { name: '新中心', address: '新路2号' });
    expect(center.json().center).toMatchObject({ name: '新中心', address: '新路2号', phone: null });
    const onDistrict = await t.admin.put(`/api/jurisdictions/${d.id}/center`, { name: '不行' });
    expect(onDistrict.statusCode).toBe(409);
    expect((await auditFor('center', s.id)).map((e) => e.action)).toEqual(['center.update']);
  });

  it('center staff edit their own center but create no jurisdictions', async () => {
    const d = await t.district();
    const s = await t.subdistrict(d.id);
    const staff = await t.userAgent('center_staff', s.id);
    expect((await staff.put(`/api/jurisdictions/${s.id}/center`, { name: '我们的中心' })).statusCode).toBe(200);
    const create = await staff.post('/api/jurisdictions', {
      name: 'x',
      level: 'subdistrict',
      parentId: d.id,
      code: `${d.code}999`,
    });
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('forbidden');
    const denied = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'permission.denied')
      .where('actor_id', '=', staff.userId!)
      .execute();
    expect(denied).toHaveLength(1);
  });
});

describe('the public subdistrict list', () => {
  it('names every subdistrict with its district and center, without a session', async () => {
    const d = await t.district('公开区');
    const s = await t.subdistrict(d.id, '公开街道');
    const res = await t.agent().get('/api/public/subdistricts');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((i: { id: number }) => i.id === s.id);
    expect(item).toMatchObject({
      name: '公开街道',
      district: '公开区',
      center: '公开街道社会组织服务中心',
      code: s.code,
    });
    expect(res.json().items.every((i: { code: string }) => i.code.length === 9)).toBe(true);
  });
});

describe('departments', () => {
  it('creates, lists by jurisdiction and updates departments with their kinds', async () => {
    const d = await t.district();
    const s = await t.subdistrict(d.id);
    const dep = await t.admin.post('/api/departments', {
      name: '民政科',
      jurisdictionId: s.id,
      kinds: ['civil_affairs', 'elderly_affairs'],
    });
    expect(dep.statusCode).toBe(201);
    expect(dep.json()).toMatchObject({
      name: '民政科',
      jurisdictionId: s.id,
      kinds: ['civil_affairs', 'elderly_affairs'],
    });
    const dup = await t.admin.post('/api/departments', { name: '民政科', jurisdictionId: s.id });
    expect(dup.statusCode).toBe(409);
    const list = await t.admin.get(`/api/departments?jurisdictionId=${s.id}`);
    expect(list.json().items).toHaveLength(1);
    const upd = await t.admin.patch(`/api/departments/${dep.json().id}`, { kinds: ['health'] });
    expect(upd.json()).toMatchObject({ name: '民政科', kinds: ['health'] });
    const bad = await t.admin.post('/api/departments', { name: '卫生科', jurisdictionId: s.id, kinds: ['magic'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('kinds.0');
  });
});
