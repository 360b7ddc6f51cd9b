import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../platform/crypto.js';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';
import { registerCaseRiskRules } from '../cases/complaint-risk-rule.js';
import { registerRegistryRiskRules } from '../organizations/risk-rules.js';
import { RuleRegistry, addDays, addMonths, shanghaiDay } from './rule-registry.js';
import { createRiskService, type RiskService } from './risk.service.js';

// Each rule at its edges: the day before and the day it fires, with "today" in Asia/Shanghai time
// from a clock the test controls (00:30 in Shanghai is still the previous day in UTC).

let t: TestApp;
let risk: RiskService;
let now = new Date();
let subId: number;
/** A Shanghai wall-clock moment on `day`, 00:30: the UTC date is the day before. */
const at = (day: string) => {
  now = new Date(`${day}T00:30:00+08:00`);
};

beforeAll(async () => {
  t = await buildTestApp();
  const registry = new RuleRegistry();
  registerRegistryRiskRules(registry);
  registerCaseRiskRules(registry);
  risk = createRiskService(
    { db: t.db, config: t.config, keyring: new Keyring(t.config.secret) },
    { registry, clock: () => now },
  );
  subId = (await t.subdistrict((await t.district()).id)).id;
});
afterAll(() => t.close());

let seq = 0;
/** An active organization with a party organization, entered long ago, so only the rule under test fires. */
async function activeOrg(extra: Record<string, unknown> = {}) {
  const res = await t.admin.post('/api/organizations', {
    kind: 'community_org',
    name: `风险测试队${++seq}`,
    jurisdictionId: subId,
    partyBranch: { kind: 'liaison' },
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as number;
  expect((await t.admin.post(`/api/organizations/${id}/status`, { status: 'active', reason: '备案' })).statusCode).toBe(
    200,
  );
  await t.db.kysely
    .updateTable('organizations')
    .set({ created_at: '2000-01-01T00:00:00.000Z' })
    .where('id', '=', id)
    .execute();
  await t.db.kysely
    .insertInto('activities')
    .values({
      organization_id: id,
      occurred_on: '2099-12-31',
      title: '持续活动',
      created_at: '2000-01-01T00:00:00.000Z',
    })
    .execute();
  return id;
}

async function fired(id: number): Promise<string[]> {
  await risk.reevaluateOrganization(id);
  const rows = await t.db.kysely
    .selectFrom('risk_signals')
    .select('rule_id')
    .where('organization_id', '=', id)
    .where('cleared_on', 'is', null)
    .orderBy('rule_id')
    .execute();
  return rows.map((r) => r.rule_id);
}

describe('dates in Asia/Shanghai', () => {
  it('takes today from the Shanghai wall clock, and moves days and months at the edges', () => {
    expect(shanghaiDay(new Date('2026-05-31T16:00:00Z'))).toBe('2026-06-01');
    expect(shanghaiDay(new Date('2026-05-31T15:59:59Z'))).toBe('2026-05-31');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-08-31', -6)).toBe('2024-02-29');
    expect(addMonths('2026-01-15', -12)).toBe('2025-01-15');
  });
});

describe('registry rules at their edges', () => {
  it('certificate_expired: not on the expiry day, from the day after', async () => {
    const id = await activeOrg({ certificateExpiresOn: '2026-05-31' });
    at('2026-05-31');
    expect(await fired(id)).not.toContain('certificate_expired');
    at('2026-06-01');
    expect(await fired(id)).toContain('certificate_expired');
    const r = await risk.getOrganizationRisk({ actor: await adminActor(), requestId: null, ip: null }, id);
    expect(r.signals.find((s) => s.rule === 'certificate_expired')).toEqual({
      rule: 'certificate_expired',
      since: '2026-06-01',
      evidence: { expiresOn: '2026-05-31' },
      weight: 40,
    });
  });

  it('certificate_expiring: within 30 days fires, 31 days does not', async () => {
    const id = await activeOrg({ certificateExpiresOn: '2026-07-01' });
    at('2026-05-31'); // 31 days before
    expect(await fired(id)).not.toContain('certificate_expiring');
    at('2026-06-01'); // 30 days before
    expect(await fired(id)).toContain('certificate_expiring');
    at('2026-07-01'); // the last valid day: still expiring, not expired
    expect(await fired(id)).toEqual(expect.arrayContaining(['certificate_expiring']));
    expect(await fired(id)).not.toContain('certificate_expired');
  });

  it('inactive: an activity 180 days ago keeps it quiet, 181 days ago fires', async () => {
    const id = await activeOrg();
    await t.db.kysely.deleteFrom('activities').where('organization_id', '=', id).execute();
    await t.db.kysely
      .insertInto('activities')
      .values({ organization_id: id, occurred_on: '2026-01-01', title: '新春', created_at: '2026-01-01T00:00:00Z' })
      .execute();
    at(addDays('2026-01-01', 180));
    expect(await fired(id)).not.toContain('inactive');
    at(addDays('2026-01-01', 181));
    expect(await fired(id)).toContain('inactive');
    const signal = await t.db.kysely
      .selectFrom('risk_signals')
      .selectAll()
      .where('organization_id', '=', id)
      .where('rule_id', '=', 'inactive')
      .executeTakeFirstOrThrow();
    expect(signal.ev_date).toBe('2026-01-01');
    // A new activity clears it the same day.
    await t.db.kysely
      .insertInto('activities')
      .values({
        organization_id: id,
        occurred_on: addDays('2026-01-01', 181),
        title: '重启',
        created_at: '2026-07-01T00:00:00Z',
      })
      .execute();
    expect(await fired(id)).not.toContain('inactive');
  });

  it('leadership_churn: three changes of the person in charge within 12 months, counted from the change history', async () => {
    const id = await activeOrg({ personInCharge: { name: '甲' } });
    for (const name of ['乙', '丙']) {
      expect((await t.admin.patch(`/api/organizations/${id}`, { personInCharge: { name } })).statusCode).toBe(200);
    }
    // Another field does not count as a change of leadership.
    expect((await t.admin.patch(`/api/organizations/${id}`, { address: '某路2号' })).statusCode).toBe(200);
    const changes = await t.db.kysely
      .selectFrom('organization_leader_changes')
      .select('changed_on')
      .where('organization_id', '=', id)
      .execute();
    expect(changes).toHaveLength(2);
    const day = changes[0]!.changed_on;
    at(day);
    expect(await fired(id)).not.toContain('leadership_churn');
    expect((await t.admin.patch(`/api/organizations/${id}`, { personInCharge: { name: '丁' } })).statusCode).toBe(200);
    expect(await fired(id)).toContain('leadership_churn');
    // Twelve months less a day later all three still count; twelve months later they have aged out.
    at(addDays(addMonths(day, 12), -1));
    expect(await fired(id)).toContain('leadership_churn');
    at(addMonths(day, 12));
    expect(await fired(id)).not.toContain('leadership_churn');
  });

  it('no_party_organization, unreachable and suspended follow the record', async () => {
    const id = await activeOrg({ partyBranch: { kind: 'none' } });
    at('2026-06-01');
    expect(await fired(id)).toEqual(['no_party_organization']);
    await t.admin.patch(`/api/organizations/${id}`, { partyBranch: { kind: 'joint' }, contactStatus: 'unreachable' });
    expect(await fired(id)).toEqual(['unreachable']);
    await t.admin.post(`/api/organizations/${id}/status`, { status: 'suspended', reason: '责令暂停' });
    expect(await fired(id)).toEqual(['suspended', 'unreachable']);
    // Placed in another subdistrict: its open signals follow it.
    const other = (await t.subdistrict((await t.district()).id)).id;
    const path = (
      await t.db.kysely.selectFrom('jurisdictions').select('path').where('id', '=', other).executeTakeFirstOrThrow()
    ).path;
    await t.db.kysely
      .updateTable('organizations')
      .set({ jurisdiction_id: other, jurisdiction_path: path })
      .where('id', '=', id)
      .execute();
    await fired(id);
    const paths = await t.db.kysely
      .selectFrom('risk_signals')
      .select('jurisdiction_path')
      .where('organization_id', '=', id)
      .where('cleared_on', 'is', null)
      .execute();
    expect(paths.map((p) => p.jurisdiction_path)).toEqual([path, path]);
    // Deregistered: no longer a candidate, every signal clears.
    await t.db.kysely.updateTable('organizations').set({ status: 'deregistered' }).where('id', '=', id).execute();
    expect(await fired(id)).toEqual([]);
  });
});

describe('the cases module’s rule', () => {
  it('complaints: three complaint cases in 90 days fire; the window starts at Shanghai midnight 89 days back', async () => {
    const id = await activeOrg();
    const j = await t.db.kysely
      .selectFrom('organizations')
      .select(['jurisdiction_id', 'jurisdiction_path'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const complaint = (createdAt: string, category = 'organization_complaint') =>
      t.db.kysely
        .insertInto('cases')
        .values({
          category,
          severity: 'low',
          description: '投诉',
          status: 'open',
          jurisdiction_id: j.jurisdiction_id,
          jurisdiction_path: j.jurisdiction_path,
          household_id: null,
          organization_id: id,
          reporter_id: null,
          reporter_name: '居民',
          reporter_role: 'volunteer',
          queue: 'center',
          department_id: null,
          assignee_id: null,
          assignee_name: null,
          level: 'subdistrict',
          level_jurisdiction_id: j.jurisdiction_id,
          acknowledge_due_at: createdAt,
          resolve_due_at: createdAt,
          acknowledged_at: null,
          resolved_at: null,
          outcome: null,
          escalated_at: null,
          version: 1,
          created_at: createdAt,
          updated_at: createdAt,
        })
        .execute();
    // 2026-03-03 00:00 in Shanghai is 2026-03-02 16:00 UTC.
    await complaint('2026-03-02T16:00:00.000Z');
    await complaint('2026-04-01T02:00:00.000Z');
    await complaint('2026-05-01T02:00:00.000Z', 'dispute');
    at('2026-05-31');
    expect(await fired(id)).not.toContain('complaints');
    await complaint('2026-05-30T02:00:00.000Z');
    // 2026-05-31 − 89 days = 2026-03-03: the first complaint is inside the window.
    expect(await fired(id)).toContain('complaints');
    const signal = await t.db.kysely
      .selectFrom('risk_signals')
      .selectAll()
      .where('organization_id', '=', id)
      .where('rule_id', '=', 'complaints')
      .executeTakeFirstOrThrow();
    expect([signal.ev_count, signal.ev_date]).toEqual([3, '2026-03-03']);
    // A day later the first complaint has left the window.
    at('2026-06-01');
    expect(await fired(id)).not.toContain('complaints');
  });
});

describe('the nightly scan', () => {
  it('runs once per Shanghai day, at or after the configured hour', async () => {
    now = new Date('2026-09-01T01:59:00+08:00');
    expect(await risk.runScheduledScan()).toBeNull();
    now = new Date('2026-09-01T02:00:00+08:00');
    expect(await risk.runScheduledScan()).toMatchObject({ scanned: expect.any(Number) });
    now = new Date('2026-09-01T23:00:00+08:00');
    expect(await risk.runScheduledScan()).toBeNull();
    // 00:30 the next Shanghai day is still 2026-09-01 in UTC, and before the hour: not yet.
    now = new Date('2026-09-02T00:30:00+08:00');
    expect(await risk.runScheduledScan()).toBeNull();
    now = new Date('2026-09-02T03:00:00+08:00');
    expect(await risk.runScheduledScan()).not.toBeNull();
  });
});

describe('score, level and history', () => {
  it('sums the weights, levels by the thresholds, and keeps the level history', async () => {
    const id = await activeOrg({ partyBranch: { kind: 'none' } });
    at('2026-06-01');
    await fired(id);
    const ctx = { actor: await adminActor(), requestId: null, ip: null };
    let r = await risk.getOrganizationRisk(ctx, id);
    expect([r.level, r.score]).toEqual(['yellow', 5]);
    await t.admin.patch(`/api/organizations/${id}`, { contactStatus: 'unreachable' });
    await fired(id);
    r = await risk.getOrganizationRisk(ctx, id);
    expect([r.level, r.score]).toEqual(['yellow', 35]);
    await t.db.kysely
      .updateTable('organizations')
      .set({ certificate_expires_on: '2026-01-01' })
      .where('id', '=', id)
      .execute();
    await fired(id);
    r = await risk.getOrganizationRisk(ctx, id);
    expect([r.level, r.score]).toEqual(['orange', 5 + 30 + 40]);
    await t.db.kysely
      .updateTable('organizations')
      .set({ certificate_expires_on: null, contact_status: 'reachable', party_branch_kind: 'joint' })
      .where('id', '=', id)
      .execute();
    await fired(id);
    r = await risk.getOrganizationRisk(ctx, id);
    expect([r.level, r.score, r.signals]).toEqual(['green', 0, []]);
    expect(r.history.map((h) => h.level)).toEqual(['green', 'orange', 'yellow']);
    const cleared = await t.db.kysely
      .selectFrom('risk_signals')
      .select(['rule_id', 'cleared_on'])
      .where('organization_id', '=', id)
      .orderBy('rule_id')
      .execute();
    expect(cleared.every((c) => c.cleared_on === '2026-06-01')).toBe(true);
  });
});

describe('the abnormal-activity list', () => {
  it('lists after 60 days unreachable, ends on rectification or after six months', async () => {
    const id = await activeOrg();
    await t.db.kysely
      .updateTable('organizations')
      .set({ contact_status: 'unreachable', unreachable_since: '2026-03-01' })
      .where('id', '=', id)
      .execute();
    const listings = () =>
      t.db.kysely.selectFrom('abnormal_listings').selectAll().where('organization_id', '=', id).orderBy('id').execute();
    at(addDays('2026-03-01', 59));
    await fired(id);
    expect(await listings()).toEqual([]);
    at(addDays('2026-03-01', 60));
    await fired(id);
    expect((await listings()).map((l) => [l.reason, l.listed_on])).toEqual([['unreachable', '2026-04-30']]);
    // Shown on the public directory entry.
    const pub = (await t.agent().get(`/api/public/organizations/${id}`)).json();
    expect(pub.abnormalListings).toEqual([{ reason: 'unreachable', listedOn: '2026-04-30' }]);

    // Six months less a day: still listed; six months: ended by itself.
    at(addDays(addMonths('2026-04-30', 6), -1));
    await fired(id);
    expect((await listings())[0]!.removed_on).toBeNull();
    at(addMonths('2026-04-30', 6));
    await fired(id);
    expect((await listings())[0]).toMatchObject({ removed_on: '2026-10-30', removal_kind: 'expired' });
    // Still unreachable: the clock restarts from the removal.
    at(addDays('2026-10-30', 59));
    await fired(id);
    expect(await listings()).toHaveLength(1);
    at(addDays('2026-10-30', 60));
    await fired(id);
    const again = await listings();
    expect(again).toHaveLength(2);

    const ctx = { actor: await adminActor(), requestId: null, ip: null };
    const removed = await risk.removeAbnormalListing(ctx, again[1]!.id, '已恢复联系，负责人到中心说明情况');
    expect(removed).toMatchObject({ removalKind: 'rectified', removedOn: addDays('2026-10-30', 60) });
    await expect(risk.removeAbnormalListing(ctx, again[1]!.id, '再次移出')).rejects.toMatchObject({ code: 'conflict' });
    expect((await t.agent().get(`/api/public/organizations/${id}`)).json().abnormalListings).toEqual([]);
  });
});

async function adminActor() {
  const { rolePermissions } = await import('@qiao/contracts');
  const root = await t.db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'path'])
    .where('id', '=', t.rootId)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user' as const,
    userId: 1,
    username: 'admin',
    role: 'city_admin' as const,
    departmentId: null,
    organizationId: null,
    jurisdictionId: root.id,
    scopePath: root.path,
    permissions: new Set(rolePermissions.city_admin),
  };
}
