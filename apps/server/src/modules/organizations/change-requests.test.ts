import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';

const USCC = '51310101MJ0000001A';
const OTHER_USCC = '51310101MJ0000002D';
const ID_NUMBER = '11010519491231002X';
const NEW_ID = '110105198001010016';

let t: TestApp;
let subId: number;
let otherSubId: number;
let orgId: number;
let officer: Agent;
let staff: Agent;
beforeAll(async () => {
  t = await buildTestApp();
  const d = await t.district();
  subId = (await t.subdistrict(d.id)).id;
  otherSubId = (await t.subdistrict(d.id)).id;
  const org = await t.admin.post('/api/organizations', {
    kind: 'social_group',
    name: '浦江慈善协会',
    uscc: USCC,
    jurisdictionId: subId,
    personInCharge: { name: '王芳', idNumber: ID_NUMBER, phone: '13800138000' },
  });
  expect(org.statusCode, org.body).toBe(201);
  orgId = org.json().id;
  expect(
    (await t.admin.post(`/api/organizations/${orgId}/status`, { status: 'active', reason: '已登记' })).statusCode,
  ).toBe(200);
  const user = await t.admin.post('/api/users', {
    username: 'officer.keyreview',
    password: PASSWORD,
    displayName: '机构专员',
    role: 'ngo_officer',
    jurisdictionId: subId,
    organizationId: orgId,
  });
  expect(user.statusCode, user.body).toBe(201);
  officer = t.agent();
  expect((await officer.login('officer.keyreview', PASSWORD)).statusCode).toBe(200);
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

const org = async () => (await t.admin.get(`/api/organizations/${orgId}`)).json();
const auditActions = async () =>
  (
    await t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'organization')
      .where('entity_id', '=', String(orgId) as never)
      .orderBy('id')
      .execute()
  ).map((e) => e.action);

describe('an officer’s changes to its organization', () => {
  it('applies other fields at once and sends key fields to review, personal data masked', async () => {
    const before = await org();
    const res = await officer.patch(`/api/organizations/${orgId}`, {
      name: '浦江慈善总会',
      address: '浦江路1号',
      membersCount: 30,
      personInCharge: { name: '李强', idNumber: NEW_ID, phone: '13900139000' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ name: '浦江慈善协会', address: '浦江路1号', membersCount: 30 });
    expect(after.version).toBe(before.version + 1);
    expect(after.personInCharge.name).toBe('王芳');

    const pending = (await officer.get(`/api/organizations/${orgId}/change-request`)).json().item;
    expect(pending).toMatchObject({
      status: 'pending',
      organizationId: orgId,
      changes: {
        name: '浦江慈善总会',
        personInCharge: { name: '李强', idNumber: '1101**********0016', phone: '139****9000' },
      },
    });
    const stored = await t.db.kysely.selectFrom('organization_change_requests').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(NEW_ID);
    expect(JSON.stringify(stored)).not.toContain('13900139000');
    const events = await t.db.kysely.selectFrom('audit_events').select(['action', 'details']).execute();
    expect(JSON.stringify(events)).not.toContain(NEW_ID);
    expect(await auditActions()).toContain('organization.change_request');

    const queue = (await staff.get('/api/organization-change-requests')).json().items;
    expect(queue.map((r: { id: number }) => r.id)).toEqual([pending.id]);
    expect(queue[0].organizationName).toBe('浦江慈善协会');
  });

  it('refuses a second key-field request while one is pending, without applying anything', async () => {
    const before = await org();
    const res = await officer.patch(`/api/organizations/${orgId}`, { name: '另一个名字', staffCount: 9 });
    expect(res.statusCode, res.body).toBe(409);
    const after = await org();
    expect(after.staffCount).toBe(before.staffCount);
    expect(after.version).toBe(before.version);
    // Other fields still apply while the request waits.
    const other = await officer.patch(`/api/organizations/${orgId}`, { staffCount: 9, name: before.name });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().staffCount).toBe(9);
  });

  it('validates the requested values like updateOrganization', async () => {
    const bad = await officer.patch(`/api/organizations/${orgId}`, { uscc: 'not-a-code', name: '' });
    expect(bad.statusCode).toBe(422);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['uscc', 'name']));
    const contact = await officer.patch(`/api/organizations/${orgId}`, { contactStatus: 'unreachable' });
    expect(contact.statusCode).toBe(422);
    const toFiled = await officer.patch(`/api/organizations/${orgId}`, { kind: 'community_org' });
    expect(toFiled.statusCode).toBe(422);
  });

  it('lets only staff of the subtree decide; the officer and other subdistricts get 403/404', async () => {
    const pending = (await officer.get(`/api/organizations/${orgId}/change-request`)).json().item;
    expect((await officer.post(`/api/organization-change-requests/${pending.id}/approve`)).statusCode).toBe(403);
    expect((await officer.get('/api/organization-change-requests')).statusCode).toBe(403);
    const stranger = await t.userAgent('center_staff', otherSubId);
    expect((await stranger.post(`/api/organization-change-requests/${pending.id}/approve`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/organizations/${orgId}/change-request`)).statusCode).toBe(404);
    expect((await stranger.get('/api/organization-change-requests')).json().items).toEqual([]);
  });

  it('applies an approved request with a version and audit event, like a staff edit', async () => {
    const before = await org();
    const pending = (await staff.get(`/api/organizations/${orgId}/change-request`)).json().item;
    const res = await staff.post(`/api/organization-change-requests/${pending.id}/approve`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', decidedByName: expect.any(String) });
    const after = await org();
    expect(after).toMatchObject({ name: '浦江慈善总会', version: before.version + 1 });
    expect(after.personInCharge).toMatchObject({ name: '李强', idNumber: '1101**********0016', masked: true });
    const clear = (await t.admin.post(`/api/organizations/${orgId}/reveal`, { reason: '核对负责人' })).json();
    expect(clear).toEqual({ idNumber: NEW_ID, phone: '13900139000' });
    const versions = (await t.admin.get(`/api/organizations/${orgId}/versions`)).json().items;
    expect(versions[0]).toMatchObject({ action: 'organization.update', reason: `change request ${pending.id}` });
    expect(versions[0].changes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining(['name', 'personInCharge']),
    );
    expect((await auditActions()).slice(-3)).toEqual([
      'organization.update',
      'organization.change_approve',
      'organization.reveal',
    ]);
    expect((await staff.post(`/api/organization-change-requests/${pending.id}/approve`)).statusCode).toBe(409);
    expect((await staff.get('/api/organization-change-requests')).json().items).toEqual([]);
    const told = (await officer.get('/api/notifications')).json().items[0];
    expect(told).toMatchObject({ kind: 'organization.change_approved', link: `/organizations/${orgId}` });
  });

  it('keeps a rejected request’s values out and shows the officer the reason', async () => {
    const res = await officer.patch(`/api/organizations/${orgId}`, { uscc: OTHER_USCC });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().uscc).toBe(USCC);
    const pending = (await officer.get(`/api/organizations/${orgId}/change-request`)).json().item;
    expect(pending.changes).toEqual({ uscc: OTHER_USCC });
    const noReason = await staff.post(`/api/organization-change-requests/${pending.id}/reject`, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    const rejected = await staff.post(`/api/organization-change-requests/${pending.id}/reject`, {
      reason: '证书上的代码不一致',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await org()).uscc).toBe(USCC);
    const seen = (await officer.get(`/api/organizations/${orgId}/change-request`)).json().item;
    expect(seen).toMatchObject({ status: 'rejected', reason: '证书上的代码不一致' });
    expect((await officer.get('/api/notifications')).json().items[0]).toMatchObject({
      kind: 'organization.change_rejected',
      params: { reason: '证书上的代码不一致' },
    });
    expect((await auditActions()).at(-1)).toBe('organization.change_reject');
    // A new request may follow a decided one.
    expect((await officer.patch(`/api/organizations/${orgId}`, { name: '浦江公益协会' })).statusCode).toBe(200);
    expect((await officer.get(`/api/organizations/${orgId}/change-request`)).json().item.status).toBe('pending');
  });

  it('refuses to approve a USCC another organization took meanwhile (409), leaving it pending', async () => {
    const pendingName = (await staff.get(`/api/organizations/${orgId}/change-request`)).json().item;
    await staff.post(`/api/organization-change-requests/${pendingName.id}/reject`, { reason: '先处理代码' });
    expect((await officer.patch(`/api/organizations/${orgId}`, { uscc: OTHER_USCC })).statusCode).toBe(200);
    const pending = (await staff.get(`/api/organizations/${orgId}/change-request`)).json().item;
    const taken = await t.admin.post('/api/organizations', {
      kind: 'foundation',
      name: '另一基金会',
      uscc: OTHER_USCC,
      jurisdictionId: subId,
    });
    expect(taken.statusCode, taken.body).toBe(201);
    expect((await staff.post(`/api/organization-change-requests/${pending.id}/approve`)).statusCode).toBe(409);
    expect((await staff.get(`/api/organizations/${orgId}/change-request`)).json().item.status).toBe('pending');
    expect((await org()).uscc).toBe(USCC);
  });

  it('keeps staff edits direct', async () => {
    const res = await staff.patch(`/api/organizations/${orgId}`, { name: '浦江慈善协会二' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('浦江慈善协会二');
  });
});
