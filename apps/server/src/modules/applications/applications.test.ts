import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid USCC ending the 17 given characters with their check character. */
function uscc(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body17[i]!) * (3 ** i % 31);
  return body17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}
/** A valid resident ID number born on 1980-01-01 with the given 3-digit sequence. */
function idNumber(seq: number): string {
  const body = `31010119800101${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[w.reduce((s, x, i) => s + x * Number(body[i]), 0) % 11];
}

let t: TestApp;
let districtId: number;
let subId: number;
let otherSubId: number;
let staff: Agent;
let n = 0;

beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
  subId = (await t.subdistrict(districtId)).id;
  otherSubId = (await t.subdistrict((await t.district()).id)).id;
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

function form(over: { organization?: Record<string, unknown>; personInCharge?: Record<string, unknown> } = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const organization: Record<string, any> = {
    kind: 'community_org',
    name: `申请组织${n + 1}号`,
    jurisdictionId: subId,
    ...over.organization,
  };
  n += 1;
  return {
    organization,
    personInCharge: { name: '赵敏', idNumber: idNumber(100 + n), phone: '13900139000', ...over.personInCharge },
    account: { username: `applicant.${n}`, password: PASSWORD, displayName: `申请人${n}` },
  };
}

/** Submits a form and answers the applicant signed in. */
async function apply(body = form()) {
  const res = await t.agent().post('/api/public/applications', body);
  expect(res.statusCode, res.body).toBe(201);
  const applicant = t.agent();
  expect((await applicant.login(body.account.username, PASSWORD)).statusCode).toBe(200);
  return { application: res.json(), applicant };
}

describe('applying without an account', () => {
  it('creates the organization (submitted), the application and an applicant who can only follow it', async () => {
    const body = form({ organization: { fields: ['elderly_care'], address: '某路2号' } });
    const { application, applicant } = await apply(body);
    expect(application).toMatchObject({
      status: 'submitted',
      organization: { status: 'submitted', name: body.organization.name, kind: 'community_org' },
      applicant: { username: body.account.username },
      decisionReason: null,
    });
    expect(application.organization.personInCharge.idNumber).toMatch(/\*/);
    const me = (await applicant.get('/api/auth/me')).json();
    expect(me.permissions).toEqual(['application:own']);
    expect(me.user).toMatchObject({ role: 'ngo_officer', organizationId: application.organization.id });
    expect((await applicant.get('/api/applications/mine')).json()).toMatchObject({ id: application.id });
    // Nothing else: not its own organization's record, not the registry, not the queue.
    for (const url of [
      `/api/organizations/${application.organization.id}`,
      '/api/organizations',
      '/api/applications',
      `/api/applications/${application.id}`,
      '/api/users',
      '/api/overview',
    ]) {
      expect((await applicant.get(url)).statusCode, url).toBe(403);
    }
    expect((await applicant.post(`/api/applications/${application.id}/approve`, {})).statusCode).toBe(403);
    const actions = await t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('actor_name', '=', body.account.username)
      .execute();
    const writes = actions.map((a) => a.action).filter((a) => !['auth.login', 'permission.denied'].includes(a));
    expect(writes.sort()).toEqual(['application.submit', 'organization.create', 'user.create']);
  });

  it('names every invalid field at once, and answers taken usernames and codes with 409', async () => {
    const bad = await t.agent().post('/api/public/applications', {
      organization: { kind: 'social_group', name: '', uscc: '51310101MJ00000012', jurisdictionId: subId },
      personInCharge: { name: '赵敏', idNumber: '110105194912310021', phone: '123' },
      account: { username: 'x y', password: 'short', displayName: '某' },
    });
    expect(bad.statusCode).toBe(422);
    const fields = bad.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'organization.name:too_small',
        'organization.uscc:invalid_uscc',
        'personInCharge.idNumber:invalid_id_number',
        'personInCharge.phone:invalid_format',
        'account.username:invalid_format',
      ]),
    );
    const weak = await t.agent().post('/api/public/applications', {
      ...form({ organization: { jurisdictionId: districtId } }),
      account: { username: 'weak.one', password: 'password1234', displayName: '某' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['organization.jurisdictionId', 'account.password']),
    );
    const first = form();
    await apply(first);
    const again = await t.agent().post('/api/public/applications', { ...form(), account: first.account });
    expect([again.statusCode, again.json().code]).toEqual([409, 'duplicate_username']);
    const code = uscc('51310101MJ1000001');
    await apply(form({ organization: { kind: 'social_group', uscc: code } }));
    const sameCode = await t
      .agent()
      .post('/api/public/applications', form({ organization: { kind: 'foundation', uscc: code } }));
    expect([sameCode.statusCode, sameCode.json().code]).toEqual([409, 'duplicate_uscc']);
  });

  it('is rate limited per address', async () => {
    const limited = await buildTestApp({ QIAO_APPLY_RATE_PER_MINUTE: '2' });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.agent().post('/api/public/applications', {})).statusCode);
      expect(codes).toEqual([422, 422, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('the review', () => {
  it('flags duplicates, approves, and the organization goes public with its officer', async () => {
    const personId = idNumber(901);
    const code = uscc('51310101MJ2000002');
    const existing = (
      await t.admin.post('/api/organizations', {
        kind: 'social_group',
        name: '浦江镇助老服务社',
        uscc: code,
        jurisdictionId: subId,
        personInCharge: { name: '钱多', idNumber: personId },
      })
    ).json();
    // The same name elsewhere in the city is not in the district: no flag.
    await t.admin.post('/api/organizations', {
      kind: 'community_org',
      name: '浦江镇助老服务社',
      jurisdictionId: otherSubId,
    });
    // (The same USCC is refused at submission: see below.)
    const { application, applicant } = await apply(
      form({
        organization: { kind: 'social_group', name: '浦江镇助老服务队', uscc: uscc('51310101MJ2000003') },
        personInCharge: { idNumber: personId },
      }),
    );
    const list = (await staff.get('/api/applications?status=submitted')).json();
    expect(list.items.map((a: { id: number }) => a.id)).toContain(application.id);
    const seen = (await staff.get(`/api/applications/${application.id}`)).json();
    const flags = seen.duplicates.map((d: { reason: string; organization: { id: number } }) => [
      d.reason,
      d.organization.id,
    ]);
    expect(flags).toEqual(
      expect.arrayContaining([
        ['similar_name', existing.id],
        ['same_person_in_charge', existing.id],
      ]),
    );
    expect(flags.filter(([, id]: [string, number]) => id !== existing.id)).toEqual([]);
    expect(seen.duplicates[0].organization).toMatchObject({ name: '浦江镇助老服务社', status: 'draft' });

    expect((await staff.post(`/api/applications/${application.id}/approve`, {})).json().code).toBe(
      'invalid_transition',
    );
    expect((await staff.post(`/api/applications/${application.id}/review`)).json().status).toBe('under_review');
    expect((await staff.post(`/api/applications/${application.id}/review`)).statusCode).toBe(409);
    const approved = await staff.post(`/api/applications/${application.id}/approve`, { reason: '材料齐全' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', organization: { status: 'active' } });

    const anon = t.agent();
    const pub = (await anon.get(`/api/public/organizations?q=${encodeURIComponent('浦江镇助老服务队')}`)).json();
    expect(pub.items.map((o: { id: number }) => o.id)).toContain(application.organization.id);
    // The applicant's same session is now its organization's officer.
    const own = await applicant.get(`/api/organizations/${application.organization.id}`);
    expect([own.statusCode, own.json().status]).toEqual([200, 'active']);
    expect((await applicant.get(`/api/organizations/${existing.id}`)).statusCode).toBe(404);
    expect((await applicant.get('/api/applications/mine')).json().status).toBe('approved');
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_type', '=', 'application')
      .where('entity_id', '=', String(application.id))
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['application.submit', 'application.review', 'application.approve']);
    expect(events[2]!.details).toContain('材料齐全');
  });

  it('flags only organizations the reviewer may see', async () => {
    // A neighbouring subdistrict of the same district: in the district, outside the staff's subtree.
    const neighbour = (await t.subdistrict(districtId)).id;
    const hidden = (
      await t.admin.post('/api/organizations', {
        kind: 'community_org',
        name: '梅陇镇书画爱好者协会',
        jurisdictionId: neighbour,
      })
    ).json();
    const { application } = await apply(form({ organization: { name: '梅陇镇书画爱好者学会' } }));
    const byStaff = (await staff.get(`/api/applications/${application.id}`)).json();
    expect(byStaff.duplicates).toEqual([]);
    const byAdmin = (await t.admin.get(`/api/applications/${application.id}`)).json();
    expect(byAdmin.duplicates).toEqual([
      {
        reason: 'similar_name',
        similarity: expect.any(Number),
        organization: { id: hidden.id, name: '梅陇镇书画爱好者协会', status: 'draft' },
      },
    ]);
  });

  it('refuses a USCC the registry already holds, on submission and in an amendment', async () => {
    const code = uscc('51310101MJ3000004');
    await t.admin.post('/api/organizations', {
      kind: 'foundation',
      name: '某某基金会',
      uscc: code,
      jurisdictionId: subId,
    });
    const sameCode = await t
      .agent()
      .post('/api/public/applications', form({ organization: { kind: 'foundation', uscc: code } }));
    expect([sameCode.statusCode, sameCode.json().code]).toEqual([409, 'duplicate_uscc']);
    const { applicant } = await apply(form());
    const amended = await applicant.patch('/api/applications/mine', {
      organization: { kind: 'foundation', uscc: code },
    });
    expect([amended.statusCode, amended.json().code]).toEqual([409, 'duplicate_uscc']);
  });

  it('rejects with a reason the applicant sees; the organization is rejected and stays private', async () => {
    const { application, applicant } = await apply();
    await staff.post(`/api/applications/${application.id}/review`);
    const rejected = await staff.post(`/api/applications/${application.id}/reject`, { reason: '不符合登记条件' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', organization: { status: 'rejected' } });
    const mine = (await applicant.get('/api/applications/mine')).json();
    expect(mine).toMatchObject({ status: 'rejected', decisionReason: '不符合登记条件' });
    expect((await applicant.patch('/api/applications/mine', { organization: { name: '改名' } })).json().code).toBe(
      'invalid_transition',
    );
    expect((await staff.post(`/api/applications/${application.id}/return`, { reason: '再看看' })).statusCode).toBe(409);
    expect((await staff.post(`/api/applications/${application.id}/reject`, {})).statusCode).toBe(422);
    expect((await applicant.get(`/api/organizations/${application.organization.id}`)).statusCode).toBe(403);
    expect((await t.agent().get(`/api/public/organizations/${application.organization.id}`)).statusCode).toBe(404);
  });

  it('returns for amendment; the amended application is resubmitted and can be approved', async () => {
    const { application, applicant } = await apply();
    // Amending while submitted keeps it submitted.
    const early = await applicant.patch('/api/applications/mine', { organization: { address: '新地址1号' } });
    expect(early.json()).toMatchObject({ status: 'submitted', organization: { address: '新地址1号' } });
    await staff.post(`/api/applications/${application.id}/review`);
    expect((await applicant.patch('/api/applications/mine', { organization: { name: '不行' } })).statusCode).toBe(409);
    const returned = await staff.post(`/api/applications/${application.id}/return`, { reason: '请补充负责人电话' });
    expect(returned.json()).toMatchObject({ status: 'returned', organization: { status: 'draft' } });
    expect((await applicant.get('/api/applications/mine')).json().decisionReason).toBe('请补充负责人电话');
    const bad = await applicant.patch('/api/applications/mine', { organization: { kind: 'social_group' } });
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ field: 'organization.uscc', code: 'required' }));
    const amended = await applicant.patch('/api/applications/mine', {
      organization: { name: '修改后的名字' },
      personInCharge: { name: '赵敏', idNumber: idNumber(777), phone: '13700137000' },
    });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json()).toMatchObject({
      status: 'submitted',
      organization: { status: 'submitted', name: '修改后的名字', personInCharge: { phone: '137****7000' } },
    });
    await staff.post(`/api/applications/${application.id}/review`);
    expect((await staff.post(`/api/applications/${application.id}/approve`)).json().status).toBe('approved');
  });

  it('keeps the queue to the staff’s subtree, newest first in keyset pages', async () => {
    const elsewhere = await t
      .agent()
      .post('/api/public/applications', form({ organization: { jurisdictionId: otherSubId } }));
    const otherId = elsewhere.json().id;
    expect((await staff.get(`/api/applications/${otherId}`)).statusCode).toBe(404);
    for (const step of ['review', 'approve', 'reject', 'return'])
      expect((await staff.post(`/api/applications/${otherId}/${step}`, { reason: 'x' })).statusCode).toBe(404);
    const first = (await staff.get('/api/applications?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].createdAt >= first.items[1].createdAt).toBe(true);
    const second = (await staff.get(`/api/applications?limit=2&cursor=${first.nextCursor}`)).json();
    const ids = [...first.items, ...second.items].map((a: { id: number }) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(otherId);
    const all = (await t.admin.get('/api/applications?limit=200')).json();
    expect(all.items.map((a: { id: number }) => a.id)).toContain(otherId);
  });
});
