import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

let now = new Date('2026-03-02T01:00:00.000Z');
const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

let t: TestApp;
let d1: number;
let s1: number;
let s1b: number;
let s2: number;
let dep1: number;
let depS1: number;
let orgS2: number;
let volunteer: Agent;
let volunteer2: Agent;
let staff: Agent;
let staff2: Agent;
let staffOther: Agent;
let districtOfficer: Agent;
let districtOther: Agent;
let deptOfficer: Agent;
let deptS1Officer: Agent;

const report = (agent: Agent, body: Record<string, unknown> = {}) =>
  agent.post('/api/cases', {
    category: 'elder_unreachable',
    severity: 'critical',
    description: '独居老人王某三天未应门，电话无人接听。',
    jurisdictionId: s1,
    ...body,
  });
const unread = async (agent: Agent) => (await agent.get('/api/notifications/unread-count')).json().unread as number;
const kinds = async (agent: Agent) =>
  (await agent.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind) as string[];

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => now });
  d1 = (await t.district()).id;
  s1 = (await t.subdistrict(d1)).id;
  s1b = (await t.subdistrict(d1)).id;
  const d2 = (await t.district()).id;
  s2 = (await t.subdistrict(d2)).id;
  dep1 = (
    await t.admin.post('/api/departments', { name: '区民政局', jurisdictionId: d1, kinds: ['civil_affairs'] })
  ).json().id;
  depS1 = (await t.admin.post('/api/departments', { name: '街道平安办', jurisdictionId: s1 })).json().id;
  orgS2 = (
    await t.admin.post('/api/organizations', { kind: 'community_org', name: '乙助老队', jurisdictionId: s2 })
  ).json().id;
  volunteer = await t.userAgent('volunteer', s1);
  volunteer2 = await t.userAgent('volunteer', s1);
  staff = await t.userAgent('center_staff', s1);
  staff2 = await t.userAgent('center_staff', s1);
  staffOther = await t.userAgent('center_staff', s2);
  districtOfficer = await t.userAgent('district_officer', d1);
  districtOther = await t.userAgent('district_officer', d2);
  deptOfficer = await t.userAgent('department_officer', d1, { departmentId: dep1 });
  deptS1Officer = await t.userAgent('department_officer', s1, { departmentId: depS1 });
});
afterAll(() => t.close());

describe('reporting a case', () => {
  it('lets a volunteer report; the case opens in the center queue with SLA deadlines and tells the center staff', async () => {
    const res = await report(volunteer);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      category: 'elder_unreachable',
      severity: 'critical',
      status: 'open',
      queue: 'center',
      level: 'subdistrict',
      jurisdictionId: s1,
      overdue: false,
      acknowledgeDueAt: at(60),
      resolveDueAt: at(1440),
      actions: ['comment'],
    });
    // The reporter is not told how the case was routed; the center sees it.
    expect(c.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported']);
    const seen = (await staff.get(`/api/cases/${c.id}`)).json();
    expect(seen.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'routed']);
    expect(await kinds(staff)).toEqual(['case.assigned']);
    expect(await kinds(staff2)).toEqual(['case.assigned']);
    for (const other of [volunteer, staffOther, districtOfficer, deptOfficer]) expect(await unread(other)).toBe(0);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'case.create')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a district, a jurisdiction out of scope, an organization out of scope and empty text, naming each field', async () => {
    const district = await report(volunteer, { jurisdictionId: d1 });
    expect(district.statusCode).toBe(422);
    expect(district.json().errors).toEqual([expect.objectContaining({ field: 'jurisdictionId' })]);
    const elsewhere = await report(volunteer, { jurisdictionId: s2, organizationId: orgS2 });
    expect(elsewhere.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'jurisdictionId',
      'organizationId',
    ]);
    const empty = await report(volunteer, { description: '  ', severity: 'urgent', extra: 1 });
    expect(empty.statusCode).toBe(422);
    const fields = empty.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['description', 'severity']));
    expect((await t.agent().post('/api/cases', {})).statusCode).toBe(401);
  });

  it('shows a case to its reporter and to the subdistrict and district, never to other reporters or other areas', async () => {
    const id = (await report(volunteer)).json().id;
    expect((await volunteer.get(`/api/cases/${id}`)).statusCode).toBe(200);
    expect((await staff.get(`/api/cases/${id}`)).json().actions).toEqual(['comment', 'acknowledge', 'assign', 'refer']);
    // District officers see the subdistrict's cases but work only escalated ones.
    const byDistrict = await districtOfficer.get(`/api/cases/${id}`);
    expect(byDistrict.json().actions).toEqual([]);
    expect((await districtOfficer.post(`/api/cases/${id}/acknowledge`, {})).statusCode).toBe(403);
    for (const outsider of [volunteer2, staffOther, districtOther, deptOfficer]) {
      const res = await outsider.get(`/api/cases/${id}`);
      expect(res.statusCode).toBe(404);
      expect((await outsider.get('/api/cases')).json().items.map((c: { id: number }) => c.id)).not.toContain(id);
    }
    expect((await volunteer.post(`/api/cases/${id}/acknowledge`, {})).statusCode).toBe(403);
  });
});

describe('the household a case is about', () => {
  const household = async (agent: Agent, jurisdictionId: number, n: number) => {
    const res = await agent.post('/api/households', {
      category: 'extreme_poverty',
      jurisdictionId,
      headName: `案件户${n}`,
      idNumber: idNumber(700 + n),
      phone: '13812345678',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };

  it('keeps a household of the subdistrict and shows it masked to whoever may see households', async () => {
    const h = await household(staff, s1, 1);
    const res = await report(volunteer, { householdId: h });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.householdId).toBe(h);
    expect(c.household).toMatchObject({ id: h, headName: '案件户1', masked: true, phone: '138****5678' });
    expect(c.household.idNumber).toContain('*');
    expect(res.body).not.toContain(idNumber(701));
    expect(res.body).not.toContain('13812345678');
    expect((await districtOfficer.get(`/api/cases/${c.id}`)).json().household).toMatchObject({ id: h });
    // A department officer works the case but may not read households: the id stays, the household does not show.
    await staff.post(`/api/cases/${c.id}/refer`, { departmentId: depS1, reason: '请平安办协助' });
    const byDept = (await deptS1Officer.get(`/api/cases/${c.id}`)).json();
    expect(byDept).toMatchObject({ householdId: h, household: null });
  });

  it('answers a household out of scope exactly like a missing one, and refuses one of another subdistrict', async () => {
    const far = await household(t.admin, s2, 2);
    const sibling = await household(t.admin, s1b, 3);
    const missing = await report(volunteer, { householdId: 999_999 });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([{ field: 'householdId', code: 'not_found', message: 'no such household' }]);
    for (const id of [far, sibling]) {
      const res = await report(volunteer, { householdId: id });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual(missing.json().errors);
    }
    // The district officer sees the sibling subdistrict's household, but a case of s1 is not about it.
    const other = await report(districtOfficer, { householdId: sibling });
    expect(other.statusCode).toBe(422);
    expect(other.json().errors).toEqual([
      expect.objectContaining({ field: 'householdId', code: 'other_jurisdiction' }),
    ]);
    // A reporter who may not read households cannot name one either.
    const byDept = await report(deptS1Officer, { householdId: await household(staff, s1, 4) });
    expect(byDept.json().errors).toEqual(missing.json().errors);
    const before = (
      await t.db.kysely
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    await report(volunteer, { householdId: far });
    const after = (
      await t.db.kysely
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    expect(Number(after)).toBe(Number(before));
  });
});

describe('deadlines and escalation', () => {
  it('escalates an unacknowledged case to the district, once, and lets the district officer work it', async () => {
    const id = (await report(volunteer, { description: '升级测试' })).json().id;
    advance(60);
    // Exactly at the deadline it is not yet late.
    expect((await t.admin.post('/api/case-escalations', {})).json()).toEqual({ escalated: 0 });
    advance(1);
    const listed = (await staff.get('/api/cases?overdue=true')).json().items.map((c: { id: number }) => c.id);
    expect(listed).toContain(id);
    const first = await t.admin.post('/api/case-escalations', {});
    expect(first.json().escalated).toBeGreaterThanOrEqual(1);
    expect((await t.admin.post('/api/case-escalations', {})).json()).toEqual({ escalated: 0 });

    const c = (await districtOfficer.get(`/api/cases/${id}`)).json();
    expect(c).toMatchObject({ level: 'district', levelJurisdictionId: d1, overdue: false, acknowledgeDueAt: at(60) });
    expect(c.timeline.at(-1)).toMatchObject({
      kind: 'escalated',
      details: { from: 'subdistrict', to: 'district', missed: 'acknowledge' },
    });
    expect(c.actions).toEqual(['comment', 'acknowledge', 'assign', 'refer']);
    expect(await kinds(districtOfficer)).toContain('case.escalated');
    expect(await unread(districtOther)).toBe(0);
    expect(
      (await districtOfficer.get('/api/cases?escalated=true')).json().items.map((x: { id: number }) => x.id),
    ).toContain(id);

    const ack = await districtOfficer.post(`/api/cases/${id}/acknowledge`, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedAt: now.toISOString() });
    expect((await districtOfficer.post(`/api/cases/${id}/acknowledge`, {})).json().code).toBe('invalid_transition');
    const noOutcome = await districtOfficer.post(`/api/cases/${id}/resolve`, {});
    expect(noOutcome.statusCode).toBe(422);
    expect(noOutcome.json().errors[0].field).toBe('outcome');
    const before = await unread(volunteer);
    const resolved = await districtOfficer.post(`/api/cases/${id}/resolve`, { outcome: '已联系家属。老人住院治疗' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: '已联系家属。老人住院治疗' });
    expect(resolved.json().timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'reported',
      'routed',
      'escalated',
      'acknowledged',
      'resolved',
    ]);
    expect(await unread(volunteer)).toBe(before + 1);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['case.create', 'case.escalate', 'case.acknowledge', 'case.resolve']);
  });

  it('goes on to the city when the district misses its window too, and no further', async () => {
    await t.admin.post('/api/case-escalations', {}); // settle earlier cases
    const id = (await report(volunteer, { description: '逐级上报' })).json().id;
    advance(61);
    await t.admin.post('/api/case-escalations', {});
    advance(61);
    await t.admin.post('/api/case-escalations', {});
    const c = (await t.admin.get(`/api/cases/${id}`)).json();
    expect(c.level).toBe('city');
    expect(await kinds(t.admin)).toContain('case.escalated');
    advance(10_000);
    await t.admin.post('/api/case-escalations', {});
    expect(
      (await t.admin.get(`/api/cases/${id}`)).json().timeline.filter((e: { kind: string }) => e.kind === 'escalated'),
    ).toHaveLength(2);
  });

  it('tells the city administrators when the district it escalates to has no officer, and only then', async () => {
    await t.admin.post('/api/case-escalations', {}); // settle earlier cases
    const escalatedTo = async (agent: Agent, caseId: number) =>
      (await agent.get('/api/notifications?limit=100'))
        .json()
        .items.filter(
          (n: { kind: string; params: { caseId?: number } }) =>
            n.kind === 'case.escalated' && n.params.caseId === caseId,
        );
    // A district with a subdistrict and its staff, but no district officer.
    const lonely = (await t.district()).id;
    const s3 = (await t.subdistrict(lonely)).id;
    const reporter = await t.userAgent('center_staff', s3);
    const orphan = (await report(reporter, { jurisdictionId: s3, description: '无人值守的区' })).json().id;
    const staffed = (await report(volunteer, { description: '有人值守的区' })).json().id;
    advance(61);
    expect((await t.admin.post('/api/case-escalations', {})).json().escalated).toBe(2);
    expect((await t.admin.get(`/api/cases/${orphan}`)).json()).toMatchObject({ level: 'district' });
    // The case sits at the district level, and the word went one level further up.
    expect(await escalatedTo(t.admin, orphan)).toHaveLength(1);
    // Where the district has its officers, they are told, and the city is not woken.
    expect(await escalatedTo(districtOfficer, staffed)).toHaveLength(1);
    expect(await escalatedTo(t.admin, staffed)).toHaveLength(0);
  });

  it('makes a 0-minute SLA due at once; minutes must be whole and not negative', async () => {
    for (const bad of [-1, 1.5, '10', null]) {
      const res = await t.admin.put('/api/sla-policies', {
        severity: 'low',
        acknowledgeMinutes: bad,
        resolveMinutes: 0,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].field).toBe('acknowledgeMinutes');
    }
    expect(
      (await staff.put('/api/sla-policies', { severity: 'low', acknowledgeMinutes: 0, resolveMinutes: 0 })).statusCode,
    ).toBe(403);
    const ok = await t.admin.put('/api/sla-policies', { severity: 'low', acknowledgeMinutes: 0, resolveMinutes: 0 });
    expect(ok.json()).toMatchObject({ severity: 'low', acknowledgeMinutes: 0, resolveMinutes: 0 });
    const c = (await report(volunteer, { severity: 'low' })).json();
    expect(c.acknowledgeDueAt).toBe(now.toISOString());
    advance(0.001);
    expect((await staff.get(`/api/cases/${c.id}`)).json().overdue).toBe(true);
    expect((await staff.get('/api/sla-policies')).json().items.map((p: { severity: string }) => p.severity)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
    ]);
  });
});

describe('routing, assignment, referral and reopening', () => {
  it('routes by the deepest rule for the category and tells the department', async () => {
    const set = await t.admin.put('/api/case-routing-rules', {
      category: 'safety_hazard',
      jurisdictionId: d1,
      target: 'department',
      departmentId: dep1,
    });
    expect(set.statusCode, set.body).toBe(200);
    // A department below the rule's jurisdiction could not see all its cases.
    const below = await t.admin.put('/api/case-routing-rules', {
      category: 'dispute',
      jurisdictionId: d1,
      target: 'department',
      departmentId: depS1,
    });
    expect(below.json().errors[0].field).toBe('departmentId');
    const c = (await report(staff, { category: 'safety_hazard', severity: 'high' })).json();
    expect(c).toMatchObject({ queue: 'department', departmentId: dep1, departmentName: '区民政局' });
    expect(await kinds(deptOfficer)).toContain('case.assigned');
    const seen = await deptOfficer.get(`/api/cases/${c.id}`);
    expect(seen.json().actions).toContain('acknowledge');
    expect((await deptS1Officer.get(`/api/cases/${c.id}`)).statusCode).toBe(404);

    const local = await t.admin.put('/api/case-routing-rules', {
      category: 'safety_hazard',
      jurisdictionId: s1b,
      target: 'center',
    });
    expect(local.statusCode).toBe(200);
    expect((await report(t.admin, { category: 'safety_hazard', jurisdictionId: s1b })).json().queue).toBe('center');
    const rules = (await t.admin.get('/api/case-routing-rules')).json().items;
    expect(rules).toHaveLength(2);
    expect((await t.admin.request('DELETE', `/api/case-routing-rules/${local.json().id}`)).statusCode).toBe(204);
    expect((await report(t.admin, { category: 'safety_hazard', jurisdictionId: s1b })).json().queue).toBe('department');
  });

  it('assigns only to someone who can work the case', async () => {
    const c = (await report(volunteer, { severity: 'medium' })).json();
    const offered = (await staff.get(`/api/cases/${c.id}/assignees`)).json().items.map((u: { id: number }) => u.id);
    expect(offered).toEqual(expect.arrayContaining([staff.userId, staff2.userId]));
    // Nobody outside the caller's subtree, and no department officer of another department.
    for (const other of [staffOther, districtOfficer, deptOfficer, deptS1Officer])
      expect(offered).not.toContain(other.userId);
    expect((await volunteer.get(`/api/cases/${c.id}/assignees`)).statusCode).toBe(403);
    // Departments at the subdistrict and above it, including the district's, which center staff cannot list otherwise.
    const targets = (await staff.get(`/api/cases/${c.id}/referral-targets`))
      .json()
      .items.map((d: { id: number }) => d.id);
    expect(targets).toEqual(expect.arrayContaining([dep1, depS1]));
    const other = await t.db.kysely
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'center_staff')
      .where('jurisdiction_id', '=', s2)
      .executeTakeFirstOrThrow();
    const wrong = await staff.post(`/api/cases/${c.id}/assign`, { assigneeId: other.id });
    expect(wrong.json().errors[0]).toMatchObject({ field: 'assigneeId', code: 'not_eligible' });
    const ok = await staff.post(`/api/cases/${c.id}/assign`, { assigneeId: staff2.userId });
    expect(ok.json().assigneeName).toBe('测试center_staff');
    expect(await kinds(staff2)).toContain('case.assigned');
  });

  it('refers to a department that accepts or declines', async () => {
    const c = (await report(volunteer, { category: 'resident_in_hardship', severity: 'medium' })).json();
    const far = await t.admin.post('/api/departments', { name: '乙区局', jurisdictionId: s2 });
    const bad = await staff.post(`/api/cases/${c.id}/refer`, { departmentId: far.json().id, reason: '不归我们' });
    expect(bad.json().errors[0].field).toBe('departmentId');
    expect((await deptS1Officer.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    const referred = await staff.post(`/api/cases/${c.id}/refer`, { departmentId: depS1, reason: '涉及安全隐患' });
    expect(referred.statusCode, referred.body).toBe(200);
    expect(referred.json().referrals[0]).toMatchObject({ status: 'pending', toDepartmentName: '街道平安办' });
    expect((await staff.post(`/api/cases/${c.id}/refer`, { departmentId: dep1, reason: '再转' })).json().code).toBe(
      'conflict',
    );
    const theirs = (await deptS1Officer.get(`/api/cases/${c.id}`)).json();
    expect(theirs.actions).toEqual(['comment', 'accept_referral', 'decline_referral']);
    expect((await deptOfficer.post(`/api/cases/${c.id}/referral/accept`, {})).statusCode).toBe(404);
    const declined = await deptS1Officer.post(`/api/cases/${c.id}/referral/decline`, { reason: '不属本办职责' });
    expect(declined.json()).toMatchObject({
      queue: 'center',
      referrals: [{ status: 'declined', decisionNote: '不属本办职责' }],
    });
    expect(await kinds(staff)).toContain('case.referral_declined');
    await staff.post(`/api/cases/${c.id}/refer`, { departmentId: depS1, reason: '补充材料后再转' });
    const accepted = await deptS1Officer.post(`/api/cases/${c.id}/referral/accept`, {});
    expect(accepted.json()).toMatchObject({ queue: 'department', departmentId: depS1 });
    expect(accepted.json().actions).toContain('acknowledge');
  });

  it('reopens a resolved case with fresh deadlines, and keeps comments on the timeline', async () => {
    const c = (await report(volunteer, { severity: 'high' })).json();
    await staff.post(`/api/cases/${c.id}/acknowledge`, {});
    expect((await volunteer.post(`/api/cases/${c.id}/comments`, { text: '老人邻居说已回家' })).statusCode).toBe(200);
    expect((await volunteer2.post(`/api/cases/${c.id}/comments`, { text: '看不到' })).statusCode).toBe(404);
    await staff.post(`/api/cases/${c.id}/resolve`, { outcome: '已上门确认安全' });
    expect((await staff.post(`/api/cases/${c.id}/resolve`, { outcome: '再次' })).json().code).toBe(
      'invalid_transition',
    );
    advance(30);
    const reopened = await staff.post(`/api/cases/${c.id}/reopen`, { reason: '老人再次失联' });
    expect(reopened.json()).toMatchObject({
      status: 'open',
      outcome: null,
      acknowledgeDueAt: at(240),
      resolveDueAt: at(4320),
    });
    expect(reopened.json().timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'reported',
      'routed',
      'acknowledged',
      'commented',
      'resolved',
      'reopened',
    ]);
  });
});

describe('what the reporter sees', () => {
  it('shows a reporter the milestones, their own comments and those shared with them, nothing internal', async () => {
    const c = (await report(volunteer, { category: 'resident_in_hardship', severity: 'medium' })).json();
    await staff.post(`/api/cases/${c.id}/acknowledge`, {});
    await staff.post(`/api/cases/${c.id}/comments`, { text: '内部：该户有精神疾病史，上门需两人' });
    await volunteer.post(`/api/cases/${c.id}/comments`, { text: '邻居说老人昨晚回家了' });
    const before = await unread(volunteer);
    const shared = await staff.post(`/api/cases/${c.id}/comments`, { text: '已联系社工明天上门', toReporter: true });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(await unread(volunteer)).toBe(before + 1);
    expect(await kinds(volunteer)).toContain('case.comment_to_reporter');
    await staff.post(`/api/cases/${c.id}/refer`, { departmentId: depS1, reason: '涉及安全隐患' });

    const theirs = (await volunteer.get(`/api/cases/${c.id}`)).json();
    expect(theirs.timelineView).toBe('reporter');
    expect(theirs.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'reported',
      'acknowledged',
      'commented',
      'commented',
    ]);
    expect(JSON.stringify(theirs)).not.toContain('精神疾病');
    expect(JSON.stringify(theirs)).not.toContain('涉及安全隐患');
    expect(theirs.referrals).toEqual([]);
    expect(theirs.timeline.map((e: { details: { text?: string } }) => e.details.text).slice(2)).toEqual([
      '邻居说老人昨晚回家了',
      '已联系社工明天上门',
    ]);

    const full = (await staff.get(`/api/cases/${c.id}`)).json();
    expect(full.timelineView).toBe('full');
    expect(full.timeline.filter((e: { kind: string }) => e.kind === 'commented')).toHaveLength(3);
    expect(full.referrals).toHaveLength(1);
    // A reporter cannot share their own comment "to the reporter": it is theirs anyway, and nobody is told.
    const own = await volunteer.post(`/api/cases/${c.id}/comments`, { text: '补充', toReporter: true });
    expect(own.statusCode).toBe(200);
    expect(own.json().timeline.at(-1).details).toEqual({ text: '补充' });
  });
});

describe('lists and figures', () => {
  it('filters by status and jurisdiction, and counts open and overdue cases per subdistrict', async () => {
    const open = (await staff.get('/api/cases?status=open')).json().items;
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((c: { status: string }) => c.status === 'open')).toBe(true);
    expect(
      (await districtOfficer.get(`/api/cases?jurisdictionId=${s1b}`))
        .json()
        .items.every((c: { jurisdictionId: number }) => c.jurisdictionId === s1b),
    ).toBe(true);
    expect((await staffOther.get(`/api/cases?jurisdictionId=${s1}`)).json().items).toEqual([]);
    const page = (await staff.get('/api/cases?limit=2')).json();
    expect(page.items).toHaveLength(2);
    const next = (await staff.get(`/api/cases?limit=2&cursor=${page.nextCursor}`)).json();
    expect(next.items[0].id).toBeLessThan(page.items[1].id);

    const stats = (await districtOfficer.get('/api/case-stats')).json();
    const names = stats.bySubdistrict.map((r: { jurisdictionId: number }) => r.jurisdictionId);
    expect(names).toEqual(expect.arrayContaining([s1, s1b]));
    expect(names).not.toContain(s2);
    const all = (await t.db.kysely.selectFrom('cases').select(['jurisdiction_id', 'status']).execute()).filter(
      (c) => c.status !== 'resolved' && [s1, s1b].includes(c.jurisdiction_id),
    );
    expect(stats.totals.open).toBe(all.length);
    expect(stats.totals.overdue).toBeGreaterThan(0);
    expect((await staffOther.get('/api/case-stats')).json().totals.open).toBe(0);
    expect((await volunteer.get('/api/case-stats')).statusCode).toBe(403);
  });
});
