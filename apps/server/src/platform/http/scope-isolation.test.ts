import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@qiao/contracts';
import { pngImage } from '../../testing/images.js';
import { multipart, upload } from '../../testing/multipart.js';
import { fill, listOperations, resourceOf, sampleBody, type Operation } from '../../testing/openapi-ops.js';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';
import { notify } from '../../modules/notifications/notify.js';

// Everything of subdistrict A carries this marker, so a leak shows up in any answer's text.
const MARK = 'SECRET-A';
/** Resources shared by the whole city (the supermarket's catalogue): no subtree owns them, so B may act on them. */
const CITY_WIDE = new Set(['items']);

let t: TestApp;
let ops: Operation[];
const a: Record<string, number[]> = {};
const aIds: Record<string, number> = {};
const actorsOfB: [string, Agent][] = [];
let aDocId = 0;
/** The other path ids of A's objects under an organization: its document, activity and photo. */
const aMore: Record<string, number> = {};
let codeOfA = '';

/** A stable picture of everything A owns; nothing B does may change it. */
async function snapshotA() {
  const k = t.db.kysely;
  const path = (
    await k.selectFrom('jurisdictions').select('path').where('id', '=', aIds.districtA!).executeTakeFirstOrThrow()
  ).path;
  return JSON.stringify({
    jurisdictions: await k
      .selectFrom('jurisdictions')
      .selectAll()
      .where('path', 'like', `${path}%`)
      .orderBy('id')
      .execute(),
    centers: await k.selectFrom('centers').selectAll().where('jurisdiction_id', 'in', a.jurisdictions!).execute(),
    departments: await k
      .selectFrom('departments')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .orderBy('id')
      .execute(),
    users: await k
      .selectFrom('users')
      .select([
        'id',
        'username',
        'display_name',
        'role',
        'status',
        'jurisdiction_id',
        'department_id',
        'password_hash',
        'totp_enabled',
      ])
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .orderBy('id')
      .execute(),
    tokens: await k
      .selectFrom('api_tokens')
      .select(['id', 'name', 'revoked_at'])
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .execute(),
    organizations: await k
      .selectFrom('organizations')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .orderBy('id')
      .execute(),
    activities: await k.selectFrom('activities').selectAll().where('organization_id', 'in', a.organizations!).execute(),
    changeRequests: await k
      .selectFrom('organization_change_requests')
      .selectAll()
      .where('organization_id', 'in', a.organizations!)
      .execute(),
    applications: await k
      .selectFrom('applications')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .execute(),
    documents: await k.selectFrom('documents').selectAll().where('organization_id', 'in', a.organizations!).execute(),
    activityPhotos: await k
      .selectFrom('activity_photos')
      .selectAll()
      .where('organization_id', 'in', a.organizations!)
      .execute(),
    abnormalListings: await k
      .selectFrom('abnormal_listings')
      .selectAll()
      .where('organization_id', 'in', a.organizations!)
      .execute(),
    notifications: await k
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', 'in', a.users!)
      .orderBy('id')
      .execute(),
    cases: await k
      .selectFrom('cases')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .orderBy('id')
      .execute(),
    caseEvents: await k.selectFrom('case_events').selectAll().where('case_id', 'in', a.cases!).orderBy('id').execute(),
    caseReferrals: await k.selectFrom('case_referrals').selectAll().where('case_id', 'in', a.cases!).execute(),
    routing: await k.selectFrom('case_routing_rules').selectAll().orderBy('id').execute(),
    sla: await k.selectFrom('sla_policies').selectAll().orderBy('severity').execute(),
    notificationContacts: await k
      .selectFrom('notification_contacts')
      .selectAll()
      .where('user_id', 'in', a.users!)
      .execute(),
    households: await k.selectFrom('households').selectAll().where('jurisdiction_id', 'in', a.jurisdictions!).execute(),
    householdMembers: await k
      .selectFrom('household_members')
      .selectAll()
      .where('household_id', 'in', a.households!)
      .execute(),
    householdTasks: await k
      .selectFrom('household_duplicate_tasks')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .execute(),
    householdSettings: await k.selectFrom('household_settings').selectAll().execute(),
    aid: await k.selectFrom('aid_applications').selectAll().where('jurisdiction_id', 'in', a.jurisdictions!).execute(),
    aidEvidence: await k
      .selectFrom('aid_evidence')
      .selectAll()
      .where('application_id', 'in', a['aid-applications']!)
      .execute(),
    aidPayments: await k
      .selectFrom('aid_disbursements')
      .selectAll()
      .where('application_id', 'in', a['aid-applications']!)
      .execute(),
    volunteers: await k.selectFrom('volunteers').selectAll().where('jurisdiction_id', 'in', a.jurisdictions!).execute(),
    shifts: await k
      .selectFrom('volunteer_shifts')
      .selectAll()
      .where('jurisdiction_id', 'in', a.jurisdictions!)
      .execute(),
    hours: await k.selectFrom('volunteer_hours').selectAll().where('volunteer_id', 'in', a.volunteers!).execute(),
    stores: await k.selectFrom('stores').selectAll().where('jurisdiction_id', 'in', a.jurisdictions!).execute(),
    stock: await k.selectFrom('stock_movements').selectAll().where('store_id', 'in', a.stores!).orderBy('id').execute(),
    lots: await k.selectFrom('stock_lots').selectAll().where('store_id', 'in', a.stores!).orderBy('id').execute(),
    donations: await k.selectFrom('donations').selectAll().where('store_id', 'in', a.stores!).execute(),
    points: await k.selectFrom('points_entries').selectAll().where('household_id', 'in', a.households!).execute(),
    checkouts: await k.selectFrom('checkouts').selectAll().where('store_id', 'in', a.stores!).execute(),
    programs: await k.selectFrom('entitlement_programs').selectAll().execute(),
    importJobs: await k.selectFrom('registry_import_jobs').selectAll().where('id', 'in', a.registry!).execute(),
  });
}

/** True when a generated body points at one of A's objects (jurisdictionId, parentId, departmentId). */
function referencesA(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).some((k) => k in aIds && k !== 'districtA');
}

beforeAll(async () => {
  t = await buildTestApp();
  ops = await listOperations(t.app);
  const dA = await t.district(`${MARK}区`);
  const sA = await t.subdistrict(dA.id, `${MARK}街道`);
  const depA = (
    await t.admin.post('/api/departments', { name: `${MARK}民政科`, jurisdictionId: sA.id, kinds: ['civil_affairs'] })
  ).json();
  const userIds = [];
  for (const role of ['center_staff', 'volunteer', 'auditor'] as Role[]) {
    const u = await t.admin.post('/api/users', {
      username: `${MARK.toLowerCase()}.${role}`,
      password: PASSWORD,
      displayName: `${MARK}${role}`,
      role,
      jurisdictionId: sA.id,
    });
    userIds.push(u.json().id);
  }
  const officer = await t.admin.post('/api/users', {
    username: `${MARK.toLowerCase()}.dept`,
    password: PASSWORD,
    displayName: `${MARK}officer`,
    role: 'department_officer',
    jurisdictionId: sA.id,
    departmentId: depA.id,
  });
  userIds.push(officer.json().id);
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const token = (
    await t.admin.post('/api/tokens', {
      name: `${MARK} token`,
      jurisdictionId: sA.id,
      permissions: ['user:read'],
      expiresAt,
    })
  ).json();
  codeOfA = sA.code;
  a.jurisdictions = [dA.id, sA.id];
  a.departments = [depA.id];
  a.users = userIds;
  a.tokens = [token.id];
  const org = await t.admin.post('/api/organizations', {
    kind: 'community_org',
    name: `${MARK}助老服务队`,
    jurisdictionId: sA.id,
    personInCharge: { name: `${MARK}负责人`, idNumber: '11010519491231002X', phone: '13800138000' },
  });
  const active = await t.admin.post('/api/organizations', {
    kind: 'social_group',
    name: `${MARK}慈善协会`,
    uscc: '51310101MJ0000001A',
    jurisdictionId: sA.id,
  });
  await t.admin.post(`/api/organizations/${active.json().id}/status`, { status: 'active', reason: '已登记' });
  const activityA = await t.admin.post(`/api/organizations/${org.json().id}/activities`, {
    occurredOn: '2026-01-05',
    title: `${MARK}活动`,
  });
  const photoForm = multipart({}, [{ field: 'file', name: `${MARK}.png`, type: 'image/png', data: pngImage(4, 3) }]);
  const photoA = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${org.json().id}/activities/${activityA.json().id}/photos`,
    headers: { cookie: t.admin.cookie!, 'x-csrf-token': t.admin.csrfToken!, 'content-type': photoForm.contentType },
    payload: photoForm.payload,
  });
  if (photoA.statusCode !== 201) throw new Error(photoA.body);
  Object.assign(aMore, { activityId: activityA.json().id, photoId: photoA.json().id });
  const applied = await t.agent().post('/api/public/applications', {
    organization: { kind: 'community_org', name: `${MARK}申请队`, jurisdictionId: sA.id },
    personInCharge: { name: `${MARK}申请人`, idNumber: '11010519491231002X', phone: '13800138000' },
    account: { username: `${MARK.toLowerCase()}.applicant`, password: PASSWORD, displayName: `${MARK}申请人` },
  });
  const form = multipart({ type: 'charter' }, [
    { field: 'file', name: `${MARK}章程.pdf`, type: 'application/pdf', data: Buffer.from('%PDF-1.4 SECRET-A') },
  ]);
  const doc = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${org.json().id}/documents`,
    headers: { cookie: t.admin.cookie!, 'x-csrf-token': t.admin.csrfToken!, 'content-type': form.contentType },
    payload: form.payload,
  });
  if (applied.statusCode !== 201 || doc.statusCode !== 201) throw new Error(`${applied.body} ${doc.body}`);
  a.applications = [applied.json().id];
  aDocId = doc.json().id;
  aMore.docId = aDocId;
  a.organizations = [org.json().id, active.json().id, applied.json().organization.id];
  // A's officer asks to rename its active organization: a pending key-field change request of A.
  await t.admin.post('/api/users', {
    username: `${MARK.toLowerCase()}.ngo`,
    password: PASSWORD,
    displayName: `${MARK}机构专员`,
    role: 'ngo_officer',
    jurisdictionId: sA.id,
    organizationId: active.json().id,
  });
  const ngoA = t.agent();
  await ngoA.login(`${MARK.toLowerCase()}.ngo`, PASSWORD);
  const renamed = await ngoA.patch(`/api/organizations/${active.json().id}`, { name: `${MARK}慈善总会` });
  const changeA = await t.admin.get(`/api/organizations/${active.json().id}/change-request`);
  if (renamed.statusCode !== 200 || !changeA.json().item) throw new Error(`${renamed.body} ${changeA.body}`);
  a['organization-change-requests'] = [changeA.json().item.id];
  // Risk: a scan gives A's active organization signals and a level; A's listing on the abnormal-activity list.
  const scan = await t.admin.post('/api/risk-scans', {});
  if (scan.statusCode !== 200) throw new Error(scan.body);
  const listing = await t.db.kysely
    .insertInto('abnormal_listings')
    .values({
      organization_id: active.json().id,
      jurisdiction_path: `${(await t.db.kysely.selectFrom('jurisdictions').select('path').where('id', '=', sA.id).executeTakeFirstOrThrow()).path}`,
      reason: 'unreachable',
      listed_on: '2026-01-05',
      details: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  a['abnormal-listings'] = [listing.id];
  // Rules are the city's, not a subtree's: their ids are strings.
  a['risk-rules'] = ['certificate_expired'] as never;
  // Fields of service are the city's too: their ids are codes.
  a['service-fields'] = ['health'] as never;
  const notified = await t.db.kysely.transaction().execute((trx) =>
    notify(trx, {
      audience: { jurisdictionId: sA.id, roles: ['center_staff'] },
      kind: 'case.assigned',
      title: `${MARK}通知`,
      params: { caseId: 1 },
    }),
  );
  a.notifications = (
    await t.db.kysely.selectFrom('notifications').select('id').where('user_id', 'in', notified).execute()
  ).map((n) => n.id);
  const caseA = await t.admin.post('/api/cases', {
    category: 'elder_unreachable',
    severity: 'critical',
    description: `${MARK}老人失联`,
    jurisdictionId: sA.id,
    organizationId: org.json().id,
  });
  const rule = await t.admin.put('/api/case-routing-rules', {
    category: 'safety_hazard',
    jurisdictionId: sA.id,
    target: 'department',
    departmentId: depA.id,
  });
  const referred = await t.admin.post(`/api/cases/${caseA.json().id}/refer`, {
    departmentId: depA.id,
    reason: `${MARK}转办`,
  });
  if (caseA.statusCode !== 201 || rule.statusCode !== 200 || referred.statusCode !== 200)
    throw new Error(`${caseA.body} ${rule.body} ${referred.body}`);
  a.cases = [caseA.json().id];
  a['case-routing-rules'] = [rule.json().id];
  Object.assign(aIds, { districtA: dA.id, jurisdictionId: sA.id, parentId: dA.id, departmentId: depA.id });
  // Households of A: one verified with a member, and a refused duplicate that raised a task in A's district.
  const householdA = await t.admin.post('/api/households', {
    headName: `${MARK}户主`,
    idNumber: '11010519491231002X',
    category: 'subsistence_allowance',
    jurisdictionId: sA.id,
    phone: '13800138000',
  });
  const withMember = await t.admin.post(`/api/households/${householdA.json().id}/members`, {
    name: `${MARK}成员`,
    relation: 'child',
    seriousIllness: `${MARK}病`,
  });
  await t.admin.post(`/api/households/${householdA.json().id}/verify`, { note: `${MARK}认定` });
  const dupA = await t.admin.post('/api/households', {
    headName: `${MARK}重复`,
    idNumber: '11010519491231002X',
    category: 'low_income',
    jurisdictionId: sA.id,
  });
  if (householdA.statusCode !== 201 || withMember.statusCode !== 201 || dupA.statusCode !== 409)
    throw new Error(`${householdA.body} ${withMember.body} ${dupA.body}`);
  a.households = [householdA.json().id];
  a['household-members'] = [withMember.json().members[0].id];
  a['household-duplicate-tasks'] = (
    await t.db.kysely
      .selectFrom('household_duplicate_tasks')
      .select('id')
      .where('jurisdiction_id', '=', sA.id)
      .execute()
  ).map((r) => r.id);
  const aidA = await t.admin.post('/api/aid-applications', {
    householdId: householdA.json().id,
    kind: 'medical',
    amountFen: 10_000,
    reason: `${MARK}住院`,
    evidence: [`${MARK}诊断书`],
  });
  await t.admin.post(`/api/aid-applications/${aidA.json().id}/approve`, {});
  // A's evidence scan of that application, and A's volunteer linked to A's volunteer account.
  const evidence = multipart({}, [
    { field: 'file', name: `${MARK}诊断书.pdf`, type: 'application/pdf', data: Buffer.from('%PDF-1.4 SECRET-A') },
  ]);
  const evidenceA = await t.app.inject({
    method: 'POST',
    url: `/api/aid-applications/${aidA.json().id}/evidence`,
    headers: { cookie: t.admin.cookie!, 'x-csrf-token': t.admin.csrfToken!, 'content-type': evidence.contentType },
    payload: evidence.payload,
  });
  if (evidenceA.statusCode !== 201) throw new Error(evidenceA.body);
  const volunteerA = await t.admin.post('/api/volunteers', {
    name: `${MARK}志愿者`,
    jurisdictionId: sA.id,
    householdId: householdA.json().id,
    userId: userIds[1],
  });
  const shiftA = await t.admin.post('/api/volunteer-shifts', {
    jurisdictionId: sA.id,
    title: `${MARK}班次`,
    startsAt: '2026-01-05T01:00:00Z',
    endsAt: '2026-01-05T03:00:00Z',
  });
  const hoursA = await t.admin.post('/api/volunteer-hours', {
    volunteerId: volunteerA.json().id,
    shiftId: shiftA.json().id,
    workedOn: '2026-01-05',
    minutes: 120,
    description: `${MARK}收银`,
  });
  if ([aidA, volunteerA, shiftA, hoursA].some((r) => r.statusCode !== 201))
    throw new Error([aidA, volunteerA, shiftA, hoursA].map((r) => r.body).join(' '));
  a['aid-applications'] = [aidA.json().id];
  a.volunteers = [volunteerA.json().id];
  a['volunteer-hours'] = [hoursA.json().id];
  Object.assign(aIds, {
    householdId: householdA.json().id,
    volunteerId: volunteerA.json().id,
    shiftId: shiftA.json().id,
  });
  // The supermarket of A: a store with donated stock, points granted to A's household, one sale.
  // Items and programs are city-wide (everyone reads them), so they carry no marker.
  const storeA = await t.admin.post('/api/stores', { name: `${MARK}超市`, jurisdictionId: sA.id });
  const itemA = await t.admin.post('/api/items', { name: '大米', unit: '袋', pointsPrice: 5, category: '粮油' });
  const programA = await t.admin.post('/api/entitlement-programs', {
    name: '月度积分',
    period: 'month',
    pointsByCategory: { subsistence_allowance: 100 },
  });
  // A tracked item: A's lot carries the marker in its lot code.
  const milkA = await t.admin.post('/api/items', {
    name: '牛奶',
    unit: '盒',
    pointsPrice: 1,
    category: '食品',
    tracksExpiry: true,
  });
  const donationA = await t.admin.post('/api/donations', {
    storeId: storeA.json().id,
    donor: { name: `${MARK}捐赠人`, kind: 'person' },
    lines: [
      { itemId: itemA.json().id, quantity: 20 },
      { itemId: milkA.json().id, quantity: 5, expiresOn: '2099-12-31', lotCode: MARK },
    ],
  });
  await t.admin.post('/api/points/grants', { householdId: householdA.json().id, points: 50, reason: `${MARK}发放` });
  const saleA = await t.admin.request(
    'POST',
    '/api/checkouts',
    { storeId: storeA.json().id, householdId: householdA.json().id, lines: [{ itemId: itemA.json().id, quantity: 1 }] },
    { 'idempotency-key': 'scope-isolation-sale-A' },
  );
  if ([storeA, itemA, programA, donationA, saleA].some((r) => r.statusCode !== 201))
    throw new Error([storeA, itemA, programA, donationA, saleA].map((r) => r.body).join(' '));
  a.stores = [storeA.json().id];
  a.donations = [donationA.json().id];
  a.checkouts = (await t.db.kysely.selectFrom('checkouts').select('id').execute()).map((r) => r.id);
  a['stock-movements'] = (
    await t.db.kysely.selectFrom('stock_movements').select('id').where('kind', '=', 'donation_in').execute()
  ).map((r) => r.id);
  a['entitlement-programs'] = [programA.json().id];
  // The catalogue is city-wide (no marker, no jurisdiction): B may read and manage its items.
  a.items = [itemA.json().id, milkA.json().id];
  Object.assign(aIds, {
    districtA: dA.id,
    jurisdictionId: sA.id,
    parentId: dA.id,
    departmentId: depA.id,
    storeId: storeA.json().id,
    toStoreId: storeA.json().id,
    householdId: householdA.json().id,
  });
  // A background registry import started by A's district officer (its file name carries the marker).
  const importerA = await t.userAgent('district_officer', dA.id);
  const jobA = await upload(importerA, '/api/registry/imports?background=true', 'uscc,name\r\n', `${MARK}.csv`);
  if (jobA.statusCode !== 202) throw new Error(jobA.body);
  a.registry = [jobA.json().id];
  while ((await importerA.get(`/api/registry/import-jobs/${jobA.json().id}`)).json().status === 'running')
    await new Promise((r) => setTimeout(r, 5));

  const dB = await t.district('乙区');
  const sB = await t.subdistrict(dB.id, '乙街道');
  const depB = (await t.admin.post('/api/departments', { name: '乙民政科', jurisdictionId: sB.id })).json();
  const roles: [Role, number, { departmentId?: number }?][] = [
    ['center_staff', sB.id],
    ['volunteer', sB.id],
    ['department_officer', sB.id, { departmentId: depB.id }],
    ['district_officer', dB.id],
    ['auditor', dB.id],
    ['evaluator', dB.id],
    ['ngo_officer', sB.id],
  ];
  for (const [role, j, extra] of roles) actorsOfB.push([role, await t.userAgent(role, j, extra)]);
  // B's volunteer has a record of their own, so the /my/ routes run for real against A's ids.
  const volunteerOfB = actorsOfB.find(([role]) => role === 'volunteer')![1] as Agent & { username: string };
  const linkedB = await t.admin.post('/api/volunteers', {
    name: '乙志愿者',
    jurisdictionId: sB.id,
    userId: (
      await t.db.kysely
        .selectFrom('users')
        .select('id')
        .where('username', '=', volunteerOfB.username)
        .executeTakeFirstOrThrow()
    ).id,
  });
  if (linkedB.statusCode !== 201) throw new Error(linkedB.body);
  // An applicant of B: an ngo_officer account that may only follow its own application.
  await t.agent().post('/api/public/applications', {
    organization: { kind: 'community_org', name: '乙申请队', jurisdictionId: sB.id },
    personInCharge: { name: '乙', idNumber: '11010519491231002X', phone: '13800138000' },
    account: { username: 'b.applicant', password: PASSWORD, displayName: '乙申请人' },
  });
  const applicantB = t.agent();
  await applicantB.login('b.applicant', PASSWORD);
  actorsOfB.push(['applicant', applicantB]);
});
afterAll(() => t.close());

describe('a user of one subtree cannot read, list, change or learn of another’s', () => {
  // The walk grows with every route; on PostgreSQL under load it outgrows the default 30 s, and at a
  // load average of 15 on the shared 2-core machine (27 Nov 2026) it outgrew 120 s.
  it('walks every operation of the OpenAPI document as every role of B', { timeout: 300_000 }, async () => {
    const before = await snapshotA();
    const checked: string[] = [];
    for (const op of ops.filter((o) => !o.isPublic && o.operationId !== 'logout')) {
      for (const [role, agent] of actorsOfB) {
        const body = op.method === 'GET' ? undefined : sampleBody(op.bodySchema, aIds, `${MARK}-written-by-B`);
        const targets = op.path.includes('{id}') ? (a[resourceOf(op.path)] ?? []) : [null];
        expect(targets.length, `${op.operationId} has ids of A to try`).toBeGreaterThan(0);
        for (const id of targets) {
          const url = id === null ? op.path : fill(op.path, id, aMore);
          const query =
            op.method === 'GET' && 'jurisdictionId' in op.querySchema ? `?jurisdictionId=${aIds.jurisdictionId}` : '';
          for (const q of query ? ['', query] : ['']) {
            const res = await agent.request(op.method, url + q, body as never);
            const where = `${role} ${op.method} ${url}${q} → ${res.statusCode} ${res.body.slice(0, 200)}`;
            expect(res.statusCode, where).toBeLessThan(500);
            expect(res.body, where).not.toContain(MARK);
            if (id !== null && !CITY_WIDE.has(resourceOf(op.path))) {
              // Out of scope must look exactly like missing.
              const missing = await agent.request(op.method, fill(op.path, 987654, aMore) + q, body as never);
              expect(res.statusCode, where).not.toBeLessThan(300);
              expect([res.statusCode, res.json().code], where).toEqual([missing.statusCode, missing.json().code]);
            } else if (id === null && referencesA(body)) {
              expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
            }
            checked.push(op.operationId);
          }
        }
      }
    }
    expect(new Set(checked).size).toBe(ops.filter((o) => !o.isPublic).length - 1);
    expect(await snapshotA()).toBe(before);
  });

  it('uploads registry files naming A’s organizations and jurisdictions to every multipart route as every role of B', async () => {
    const before = await snapshotA();
    const uploads = ops.filter((o) => o.isMultipart && resourceOf(o.path) === 'registry');
    expect(uploads.length).toBeGreaterThan(0);
    const file = [
      'uscc,name,kind,legal_representative,registered_on,status,authority,address,jurisdiction_code',
      `51310101MJ0000001A,${MARK}-written-by-B,社会团体,某人,2020-01-01,注销,某局,某路,`,
      `51310101MJ0000001A,${MARK}-written-by-B,社会团体,某人,2020-01-01,注销,某局,某路,${codeOfA}`,
    ].join('\r\n');
    // importRegistry also runs in the background: the job's summary must say the same.
    const targets = uploads.flatMap((op) =>
      op.operationId === 'importRegistry' ? [op, { ...op, path: `${op.path}?background=true` }] : [op],
    );
    for (const op of targets) {
      for (const [role, agent] of actorsOfB) {
        let res = await upload(agent, op.path, file);
        let summary = () => res.json();
        if (res.statusCode === 202) {
          const url = `/api/registry/import-jobs/${res.json().id}`;
          while ((res = await agent.get(url)).json().status === 'running') await new Promise((r) => setTimeout(r, 5));
          expect(res.json().status, `${url} ${res.body}`).toBe('done');
          summary = () => res.json().result;
        }
        const where = `${role} ${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        expect(res.body, where).not.toContain(MARK);
        if (res.statusCode === 200 && op.operationId === 'importRegistry') {
          expect(summary(), where).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
          expect(
            summary().rejected.flatMap((r: { errors: { code: string }[] }) => r.errors.map((e) => e.code)),
          ).toEqual(['out_of_scope', 'out_of_scope']);
        }
      }
    }
    expect(await snapshotA()).toBe(before);
  });

  it('lists of B never include A, while A’s own staff see their data', async () => {
    const staffA = t.agent();
    await staffA.login(`${MARK.toLowerCase()}.center_staff`, PASSWORD);
    const own = await staffA.get('/api/users');
    expect(own.body).toContain(MARK);
    const [, staffB] = actorsOfB[0]!;
    expect((await staffB.get('/api/users')).json().items.length).toBeGreaterThan(0);
  });
});
