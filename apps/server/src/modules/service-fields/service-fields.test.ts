import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceFields } from '@qiao/contracts';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';

// The configurable taxonomy of fields of service: the seeded twelve, the city admin adding,
// renaming and retiring fields, and every write that carries fields checked against the table.

let t: TestApp;
let subId: number;
let staff: Agent;
let n = 0;

const errorsOf = (body: string) =>
  (JSON.parse(body).errors as { field: string; code: string }[]).map((e) => `${e.field}:${e.code}`);

async function org(fields: string[]) {
  const res = await t.admin.post('/api/organizations', {
    kind: 'community_org',
    name: `领域测试组织${++n}`,
    jurisdictionId: subId,
    fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; fields: string[] };
}

beforeAll(async () => {
  t = await buildTestApp();
  subId = (await t.subdistrict((await t.district()).id)).id;
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

describe('the list', () => {
  it('starts with the twelve seeded fields, labelled in both languages, for any signed-in user and the public', async () => {
    const res = await staff.get('/api/service-fields');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { code: string; labelZh: string; labelEn: string; retired: boolean }[];
    expect(items.map((i) => i.code)).toEqual([...serviceFields]);
    expect(items[0]).toMatchObject({
      code: 'elderly_care',
      labelZh: '为老服务',
      labelEn: 'Elderly care',
      retired: false,
    });
    const pub = await t.agent().get('/api/public/service-fields');
    expect(pub.statusCode, pub.body).toBe(200);
    expect(Object.keys(pub.json().items[0]).sort()).toEqual(['code', 'labelEn', 'labelZh', 'retired']);
    expect((await t.agent().get('/api/service-fields')).statusCode).toBe(401);
  });
});

describe('the city admin keeps the taxonomy', () => {
  it('adds a field (audited), refuses a duplicate code and a malformed one, and only the city admin may', async () => {
    const res = await t.admin.post('/api/service-fields', {
      code: 'mental_health',
      labelZh: '心理健康',
      labelEn: 'Mental health',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'mental_health', labelZh: '心理健康', retired: false });
    const list = (await staff.get('/api/service-fields')).json().items as { code: string }[];
    expect(list.at(-1)!.code).toBe('mental_health');
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select(['entity_type', 'entity_id'])
      .where('action', '=', 'service_field.create')
      .execute();
    expect(audit).toEqual([{ entity_type: 'service_field', entity_id: 'mental_health' }]);

    const dup = await t.admin.post('/api/service-fields', { code: 'mental_health', labelZh: '重复', labelEn: 'Dup' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_code');
    const bad = await t.admin.post('/api/service-fields', { code: 'Bad Code', labelZh: '', labelEn: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(
      errorsOf(bad.body)
        .map((e) => e.split(':')[0])
        .sort(),
    ).toEqual(['code', 'labelZh']);
    const denied = await staff.post('/api/service-fields', { code: 'by_staff', labelZh: '员工', labelEn: 'Staff' });
    expect(denied.statusCode).toBe(403);
    expect((await staff.patch('/api/service-fields/health', { labelZh: '健康' })).statusCode).toBe(403);
  });

  it('renames labels with the changes audited; an unknown code is 404', async () => {
    const res = await t.admin.patch('/api/service-fields/health', { labelZh: '医疗卫生' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'health', labelZh: '医疗卫生', labelEn: 'Health' });
    const ev = await t.db.kysely
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'service_field.update')
      .where('entity_id', '=', 'health')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(ev.changes)).toEqual([{ field: 'labelZh', before: '卫生健康', after: '医疗卫生' }]);
    expect((await t.admin.patch('/api/service-fields/no_such_field', { labelZh: '无' })).statusCode).toBe(404);
  });
});

describe('writes check fields against the table', () => {
  it('refuses an unknown field on organizations, activities and applications with the field named', async () => {
    const create = await t.admin.post('/api/organizations', {
      kind: 'community_org',
      name: '未知领域组织',
      jurisdictionId: subId,
      fields: ['health', 'astrology'],
    });
    expect(create.statusCode).toBe(422);
    expect(errorsOf(create.body)).toEqual(['fields.1:unknown_service_field']);

    const o = await org(['health']);
    const upd = await t.admin.patch(`/api/organizations/${o.id}`, { fields: ['astrology'] });
    expect(upd.statusCode).toBe(422);
    expect(errorsOf(upd.body)).toEqual(['fields.0:unknown_service_field']);

    const act = await t.admin.post(`/api/organizations/${o.id}/activities`, {
      occurredOn: '2026-01-05',
      title: '义诊',
      field: 'astrology',
    });
    expect(act.statusCode).toBe(422);
    expect(errorsOf(act.body)).toEqual(['field:unknown_service_field']);

    const app = await t.agent().post('/api/public/applications', {
      organization: { kind: 'community_org', name: '申请未知领域', jurisdictionId: subId, fields: ['astrology'] },
      personInCharge: { name: '赵敏', idNumber: idNumber(7), phone: '13900139000' },
      account: { username: 'fields.applicant', password: PASSWORD, displayName: '申请人' },
    });
    expect(app.statusCode).toBe(422);
    expect(errorsOf(app.body)).toEqual(['organization.fields.0:unknown_service_field']);
  });

  it('accepts a field the admin added', async () => {
    await t.admin.post('/api/service-fields', {
      code: 'digital_skills',
      labelZh: '数字技能',
      labelEn: 'Digital skills',
    });
    expect((await org(['digital_skills'])).fields).toEqual(['digital_skills']);
  });

  it('keeps a retired field where it is, filters on it, and refuses it for new values', async () => {
    await t.admin.post('/api/service-fields', { code: 'old_field', labelZh: '旧领域', labelEn: 'Old field' });
    const kept = await org(['old_field', 'education']);
    const retire = await t.admin.patch('/api/service-fields/old_field', { retired: true });
    expect(retire.statusCode, retire.body).toBe(200);
    expect(retire.json().retired).toBe(true);
    expect(
      ((await staff.get('/api/service-fields')).json().items as { code: string; retired: boolean }[]).find(
        (f) => f.code === 'old_field',
      ),
    ).toMatchObject({ retired: true });

    // Kept on the organization that has it, and it may stay through an edit of its fields.
    expect((await t.admin.get(`/api/organizations/${kept.id}`)).json().fields).toEqual(['old_field', 'education']);
    const keep = await t.admin.patch(`/api/organizations/${kept.id}`, { fields: ['old_field', 'health'] });
    expect(keep.statusCode, keep.body).toBe(200);
    // Usable in filters.
    const list = await t.admin.get(`/api/organizations?field=old_field&jurisdictionId=${subId}`);
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json().items as { id: number }[]).map((i) => i.id)).toEqual([kept.id]);

    // Refused for new values: a new organization, another organization's edit, an activity.
    const create = await t.admin.post('/api/organizations', {
      kind: 'community_org',
      name: '用旧领域的新组织',
      jurisdictionId: subId,
      fields: ['old_field'],
    });
    expect(create.statusCode).toBe(422);
    expect(errorsOf(create.body)).toEqual(['fields.0:retired_service_field']);
    const other = await org(['health']);
    const upd = await t.admin.patch(`/api/organizations/${other.id}`, { fields: ['health', 'old_field'] });
    expect(errorsOf(upd.body)).toEqual(['fields.1:retired_service_field']);
    const act = await t.admin.post(`/api/organizations/${kept.id}/activities`, {
      occurredOn: '2026-01-05',
      title: '旧活动',
      field: 'old_field',
    });
    expect(errorsOf(act.body)).toEqual(['field:retired_service_field']);

    // Brought back, it is accepted again.
    expect((await t.admin.patch('/api/service-fields/old_field', { retired: false })).json().retired).toBe(false);
    expect((await t.admin.patch(`/api/organizations/${other.id}`, { fields: ['old_field'] })).statusCode).toBe(200);
  });

  it('lets an applicant amend its application keeping a field retired since (the amend form sends it back)', async () => {
    await t.admin.post('/api/service-fields', { code: 'gone_later', labelZh: '后来停用', labelEn: 'Gone later' });
    const applied = await t.agent().post('/api/public/applications', {
      organization: { kind: 'community_org', name: '保留旧领域队', jurisdictionId: subId, fields: ['gone_later'] },
      personInCharge: { name: '孙丽', idNumber: '11010519491231002X', phone: '13800138000' },
      account: { username: 'kept.field.applicant', password: PASSWORD, displayName: '孙丽' },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    await t.admin.patch('/api/service-fields/gone_later', { retired: true });
    const applicant = t.agent();
    await applicant.login('kept.field.applicant', PASSWORD);
    const amend = await applicant.patch('/api/applications/mine', {
      organization: { kind: 'community_org', name: '保留旧领域服务队', fields: ['gone_later', 'health'] },
    });
    expect(amend.statusCode, amend.body).toBe(200);
    expect(amend.json().organization.fields).toEqual(['gone_later', 'health']);
    // A retired field it did not have stays refused.
    await t.admin.post('/api/service-fields', { code: 'never_had', labelZh: '未曾有', labelEn: 'Never had' });
    await t.admin.patch('/api/service-fields/never_had', { retired: true });
    const refused = await applicant.patch('/api/applications/mine', {
      organization: { kind: 'community_org', name: '保留旧领域服务队', fields: ['gone_later', 'never_had'] },
    });
    expect(errorsOf(refused.body)).toEqual(['organization.fields.1:retired_service_field']);
  });
});
