import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

// The HTTP side of early warning: scans on demand, rule settings, an organization's explanation,
// the lists and summary by scope, the abnormal-activity list, and re-evaluation after a change.

let t: TestApp;
let subA: number;
let subB: number;
let staffA: Agent;
let district: Agent;

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

async function org(jurisdictionId: number, name: string, extra: Record<string, unknown> = {}) {
  const res = await t.admin.post('/api/organizations', { kind: 'community_org', name, jurisdictionId, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as number;
  await t.admin.post(`/api/organizations/${id}/status`, { status: 'active', reason: '备案' });
  return id;
}

beforeAll(async () => {
  t = await buildTestApp();
  const d = await t.district();
  subA = (await t.subdistrict(d.id)).id;
  subB = (await t.subdistrict((await t.district()).id)).id;
  staffA = await t.userAgent('center_staff', subA);
  district = await t.userAgent('district_officer', d.id);
});
afterAll(() => t.close());

describe('scans', () => {
  it('runRiskScan answers {scanned, signals, durationMs} and records one audit event', async () => {
    const a = await org(subA, '甲街道无党组织队');
    await org(subB, '乙街道协会', { partyBranch: { kind: 'standalone' } });
    await org(subA, '草稿队').then(async (id) => {
      // Not a candidate: drafts are not scanned.
      await t.db.kysely.updateTable('organizations').set({ status: 'draft' }).where('id', '=', id).execute();
    });
    const res = await t.admin.post('/api/risk-scans', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['durationMs', 'scanned', 'signals']);
    expect(res.json()).toMatchObject({ scanned: 2, signals: 1 });
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'risk.scan')
      .execute();
    expect(events).toHaveLength(1);
    const risk = (await t.admin.get(`/api/organizations/${a}/risk`)).json();
    expect(risk).toMatchObject({
      level: 'yellow',
      score: 5,
      signals: [{ rule: 'no_party_organization', since: today(), evidence: {}, weight: 5 }],
    });
    expect(risk.history).toEqual([{ level: 'yellow', score: 5, on: today() }]);
    // Scanning again changes nothing and keeps `since`.
    expect((await t.admin.post('/api/risk-scans', {})).json()).toMatchObject({ scanned: 2, signals: 1 });
    expect((await t.admin.get(`/api/organizations/${a}/risk`)).json().history).toHaveLength(1);
  });

  it('tells the center staff of the subdistrict about new signals, not again for signals still open', async () => {
    const alerts = async () =>
      (await staffA.get('/api/notifications')).json().items.filter((n: { kind: string }) => n.kind === 'risk.alert');
    // Each of the two organizations of A got its signal when it became active (re-evaluation after a change).
    const before = await alerts();
    expect(before).toHaveLength(2);
    expect(before[0]).toMatchObject({ params: { organizations: 1, signals: 1 }, link: '/risk' });
    await t.admin.post('/api/risk-scans', {});
    expect(await alerts()).toHaveLength(2);
    const otherStaff = await t.userAgent('center_staff', subB);
    expect((await otherStaff.get('/api/notifications')).json().items).toEqual([]);
  });

  it('only sends {} to runRiskScan, and only a city admin scans', async () => {
    expect((await t.admin.post('/api/risk-scans', { all: true })).statusCode).toBe(422);
    expect((await staffA.post('/api/risk-scans', {})).statusCode).toBe(403);
  });
});

describe('re-evaluation after a change', () => {
  it('raises and clears signals when the record or its activities change, without a scan', async () => {
    const id = await org(subA, '失联再联系队', { partyBranch: { kind: 'joint' } });
    await t.admin.patch(`/api/organizations/${id}`, { contactStatus: 'unreachable' });
    let risk = (await staffA.get(`/api/organizations/${id}/risk`)).json();
    expect(risk.signals.map((s: { rule: string }) => s.rule)).toEqual(['unreachable']);
    expect(risk.signals[0].evidence).toEqual({ unreachableSince: risk.signals[0].since });
    await t.admin.patch(`/api/organizations/${id}`, { contactStatus: 'reachable' });
    risk = (await staffA.get(`/api/organizations/${id}/risk`)).json();
    expect([risk.level, risk.signals]).toEqual(['green', []]);

    // An organization entered long ago with no activity: inactive; recording one clears it.
    await t.db.kysely
      .updateTable('organizations')
      .set({ created_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    await t.admin.post('/api/risk-scans', {});
    risk = (await staffA.get(`/api/organizations/${id}/risk`)).json();
    expect(risk.signals).toEqual([
      { rule: 'inactive', since: today(), evidence: { lastActivityOn: null }, weight: 20 },
    ]);
    // The activities route judges "the future" by the UTC date.
    const occurredOn = new Date().toISOString().slice(0, 10);
    const act = await staffA.post(`/api/organizations/${id}/activities`, { occurredOn, title: '社区义诊' });
    expect(act.statusCode, act.body).toBe(201);
    expect((await staffA.get(`/api/organizations/${id}/risk`)).json().signals).toEqual([]);
  });
});

describe('rule settings', () => {
  it('lists every registered rule with its description in both languages, weight and parameters', async () => {
    const res = await staffA.get('/api/risk-rules');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((r: { id: string }) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'certificate_expired',
        'certificate_expiring',
        'inactive',
        'leadership_churn',
        'no_party_organization',
        'unreachable',
        'suspended',
      ]),
    );
    const inactive = res.json().items.find((r: { id: string }) => r.id === 'inactive');
    expect(inactive).toMatchObject({
      description: { 'zh-CN': expect.any(String), en: expect.any(String) },
      weight: 20,
      enabled: true,
      parameters: [{ name: 'days', unit: 'days', min: 30, max: 1095, default: 180, value: 180 }],
    });
    expect(res.json().settings).toMatchObject({ yellow: 1, orange: 40, red: 80, scanHour: 2 });
  });

  it('validates parameters against the rule’s own schema, naming each field', async () => {
    const bad = await t.admin.patch('/api/risk-rules/inactive', { parameters: { days: 5, hours: 3 } });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string; code: string }) => [e.field, e.code])
        .sort(),
    ).toEqual([
      ['parameters.days', 'out_of_range'],
      ['parameters.hours', 'unknown'],
    ]);
    expect((await t.admin.patch('/api/risk-rules/no_such_rule', { weight: 3 })).statusCode).toBe(404);
    expect((await t.admin.patch('/api/risk-rules/inactive', { weight: -1 })).statusCode).toBe(422);
    expect((await staffA.patch('/api/risk-rules/inactive', { weight: 3 })).statusCode).toBe(403);
  });

  it('applies a new weight and switch at the next evaluation, audited', async () => {
    const res = await t.admin.patch('/api/risk-rules/no_party_organization', { weight: 45, parameters: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ weight: 45, updatedBy: 'admin' });
    const id = await org(subA, '权重测试队');
    expect((await staffA.get(`/api/organizations/${id}/risk`)).json()).toMatchObject({ level: 'orange', score: 45 });
    await t.admin.patch('/api/risk-rules/no_party_organization', { enabled: false });
    await t.admin.post('/api/risk-scans', {});
    expect((await staffA.get(`/api/organizations/${id}/risk`)).json()).toMatchObject({ level: 'green', score: 0 });
    await t.admin.patch('/api/risk-rules/no_party_organization', { enabled: true, weight: 5 });
    // Sending what is already set changes nothing and records nothing.
    expect((await t.admin.patch('/api/risk-rules/no_party_organization', { weight: 5 })).json()).toMatchObject({
      weight: 5,
      enabled: true,
    });
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'risk.rule_update')
      .execute();
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[0]!.changes)).toEqual([{ field: 'weight', before: 5, after: 45 }]);
  });

  it('keeps the thresholds in order', async () => {
    const bad = await t.admin.put('/api/risk-settings', { yellow: 10, orange: 10, red: 5, scanHour: 24 });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['orange', 'red', 'scanHour']);
    const ok = await t.admin.put('/api/risk-settings', { yellow: 1, orange: 40, red: 80, scanHour: 3 });
    expect(ok.json()).toMatchObject({ yellow: 1, orange: 40, red: 80, scanHour: 3 });
  });
});

describe('lists by scope', () => {
  it('shows each caller only its subtree: by level, summary and the abnormal-activity list', async () => {
    await org(subB, '乙街道无党组织队');
    await t.admin.post('/api/risk-scans', {});
    const mine = (await staffA.get('/api/risk-organizations')).json().items;
    expect(mine.length).toBeGreaterThan(0);
    const orgsOfA = await t.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('jurisdiction_id', '=', subA)
      .execute();
    const idsOfA = new Set(orgsOfA.map((o) => o.id));
    expect(mine.every((o: { organizationId: number }) => idsOfA.has(o.organizationId))).toBe(true);
    const all = (await t.admin.get('/api/risk-organizations?level=yellow')).json().items;
    expect(all.some((o: { organizationId: number }) => !idsOfA.has(o.organizationId))).toBe(true);
    expect((await staffA.get(`/api/risk-organizations?jurisdictionId=${subB}`)).json().items).toEqual([]);

    const summary = (await district.get('/api/risk-summary')).json();
    const total = Object.values(summary.byLevel as Record<string, number>).reduce((n, c) => n + c, 0);
    const candidates = await t.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('jurisdiction_id', '=', subA)
      .where('status', 'in', ['active', 'dormant', 'suspended'])
      .execute();
    expect(total).toBe(candidates.length);
    expect(summary.newSignalsThisWeek).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'no_party_organization' })]),
    );
  });

  it('pages the risk list by score with a cursor', async () => {
    const first = (await t.admin.get('/api/risk-organizations?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await t.admin.get(`/api/risk-organizations?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].organizationId).not.toBe(first.items[0].organizationId);
    expect(second.items[0].score).toBeLessThanOrEqual(first.items[0].score);
  });

  it('lets center staff take an organization off the abnormal-activity list with evidence', async () => {
    const id = await org(subA, '名录队', { partyBranch: { kind: 'joint' } });
    const path = (
      await t.db.kysely.selectFrom('jurisdictions').select('path').where('id', '=', subA).executeTakeFirstOrThrow()
    ).path;
    const { id: listingId } = await t.db.kysely
      .insertInto('abnormal_listings')
      .values({
        organization_id: id,
        jurisdiction_path: path,
        reason: 'unreachable',
        listed_on: '2026-01-05',
        details: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const listed = (await staffA.get('/api/abnormal-listings')).json().items;
    expect(listed.map((l: { organizationName: string }) => l.organizationName)).toContain('名录队');
    expect((await t.agent().get(`/api/public/organizations/${id}`)).json().abnormalListings).toEqual([
      { reason: 'unreachable', listedOn: '2026-01-05' },
    ]);
    const short = await staffA.post(`/api/abnormal-listings/${listingId}/removal`, { evidence: '好' });
    expect(short.statusCode).toBe(422);
    const other = await t.userAgent('center_staff', subB);
    expect(
      (await other.post(`/api/abnormal-listings/${listingId}/removal`, { evidence: '已恢复联系并提交说明' }))
        .statusCode,
    ).toBe(404);
    const res = await staffA.post(`/api/abnormal-listings/${listingId}/removal`, { evidence: '已恢复联系并提交说明' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      removalKind: 'rectified',
      removalEvidence: '已恢复联系并提交说明',
      removedOn: today(),
    });
    expect((await staffA.get('/api/abnormal-listings?current=false')).json().items[0].id).toBe(listingId);
    expect((await t.agent().get(`/api/public/organizations/${id}`)).json().abnormalListings).toEqual([]);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'abnormal_list.remove')
      .executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(listingId));
  });

  it('shows an NGO officer nothing of other organizations', async () => {
    const id = await org(subA, '自家队');
    const officer = await t.userAgent('ngo_officer', subA);
    await t.db.kysely.updateTable('users').set({ organization_id: id }).where('id', '=', officer.userId!).execute();
    expect((await officer.get(`/api/organizations/${id}/risk`)).statusCode).toBe(403);
    expect((await staffA.get(`/api/organizations/${id}/risk`)).statusCode).toBe(200);
  });
});
