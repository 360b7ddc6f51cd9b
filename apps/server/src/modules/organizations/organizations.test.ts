import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, PASSWORD, type TestApp } from '../../testing/test-app.js';

const USCC = '51310101MJ0000001A';
const ID_NUMBER = '11010519491231002X';

let t: TestApp;
let districtId: number;
let subId: number;
let subCode: string;
beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
  const s = await t.subdistrict(districtId);
  subId = s.id;
  subCode = s.code;
});
afterAll(() => t.close());

const create = (body: Record<string, unknown>) =>
  t.admin.post('/api/organizations', { jurisdictionId: subId, ...body });

describe('entering organizations', () => {
  it('creates a registered organization as a draft with personal data sealed and masked', async () => {
    const res = await create({
      kind: 'social_group',
      name: ' 浦江慈善\u200B协会 ',
      uscc: USCC.toLowerCase(),
      personInCharge: { name: '王芳', idNumber: ID_NUMBER, phone: '138 0013 8000' },
      fields: ['elderly_care', 'poverty_relief'],
      partyBranch: { kind: 'standalone', membersCount: 5 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({
      kind: 'social_group',
      name: '浦江慈善协会',
      uscc: USCC,
      status: 'draft',
      filingNumber: null,
      version: 1,
      usccWarning: null,
    });
    expect(org.personInCharge).toEqual({
      name: '王芳',
      idNumber: '1101**********002X',
      phone: '138****8000',
      masked: true,
    });
    const row = await t.db.kysely
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(ID_NUMBER);
    expect(JSON.stringify(row)).not.toContain('13800138000');
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select('changes')
      .where('entity_type', '=', 'organization')
      .where('entity_id', '=', String(org.id))
      .execute();
    expect(JSON.stringify(events)).not.toContain(ID_NUMBER);
  });

  it('files a community organization with its number and no USCC', async () => {
    const a = (await create({ kind: 'community_org', name: '银龄互助队' })).json();
    const b = (await create({ kind: 'community_org', name: '楼组读书会' })).json();
    const year = new Date().getUTCFullYear();
    expect(a.filingNumber).toBe(`${subCode}-${year}-0001`);
    expect(b.filingNumber).toBe(`${subCode}-${year}-0002`);
    const withUscc = await create({ kind: 'community_org', name: '某队', uscc: USCC });
    expect(withUscc.json().errors).toContainEqual(expect.objectContaining({ field: 'uscc', code: 'not_allowed' }));
  });

  it('validates the USCC, the ID number and the phone, naming each field', async () => {
    const res = await create({
      kind: 'foundation',
      name: '某基金会',
      uscc: '51310101MJ00000012',
      personInCharge: { name: '李', idNumber: '110105194912310021', phone: '12345' },
    });
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'uscc:invalid_uscc',
        'personInCharge.idNumber:invalid_id_number',
        'personInCharge.phone:invalid_format',
      ]),
    );
    const missing = await create({ kind: 'foundation', name: '某基金会' });
    expect(missing.json().errors).toContainEqual(expect.objectContaining({ field: 'uscc', code: 'required' }));
  });

  it('refuses a duplicate USCC with 409 and warns on a code not issued by civil affairs', async () => {
    const dup = await create({ kind: 'social_group', name: '另一个协会', uscc: USCC });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_uscc');
    const business = await create({ kind: 'social_service_agency', name: '某服务社', uscc: '91350100M000100Y43' });
    expect(business.statusCode).toBe(201);
    expect(business.json().usccWarning).toMatch(/civil-affairs/);
  });

  it('puts organizations in subdistricts only', async () => {
    const res = await t.admin.post('/api/organizations', {
      kind: 'community_org',
      name: '某队',
      jurisdictionId: districtId,
    });
    expect(res.json().errors[0]).toMatchObject({ field: 'jurisdictionId', code: 'level_mismatch' });
  });
});

describe('the lifecycle and the change history', () => {
  it('moves through review to active and records each step with its reason', async () => {
    const org = (await create({ kind: 'community_org', name: '阳光志愿队' })).json();
    for (const status of ['submitted', 'under_review', 'active']) {
      const res = await t.admin.post(`/api/organizations/${org.id}/status`, { status, reason: `审核：${status}` });
      expect(res.statusCode, res.body).toBe(200);
    }
    const bad = await t.admin.post(`/api/organizations/${org.id}/status`, { status: 'submitted', reason: '再提交' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().code).toBe('invalid_transition');
    expect(
      (await t.admin.post(`/api/organizations/${org.id}/status`, { status: 'suspended', reason: '' })).statusCode,
    ).toBe(422);
    const history = (await t.admin.get(`/api/organizations/${org.id}/versions`)).json().items;
    expect(history.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
    expect(history[0]).toMatchObject({
      action: 'organization.status',
      reason: '审核:active',
      actorName: 'admin',
      changes: [{ field: 'status', before: 'under_review', after: 'active' }],
    });
    // People recognize a display name, not a username: the history shows the account's.
    const admin = await t.db.kysely
      .selectFrom('users')
      .select('display_name')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(admin.display_name).not.toBe('admin');
    expect(history[0].actorDisplayName).toBe(admin.display_name);
  });

  it('updates partially, keeps a version per change, and upgrades a filed organization keeping its number', async () => {
    const org = (
      await create({ kind: 'community_org', name: '邻里守望队', personInCharge: { name: '赵', idNumber: ID_NUMBER } })
    ).json();
    const renamed = await t.admin.patch(`/api/organizations/${org.id}`, { name: '邻里守望服务队', membersCount: 12 });
    expect(renamed.json()).toMatchObject({
      name: '邻里守望服务队',
      membersCount: 12,
      kind: 'community_org',
      version: 2,
    });
    expect(
      (await t.admin.patch(`/api/organizations/${org.id}`, { kind: 'social_group' })).json().errors[0],
    ).toMatchObject({ field: 'uscc', code: 'required' });
    const upgraded = await t.admin.patch(`/api/organizations/${org.id}`, {
      kind: 'social_group',
      uscc: '51310101MJ0000002D',
    });
    expect(upgraded.statusCode, upgraded.body).toBe(200);
    expect(upgraded.json()).toMatchObject({ kind: 'social_group', filingNumber: org.filingNumber, version: 3 });
    const history = (await t.admin.get(`/api/organizations/${org.id}/versions`)).json().items;
    expect(history[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: '邻里守望队', after: '邻里守望服务队' },
        { field: 'membersCount', before: null, after: 12 },
      ]),
    );
    const back = await t.admin.patch(`/api/organizations/${org.id}`, { kind: 'community_org' });
    expect(back.json().errors[0]).toMatchObject({ field: 'kind', code: 'not_allowed' });
  });

  it('clears optional fields sent as null, keeps those left out, and refuses null for required ones', async () => {
    const org = (
      await create({
        kind: 'community_org',
        name: '夕阳红合唱团',
        nameEn: 'Sunset Choir',
        foundedOn: '2015-06-01',
        address: '某路3号',
        membersCount: 30,
        needs: { tags: ['场地'], text: '排练场地' },
        partyBranch: { kind: 'joint', membersCount: 3 },
        certificateExpiresOn: '2030-01-01',
        personInCharge: { name: '孙', idNumber: ID_NUMBER, phone: '13800138000' },
      })
    ).json();
    expect(org.partyBranch).not.toBeNull();
    const res = await t.admin.patch(`/api/organizations/${org.id}`, {
      nameEn: null,
      foundedOn: null,
      address: null,
      membersCount: null,
      needs: null,
      partyBranch: null,
      certificateExpiresOn: null,
      personInCharge: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: '夕阳红合唱团',
      nameEn: null,
      foundedOn: null,
      address: null,
      membersCount: null,
      needs: null,
      partyBranch: null,
      certificateExpiresOn: null,
      personInCharge: null,
      version: 2,
    });
    const row = await t.db.kysely
      .selectFrom('organizations')
      .select(['party_branch_kind', 'pic_id_sealed', 'pic_id_index', 'pic_phone_sealed'])
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    // The person's sealed ID number, its index and phone go with them, not just the name.
    expect(row).toEqual({ party_branch_kind: 'none', pic_id_sealed: null, pic_id_index: null, pic_phone_sealed: null });
    const history = (await t.admin.get(`/api/organizations/${org.id}/versions`)).json().items;
    expect(history[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'address', before: '某路3号', after: null },
        { field: 'membersCount', before: 30, after: null },
      ]),
    );
    const required = await t.admin.patch(`/api/organizations/${org.id}`, { name: null, kind: null, fields: null });
    expect(required.statusCode).toBe(422);
    expect(
      required
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['fields', 'kind', 'name']);
  });

  it('reveals personal data only with a reason, and audits it', async () => {
    const org = (
      await create({
        kind: 'community_org',
        name: '健康讲堂',
        personInCharge: { name: '钱', idNumber: ID_NUMBER, phone: '13800138000' },
      })
    ).json();
    expect((await t.admin.post(`/api/organizations/${org.id}/reveal`, {})).statusCode).toBe(422);
    const res = await t.admin.post(`/api/organizations/${org.id}/reveal`, { reason: '核实负责人身份' });
    expect(res.json()).toEqual({ idNumber: ID_NUMBER, phone: '13800138000' });
    // A new phone alone keeps the ID number; null clears.
    await t.admin.patch(`/api/organizations/${org.id}`, { personInCharge: { name: '钱', phone: '13900139000' } });
    expect((await t.admin.post(`/api/organizations/${org.id}/reveal`, { reason: '核实' })).json()).toEqual({
      idNumber: ID_NUMBER,
      phone: '13900139000',
    });
    await t.admin.patch(`/api/organizations/${org.id}`, { personInCharge: { name: '钱', idNumber: null } });
    expect((await t.admin.post(`/api/organizations/${org.id}/reveal`, { reason: '核实' })).json()).toEqual({
      idNumber: null,
      phone: '13900139000',
    });
    const event = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'organization.reveal')
      .where('entity_id', '=', String(org.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.details!)).toMatchObject({ reason: '核实负责人身份' });
    const evaluator = await t.userAgent('evaluator', districtId);
    expect((await evaluator.post(`/api/organizations/${org.id}/reveal`, { reason: '想看看' })).statusCode).toBe(403);
  });
});

describe('who sees and does what', () => {
  it('lets district officers deregister but not suspend; an organization’s officer sees and submits only its own', async () => {
    const org = (await create({ kind: 'community_org', name: '书画社' })).json();
    const other = (await create({ kind: 'community_org', name: '合唱团' })).json();
    const officer = t.agent();
    await t.admin.post('/api/users', {
      username: 'ngo.officer1',
      password: PASSWORD,
      displayName: '社团负责人',
      role: 'ngo_officer',
      jurisdictionId: subId,
      organizationId: org.id,
    });
    await officer.login('ngo.officer1', PASSWORD);
    expect((await officer.get('/api/organizations')).json().items.map((o: { id: number }) => o.id)).toEqual([org.id]);
    expect((await officer.get(`/api/organizations/${other.id}`)).statusCode).toBe(404);
    expect((await officer.patch(`/api/organizations/${org.id}`, { name: '改名' })).statusCode).toBe(403);
    expect(
      (await officer.post(`/api/organizations/${org.id}/status`, { status: 'active', reason: '自己激活' })).statusCode,
    ).toBe(403);
    expect(
      (await officer.post(`/api/organizations/${org.id}/status`, { status: 'submitted', reason: '提交备案' }))
        .statusCode,
    ).toBe(200);
    const act = await officer.post(`/api/organizations/${org.id}/activities`, {
      occurredOn: '2026-03-01',
      title: '重阳节书画义卖',
      participants: 30,
      beneficiaries: 120,
      field: 'elderly_care',
    });
    expect(act.statusCode, act.body).toBe(201);
    expect(
      (await officer.post(`/api/organizations/${other.id}/activities`, { occurredOn: '2026-03-01', title: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await officer.post(`/api/organizations/${org.id}/activities`, { occurredOn: '2999-01-01', title: '未来' }))
        .statusCode,
    ).toBe(422);
    expect((await t.admin.get(`/api/organizations/${org.id}/activities`)).json().items[0]).toMatchObject({
      title: '重阳节书画义卖',
      recordedBy: 'ngo.officer1',
    });

    await t.admin.post(`/api/organizations/${other.id}/status`, { status: 'active', reason: '已存在' });
    const district = await t.userAgent('district_officer', districtId);
    expect(
      (await district.post(`/api/organizations/${other.id}/status`, { status: 'suspended', reason: 'x' })).statusCode,
    ).toBe(403);
    const dereg = await district.post(`/api/organizations/${other.id}/status`, {
      status: 'deregistered',
      reason: '自行解散',
      effectiveOn: '2026-06-30',
    });
    expect(dereg.json().status).toBe('deregistered');
  });
});

describe('lists and search', () => {
  it('filters, searches Chinese substrings of any length, matches codes exactly and pages by name', async () => {
    const sub = (await t.subdistrict(districtId)).id;
    const names = ['助老服务中心', '阳光助老队', '青少年科普社', '慈善超市志愿队', '社区助残协会'];
    for (const name of names)
      await t.admin.post('/api/organizations', { kind: 'community_org', name, jurisdictionId: sub });
    const list = async (qs: string) => (await t.admin.get(`/api/organizations?jurisdictionId=${sub}&${qs}`)).json();
    expect((await list('q=助老')).items.map((o: { name: string }) => o.name)).toEqual(['助老服务中心', '阳光助老队']);
    expect((await list('q=助老服务')).items.map((o: { name: string }) => o.name)).toEqual(['助老服务中心']);
    expect((await list('q=老')).items).toHaveLength(2);
    expect((await list('q=100%25')).items).toEqual([]);
    const filing = (await list('q=志愿')).items[0].filingNumber;
    expect(
      (await t.admin.get(`/api/organizations?q=${filing}`)).json().items.map((o: { name: string }) => o.name),
    ).toEqual(['慈善超市志愿队']);
    expect((await t.admin.get(`/api/organizations?q=${USCC.toLowerCase()}`)).json().items[0].uscc).toBe(USCC);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = await list(
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((o) => o.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort());
    expect((await list('status=active')).items).toEqual([]);
    expect((await list('kind=foundation')).items).toEqual([]);
  });
});

describe('the public directory', () => {
  it('shows active organizations without personal data, with their status history', async () => {
    const org = (
      await create({
        kind: 'community_org',
        name: '公开的助老队',
        personInCharge: { name: '孙', idNumber: ID_NUMBER, phone: '13800138000' },
      })
    ).json();
    const hidden = (await create({ kind: 'community_org', name: '尚未审核的助老队' })).json();
    await t.admin.post(`/api/organizations/${org.id}/status`, {
      status: 'active',
      reason: '已备案',
      effectiveOn: '2010-01-15',
    });
    const anon = t.agent();
    const list = (await anon.get('/api/public/organizations?q=助老队')).json();
    expect(list.items.map((o: { name: string }) => o.name)).toEqual(['公开的助老队']);
    // The jurisdiction in both languages, so English readers see its English name.
    expect(list.items[0]).toMatchObject({ jurisdictionEn: null });
    expect((await t.admin.patch(`/api/jurisdictions/${subId}`, { nameEn: 'Riverside Subdistrict' })).statusCode).toBe(
      200,
    );
    const one = await anon.get(`/api/public/organizations/${org.id}`);
    expect(one.json()).toMatchObject({
      name: '公开的助老队',
      status: 'active',
      jurisdictionEn: 'Riverside Subdistrict',
      statusHistory: [{ status: 'active', on: '2010-01-15' }],
    });
    expect(typeof one.json().jurisdiction).toBe('string');
    expect(one.body).not.toMatch(/孙|1380|110105|personInCharge/);
    expect((await anon.get(`/api/public/organizations/${hidden.id}`)).statusCode).toBe(404);
  });
});

describe('filtering by field of service', () => {
  it('matches the code exactly: `_` in a code is not a wildcard', async () => {
    for (const code of ['pet_care', 'petxcare'])
      expect((await t.admin.post('/api/service-fields', { code, labelZh: code, labelEn: code })).statusCode).toBe(201);
    const a = (await create({ kind: 'community_org', name: '宠物关爱小组', fields: ['petxcare'] })).json();
    const b = (await create({ kind: 'community_org', name: '宠物照护小组', fields: ['pet_care'] })).json();
    const ids = async (field: string) =>
      (await t.admin.get(`/api/organizations?field=${field}`)).json().items.map((o: { id: number }) => o.id);
    expect(await ids('pet_care')).toEqual([b.id]);
    expect(await ids('petxcare')).toEqual([a.id]);
  });
});
