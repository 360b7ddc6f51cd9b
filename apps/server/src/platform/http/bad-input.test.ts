import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pngImage } from '../../testing/images.js';
import { multipart, multipartFile } from '../../testing/multipart.js';
import { fill, listOperations, resourceOf, sampleBody, type Operation } from '../../testing/openapi-ops.js';
import { ADMIN_PASSWORD, buildTestApp, PASSWORD, type TestApp } from '../../testing/test-app.js';
import { notify } from '../../modules/notifications/notify.js';

/** Values that have broken servers: injections, wrong types, unicode edge cases, extremes. */
const corpus: unknown[] = [
  "'; DROP TABLE users; --",
  '1 OR 1=1',
  '" OR ""="',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  '３１０１０１',
  '１２３４５６７８９',
  'a\u200Bb',
  '\u202Eevil',
  '\uFEFF',
  '\u0000',
  'line\nbreak',
  '\uD800',
  '👨‍👩‍👧‍👦'.repeat(50),
  'e\u0301'.repeat(200),
  'x'.repeat(100_000),
  '',
  ' ',
  -1,
  0,
  1.5,
  1e308,
  -0,
  2 ** 63,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  null,
  [],
  [1, 2, 3],
  {},
  { $gt: '' },
  { __proto__: { admin: true } },
];

/** Whole bodies that are not what any route wants, sent raw. */
const rawBodies: { payload: string; contentType: string }[] = [
  { payload: '{"a":', contentType: 'application/json' },
  { payload: '', contentType: 'application/json' },
  { payload: 'null', contentType: 'application/json' },
  { payload: '[]', contentType: 'application/json' },
  { payload: '"string"', contentType: 'application/json' },
  { payload: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
  { payload: '{"constructor":{"prototype":{"isAdmin":true}}}', contentType: 'application/json' },
  { payload: '['.repeat(50_000) + ']'.repeat(50_000), contentType: 'application/json' },
  { payload: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), contentType: 'application/json' },
  { payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }), contentType: 'application/json' },
  { payload: 'name=x', contentType: 'application/x-www-form-urlencoded' },
  { payload: '<xml/>', contentType: 'text/xml' },
  { payload: '{"name":"x"}', contentType: 'text/plain' },
];

let t: TestApp;
const seen = new Map<number, number>();
let writes: Operation[];
let ngoOfficer: ReturnType<TestApp['agent']>;
let ownVolunteer: ReturnType<TestApp['agent']>;
let officerOrgId: number;
let reads: Operation[];
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const ops = await listOperations(t.app);
  // Logging out or changing the admin's own password would only end the session under test.
  writes = ops.filter((o) => o.method !== 'GET' && !['logout', 'login'].includes(o.operationId));
  reads = ops.filter((o) => o.method === 'GET' && !o.isPublic);
  const d = await t.district();
  const s = await t.subdistrict(d.id);
  const dep = (await t.admin.post('/api/departments', { name: '民政科', jurisdictionId: s.id })).json();
  const user = (
    await t.admin.post('/api/users', {
      username: 'target.user',
      password: PASSWORD,
      displayName: '目标',
      role: 'center_staff',
      jurisdictionId: s.id,
    })
  ).json();
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const token = (
    await t.admin.post('/api/tokens', { name: 'tok', jurisdictionId: s.id, permissions: ['user:read'], expiresAt })
  ).json();
  const org = (
    await t.admin.post('/api/organizations', { kind: 'community_org', name: '社区助老队', jurisdictionId: s.id })
  ).json();
  const applied = (
    await t.agent().post('/api/public/applications', {
      organization: { kind: 'community_org', name: '申请中的队', jurisdictionId: s.id },
      personInCharge: { name: '孙丽', idNumber: '11010519491231002X', phone: '13800138000' },
      account: { username: 'bad.applicant', password: PASSWORD, displayName: '孙丽' },
    })
  ).json();
  // An active organization whose officer asks for a key-field change: a pending change request.
  const activeOrg = (
    await t.admin.post('/api/organizations', {
      kind: 'social_group',
      name: '慈善协会',
      uscc: '51310101MJ0000001A',
      jurisdictionId: s.id,
    })
  ).json();
  await t.admin.post(`/api/organizations/${activeOrg.id}/status`, { status: 'active', reason: '已登记' });
  await t.admin.post('/api/users', {
    username: 'bad.ngo',
    password: PASSWORD,
    displayName: '机构专员',
    role: 'ngo_officer',
    jurisdictionId: s.id,
    organizationId: activeOrg.id,
  });
  ngoOfficer = t.agent();
  await ngoOfficer.login('bad.ngo', PASSWORD);
  officerOrgId = activeOrg.id;
  await ngoOfficer.patch(`/api/organizations/${activeOrg.id}`, { name: '慈善总会' });
  const changeRequest = (await t.admin.get(`/api/organizations/${activeOrg.id}/change-request`)).json().item;
  const form = multipart({ type: 'charter' }, [
    { field: 'file', name: 'c.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n') },
  ]);
  const doc = (
    await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${org.id}/documents`,
      headers: { cookie: t.admin.cookie!, 'x-csrf-token': t.admin.csrfToken!, 'content-type': form.contentType },
      payload: form.payload,
    })
  ).json();
  const activity = (
    await t.admin.post(`/api/organizations/${org.id}/activities`, { occurredOn: '2026-01-05', title: '活动' })
  ).json();
  const photoForm = multipart({}, [{ field: 'file', name: 'p.png', type: 'image/png', data: pngImage(4, 3) }]);
  const photo = (
    await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${org.id}/activities/${activity.id}/photos`,
      headers: { cookie: t.admin.cookie!, 'x-csrf-token': t.admin.csrfToken!, 'content-type': photoForm.contentType },
      payload: photoForm.payload,
    })
  ).json();
  const listing = await t.db.kysely
    .insertInto('abnormal_listings')
    .values({
      organization_id: org.id,
      jurisdiction_path: (
        await t.db.kysely.selectFrom('jurisdictions').select('path').where('id', '=', s.id).executeTakeFirstOrThrow()
      ).path,
      reason: 'unreachable',
      listed_on: '2026-01-05',
      details: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const admin = await t.db.kysely
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  const root = await t.db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'path'])
    .where('id', '=', t.rootId)
    .executeTakeFirstOrThrow();
  await t.db.kysely
    .transaction()
    .execute((trx) =>
      notify(trx, { audience: { userIds: [admin.id] }, about: root, kind: 'case.assigned', title: '通知' }),
    );
  const notification = await t.db.kysely
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', admin.id)
    .executeTakeFirstOrThrow();
  const kase = (
    await t.admin.post('/api/cases', {
      category: 'dispute',
      severity: 'low',
      description: '邻里纠纷',
      jurisdictionId: s.id,
    })
  ).json();
  const rule = (
    await t.admin.put('/api/case-routing-rules', {
      category: 'dispute',
      jurisdictionId: s.id,
      target: 'department',
      departmentId: dep.id,
    })
  ).json();
  const household = (
    await t.admin.post('/api/households', {
      headName: '钱桂芳',
      idNumber: '11010519491231002X',
      category: 'subsistence_allowance',
      jurisdictionId: s.id,
    })
  ).json();
  const member = (
    await t.admin.post(`/api/households/${household.id}/members`, { name: '钱小', relation: 'child' })
  ).json();
  // A refused duplicate raises a task for the bad-input walk to resolve.
  await t.admin.post('/api/households', {
    headName: '钱某',
    idNumber: '11010519491231002X',
    category: 'low_income',
    jurisdictionId: s.id,
  });
  const task = await t.db.kysely.selectFrom('household_duplicate_tasks').select('id').executeTakeFirstOrThrow();
  await t.admin.post(`/api/households/${household.id}/verify`, {});
  const aid = (
    await t.admin.post('/api/aid-applications', {
      householdId: household.id,
      kind: 'financial',
      amountFen: 1_000,
      reason: '临时困难',
      evidence: ['证明'],
    })
  ).json();
  const volunteer = (await t.admin.post('/api/volunteers', { name: '志愿者', jurisdictionId: s.id })).json();
  // A volunteer with their own account, for the walk of the /my/ routes (the admin holds no volunteer:own).
  const volunteerUser = await t.userAgent('volunteer', s.id);
  await t.admin.patch(`/api/volunteers/${volunteer.id}`, {
    userId: (
      await t.db.kysely
        .selectFrom('users')
        .select('id')
        .where('username', '=', volunteerUser.username)
        .executeTakeFirstOrThrow()
    ).id,
  });
  ownVolunteer = volunteerUser;
  const shift = (
    await t.admin.post('/api/volunteer-shifts', {
      jurisdictionId: s.id,
      title: '收银',
      startsAt: '2026-01-05T01:00:00Z',
      endsAt: '2026-01-05T03:00:00Z',
    })
  ).json();
  const hours = (
    await t.admin.post('/api/volunteer-hours', { volunteerId: volunteer.id, workedOn: '2026-01-05', minutes: 30 })
  ).json();
  // The supermarket: a store with stock, a second store to transfer to, an item, a program, a donation.
  const store = (await t.admin.post('/api/stores', { name: '爱心超市', jurisdictionId: s.id })).json();
  const warehouse = (await t.admin.post('/api/stores', { name: '仓库', jurisdictionId: s.id })).json();
  const item = (
    await t.admin.post('/api/items', { name: '大米', unit: '袋', pointsPrice: 5, category: '粮油' })
  ).json();
  const program = (
    await t.admin.post('/api/entitlement-programs', {
      name: '月度积分',
      period: 'month',
      pointsByCategory: { subsistence_allowance: 100 },
    })
  ).json();
  const donated = (
    await t.admin.post('/api/donations', { storeId: store.id, lines: [{ itemId: item.id, quantity: 50 }] })
  ).json();
  const movement = await t.db.kysely.selectFrom('stock_movements').select('id').executeTakeFirstOrThrow();
  Object.assign(ids, {
    'organization-change-requests': changeRequest.id,
    cases: kase.id,
    'case-routing-rules': rule.id,
    'abnormal-listings': listing.id,
    'risk-rules': 'inactive',
    'service-fields': 'other',
    notifications: notification.id,
    stores: store.id,
    storeId: store.id,
    toStoreId: warehouse.id,
    itemId: item.id,
    items: item.id,
    donations: donated.id,
    'entitlement-programs': program.id,
    'stock-movements': movement.id,
    households: household.id,
    'household-members': member.members[0].id,
    'household-duplicate-tasks': task.id,
    householdId: household.id,
    'aid-applications': aid.id,
    volunteers: volunteer.id,
    volunteerId: volunteer.id,
    shiftId: shift.id,
    'volunteer-hours': hours.id,
    applications: applied.id,
    docId: doc.id,
    activityId: activity.id,
    photoId: photo.id,
    organizations: org.id,
    organizationId: org.id,
    jurisdictions: s.id,
    departments: dep.id,
    users: user.id,
    tokens: token.id,
    jurisdictionId: s.id,
    parentId: d.id,
    departmentId: dep.id,
  });
});
afterAll(() => t.close());

/** Audit events other than denials: a refusal is recorded by design, any other event means a write. */
const auditCount = async () =>
  Number(
    (
      await t.db.kysely
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '!=', 'permission.denied')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Sends one request; a 4xx must be problem+json and must have written nothing (no audit event). */
async function probe(
  op: Operation,
  url: string,
  send: { payload?: unknown; raw?: { payload: string | Buffer; contentType: string } },
) {
  if ((await t.admin.get('/api/auth/me')).statusCode === 401) await t.admin.login('admin', ADMIN_PASSWORD);
  const before = await auditCount();
  const headers: Record<string, string> = {
    cookie: t.admin.cookie!,
    'x-csrf-token': t.admin.csrfToken!,
    // The till's checkout needs one; a fresh key per request, so every probe is a new sale.
    'idempotency-key': randomUUID(),
  };
  const res = send.raw
    ? await t.app.inject({
        method: op.method,
        url,
        headers: { ...headers, 'content-type': send.raw.contentType },
        payload: send.raw.payload,
      })
    : await t.app.inject({
        method: op.method,
        url,
        headers,
        ...(send.payload === undefined ? {} : { payload: send.payload as object }),
      });
  seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
  const where = `${op.method} ${url} ${JSON.stringify(send.payload ?? send.raw?.payload)?.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.headers['content-type'], where).toContain('application/problem+json');
    const problem = res.json();
    expect(problem, where).toMatchObject({
      status: res.statusCode,
      code: expect.any(String),
      title: expect.any(String),
    });
    if (problem.code === 'validation_failed') expect(problem.errors.length, where).toBeGreaterThan(0);
    expect(await auditCount(), `${where}: a refused request wrote something`).toBe(before);
  }
  return res;
}

describe('no crafted request produces a 5xx or a partial write', () => {
  // The walk grows with every write route (about 2,000 requests); on PostgreSQL on a shared, loaded machine it outgrows 120 s.
  it('sends every corpus value into every field of every write route', { timeout: 600_000 }, async () => {
    for (const op of writes.filter((o) => !o.isMultipart)) {
      const url = fill(op.path, ids[resourceOf(op.path)] ?? 1, ids);
      const valid = sampleBody(op.bodySchema, ids) as Record<string, unknown>;
      for (const field of Object.keys(op.bodySchema?.properties ?? {})) {
        for (const value of corpus) await probe(op, url, { payload: { ...valid, [field]: value } });
      }
      for (const value of corpus) await probe(op, url, { payload: value === null ? 'null' : value });
    }
    // The corpus reached validation and the services, not just the auth hook.
    expect(seen.get(422) ?? 0).toBeGreaterThan(200);
    expect([...seen].filter(([status]) => status < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(10);
    expect(seen.get(401) ?? 0).toBe(0);
  });

  it('sends every corpus value into every field of an officer’s own updateOrganization (the review path)', async () => {
    const op = writes.find((o) => o.operationId === 'updateOrganization')!;
    const url = `/api/organizations/${officerOrgId}`;
    const state = async () =>
      JSON.stringify([
        await t.db.kysely.selectFrom('organizations').selectAll().where('id', '=', officerOrgId).execute(),
        await t.db.kysely.selectFrom('organization_change_requests').selectAll().execute(),
        await auditCount(),
      ]);
    const statuses = new Set<number>();
    for (const field of Object.keys(op.bodySchema?.properties ?? {})) {
      for (const value of corpus) {
        const before = await state();
        const res = await ngoOfficer.patch(url, { [field]: value } as never);
        const where = `officer PATCH ${field}=${JSON.stringify(value)?.slice(0, 60)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        statuses.add(res.statusCode);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], where).toContain('application/problem+json');
          expect(await state(), `${where}: a refused request wrote something`).toBe(before);
        }
      }
    }
    // It reached the officer's path: values applied, refused, and key fields met the pending request.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 409, 422]));
    expect(statuses.has(403)).toBe(false);
  }, 120_000);

  it('sends every corpus value into every field of a volunteer’s own routes, as that volunteer', async () => {
    const own = writes.filter((o) => o.path.startsWith('/api/my/'));
    expect(own.map((o) => o.operationId)).toContain('logMyVolunteerHours');
    const state = async () =>
      JSON.stringify([await t.db.kysely.selectFrom('volunteer_hours').selectAll().execute(), await auditCount()]);
    const statuses = new Set<number>();
    for (const op of own) {
      const valid = sampleBody(op.bodySchema, ids) as Record<string, unknown>;
      const bodies = [
        ...Object.keys(op.bodySchema?.properties ?? {}).flatMap((field) =>
          corpus.map((value) => ({ ...valid, [field]: value })),
        ),
        ...corpus,
        ...rawBodies.map((raw) => ({ raw })),
      ];
      for (const body of bodies) {
        const before = await state();
        const raw = (body as { raw?: { payload: string; contentType: string } } | null)?.raw;
        const res = raw
          ? await ownVolunteer.request(op.method, op.path, raw.payload as never, { 'content-type': raw.contentType })
          : await ownVolunteer.request(op.method, op.path, (body === null ? 'null' : body) as never);
        const where = `volunteer ${op.method} ${op.path} ${JSON.stringify(body)?.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        statuses.add(res.statusCode);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], where).toContain('application/problem+json');
          expect(await state(), `${where}: a refused request wrote something`).toBe(before);
        }
      }
    }
    // It reached validation and the service: some refused by field, some logged.
    expect(statuses.has(422)).toBe(true);
    expect(statuses.has(201)).toBe(true);
    expect(statuses.has(403)).toBe(false);
  }, 120_000);

  it('sends malformed, huge, deeply nested and non-JSON bodies to every write route', async () => {
    for (const op of writes) {
      const url = fill(op.path, ids[resourceOf(op.path)] ?? 1, ids);
      for (const raw of rawBodies) await probe(op, url, { raw });
    }
  }, 120_000);

  it('sends hostile, malformed and truncated uploads to every multipart route', async () => {
    const uploads = writes.filter((o) => o.isMultipart && resourceOf(o.path) === 'registry');
    expect(uploads.length).toBeGreaterThan(0);
    const header = 'uscc,name,kind,legal_representative,registered_on,status,authority,address,jurisdiction_code';
    const cells = corpus.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
    const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const files: (string | Buffer)[] = [
      '',
      '\uFEFF',
      header,
      `${header}\r\n`,
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      `${header}\r\n"unclosed,quote\r\n`,
      `${header}\r\n${'x'.repeat(100_000)},a\r\n`,
      `${header}\r\n"${'y'.repeat(200_000)}"\r\n`,
      `${header}\r\n1,2\r\n1,2,3,4,5,6,7,8,9,10,11\r\n`,
      [header, ...cells.map((v) => Array.from({ length: 9 }, () => csvField(v)).join(','))].join('\r\n'),
      corpus.map((v) => JSON.stringify({ uscc: v, name: v, kind: v, status: v, registered_on: v })).join('\n'),
      '{"uscc":\n[1,2]\n"text"\nnull\n{"__proto__":{"admin":true},"uscc":"x"}\n',
      Buffer.from([0xff, 0xfe, 0x00, 0x75, 0x00, 0x73]),
    ];
    // importRegistry also in the background: a 202's job must end without a server error.
    const targets = uploads.flatMap((op) =>
      op.operationId === 'importRegistry' ? [op, { ...op, path: `${op.path}?background=true` }] : [op],
    );
    for (const op of targets) {
      for (const file of files) {
        const { payload, headers } = multipartFile(file);
        const res = await probe(op, op.path, { raw: { payload, contentType: headers['content-type'] } });
        if (res.statusCode !== 202) continue;
        // Settled before the next probe, so its writes are never counted as a refused request's.
        let job = res.json();
        for (let i = 0; job.status === 'running'; i++) {
          if (i > 2000) throw new Error(`job never settled: ${JSON.stringify(job).slice(0, 300)}`);
          await new Promise((r) => setTimeout(r, 5));
          job = (await t.admin.get(`/api/registry/import-jobs/${job.id}`)).json();
        }
        expect(job.status === 'done' || job.errorFields.length > 0, JSON.stringify(job).slice(0, 300)).toBe(true);
      }
      const wrongField = multipartFile(`${header}\r\n`, 'x.csv', 'notfile');
      await probe(op, op.path, {
        raw: { payload: wrongField.payload, contentType: wrongField.headers['content-type'] },
      });
      for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=zzz', 'multipart/mixed']) {
        await probe(op, op.path, { raw: { payload: '--zzz\r\nbroken', contentType } });
      }
    }
  }, 120_000);

  it('sends malformed, oversized and hostile multipart bodies to every upload route', async () => {
    const uploads = writes.filter((o) => o.isMultipart && resourceOf(o.path) !== 'registry');
    expect(uploads.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(['uploadOrganizationDocument', 'addActivityPhoto']),
    );
    const pdf = Buffer.from('%PDF-1.4\n');
    const file = (data: Buffer, name = 'a.pdf') => ({ field: 'file', name, type: 'application/pdf', data });
    const bodies: { payload: string | Buffer; contentType: string }[] = [
      { payload: 'x', contentType: 'multipart/form-data' },
      { payload: '', contentType: 'multipart/form-data; boundary=abc' },
      {
        payload: '--abc\r\nContent-Disposition: form-data; name="type"\r\n\r\ncharter',
        contentType: 'multipart/form-data; boundary=abc',
      },
      { payload: '--abc\r\n\r\n--abc--', contentType: 'multipart/form-data; boundary=abc' },
      {
        payload: '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-',
        contentType: 'multipart/form-data; boundary=abc',
      },
      { payload: 'garbage', contentType: `multipart/form-data; boundary=${'b'.repeat(5000)}` },
      multipart({ type: 'charter' }, [file(Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]))]),
      multipart({ type: 'charter' }, [file(pdf), file(pdf, 'b.pdf')]),
      multipart(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, 'x'])), [file(pdf)]),
      multipart({ type: 'x'.repeat(5000) }, [file(pdf)]),
      multipart({ type: 'charter' }, [file(Buffer.from('<html><script>alert(1)</script>'))]),
      multipart({ type: 'charter' }, [file(Buffer.alloc(0))]),
      multipart({ type: 'charter' }, [{ ...file(pdf), field: 'other' }]),
      multipart({ type: 'charter' }, [file(pdf, `${'../'.repeat(50)}etc/passwd\u0000.pdf`)]),
      // Images that are not what they say: SVG with script, a PNG signature without its header, a GIF,
      // HTML named .jpg, a PNG cut after its signature, a JPEG-HTML polyglot (kept as a JPEG, served nosniff).
      multipart({}, [file(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'a.svg')]),
      multipart({}, [
        file(Buffer.concat([pngImage(2, 2).subarray(0, 8), Buffer.from('JUNKJUNKJUNKJUNKJUNK')]), 'a.png'),
      ]),
      multipart({}, [file(Buffer.from('GIF89a\x01\x00\x01\x00'), 'a.gif')]),
      multipart({}, [file(Buffer.from('<html><img src=x onerror=alert(1)>'), 'a.jpg')]),
      multipart({}, [file(pngImage(2, 2).subarray(0, 8), 'cut.png')]),
      multipart({}, [
        file(
          Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<script>alert(1)</script>')]),
          '<b>.jpg',
        ),
      ]),
      ...corpus
        .filter((v): v is string => typeof v === 'string' && v.length < 10_000)
        .map((v) => multipart({ type: v }, [file(pdf, `${v}.pdf`)])),
    ];
    for (const op of uploads) {
      const url = fill(op.path, ids[resourceOf(op.path)] ?? 1, ids);
      for (const body of bodies) {
        await probe(op, url, { raw: { payload: body.payload as string, contentType: body.contentType } });
      }
    }
    expect(uploads.map((o) => o.operationId)).toContain('uploadAidEvidence');
    // Every refused upload left nothing behind on disk.
    for (const [folder, table] of [
      ['documents', 'documents'],
      ['aid-evidence', 'aid_evidence'],
      ['activity-photos', 'activity_photos'],
    ] as const) {
      const dir = path.join(t.config.dataDir, folder);
      const stored = existsSync(dir) ? readdirSync(dir) : [];
      const rows = await t.db.kysely.selectFrom(table).select('storage_key').execute();
      expect(stored.sort(), folder).toEqual(rows.map((r) => r.storage_key).sort());
    }
    // The hostile bodies that are a real PDF or image of a real type are kept, under a harmless name.
    const names = [
      ...(await t.db.kysely.selectFrom('documents').select('file_name').execute()),
      ...(await t.db.kysely.selectFrom('aid_evidence').select('file_name').execute()),
      ...(await t.db.kysely.selectFrom('activity_photos').select('file_name').execute()),
    ];
    for (const { file_name } of names) {
      expect(file_name).toMatch(/^[^/\\]+\.(pdf|png|jpg)$/);
      expect(file_name).not.toContain(String.fromCharCode(0));
    }
  });

  it('sends crafted path ids and query strings to every route', async () => {
    const badIds = ["1'--", '-1', '0', '1.5', '１', '99999999999999999999', '%00', '1%20OR%201=1', 'abc', '%E2%80%8B1'];
    for (const op of [...writes, ...reads]) {
      if (op.path.includes('{id}')) {
        const urls = badIds.map((id) => fill(op.path, id, ids));
        if (op.path.includes('{docId}'))
          urls.push(...badIds.map((id) => fill(op.path, ids.organizations!, { docId: id })));
        for (const name of ['activityId', 'photoId'].filter((n) => op.path.includes(`{${n}}`)))
          urls.push(...badIds.map((id) => fill(op.path, ids.organizations!, { ...ids, [name]: id })));
        for (const url of urls) {
          const res = await probe(op, url, {
            payload: op.method === 'GET' ? undefined : sampleBody(op.bodySchema, ids),
          });
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
        }
      }
      for (const name of Object.keys(op.querySchema)) {
        for (const value of [
          "' OR 1=1 --",
          '-5',
          '１０',
          '9'.repeat(30),
          '%',
          '_',
          '\u0000',
          '<script>',
          'x'.repeat(5000),
        ]) {
          await probe(op, `${op.path}?${name}=${encodeURIComponent(value)}`, {});
        }
        await probe(op, `${op.path}?${name}=1&${name}=2`, {});
      }
    }
  }, 120_000);
});
