import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { idNumber } from '../../testing/id-numbers.js';

let t: TestApp;
let districtId: number;
let subId: number;
let staff: Agent;
let staff2: Agent;
let officer: Agent;
let seq = 500;

beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
  subId = (await t.subdistrict(districtId)).id;
  staff = await t.userAgent('center_staff', subId);
  staff2 = await t.userAgent('center_staff', subId);
  officer = await t.userAgent('district_officer', districtId);
  // ¥1,000 needs a second approval above it; ¥3,000 a year at most.
  const set = await t.admin.patch('/api/household-settings', {
    aidSecondApprovalFen: 100_000,
    aidYearlyCapFen: 300_000,
  });
  expect(set.statusCode, set.body).toBe(200);
});
afterAll(() => t.close());

async function household(verified = true): Promise<number> {
  const h = await staff.post('/api/households', {
    headName: '救助户',
    idNumber: idNumber(seq++, '19700101'),
    category: 'expenditure_hardship',
    jurisdictionId: subId,
  });
  expect(h.statusCode, h.body).toBe(201);
  if (verified) await staff.post(`/api/households/${h.json().id}/verify`, { note: '已核' });
  return h.json().id;
}

const apply = (householdId: number, amountFen: number, agent: Agent = staff) =>
  agent.post('/api/aid-applications', {
    householdId,
    kind: 'medical',
    amountFen,
    reason: '住院自付费用高',
    evidence: ['医院诊断书 2026-10-02', '住院费用清单'],
  });

describe('aid applications', () => {
  it('approves a small grant with one approval by center staff, then records its payments', async () => {
    const h = await household();
    const res = await apply(h, 50_000);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'pending',
      needsSecondApproval: false,
      amountFen: 50_000,
      evidence: ['医院诊断书 2026-10-02', '住院费用清单'],
    });
    const id = res.json().id;
    const approved = await staff.post(`/api/aid-applications/${id}/approve`, { note: '材料齐全' });
    expect(approved.json()).toMatchObject({ status: 'approved', firstApproval: { by: expect.any(String) } });
    const part = await staff.post(`/api/aid-applications/${id}/disbursements`, {
      amountFen: 20_000,
      paidOn: '2026-01-05',
      method: 'bank_transfer',
      reference: 'TX-001',
    });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ status: 'approved', disbursedFen: 20_000 });
    const over = await staff.post(`/api/aid-applications/${id}/disbursements`, {
      amountFen: 30_001,
      paidOn: '2026-01-05',
      method: 'cash',
    });
    expect([over.statusCode, over.json().code]).toEqual([409, 'disbursement_exceeds_grant']);
    const rest = await staff.post(`/api/aid-applications/${id}/disbursements`, {
      amountFen: 30_000,
      paidOn: '2026-01-06',
      method: 'cash',
    });
    expect(rest.json()).toMatchObject({ status: 'disbursed', disbursedFen: 50_000 });
    expect(rest.json().disbursements).toHaveLength(2);
    const future = await staff.post(`/api/aid-applications/${id}/disbursements`, {
      amountFen: 1,
      paidOn: '2999-01-01',
      method: 'cash',
    });
    expect(future.json().errors).toContainEqual(expect.objectContaining({ field: 'paidOn', code: 'in_future' }));
  });

  it('needs a second approval by a district officer above the threshold, from another person', async () => {
    const h = await household();
    const id = (await apply(h, 150_000)).json().id;
    const first = await staff.post(`/api/aid-applications/${id}/approve`, {});
    expect(first.json()).toMatchObject({ status: 'awaiting_second_approval', needsSecondApproval: true });
    // Center staff cannot give the second approval, nor pay before it.
    expect((await staff2.post(`/api/aid-applications/${id}/approve`, {})).statusCode).toBe(403);
    const early = await staff.post(`/api/aid-applications/${id}/disbursements`, {
      amountFen: 1,
      paidOn: '2026-01-05',
      method: 'cash',
    });
    expect(early.json().code).toBe('invalid_transition');
    const second = await officer.post(`/api/aid-applications/${id}/approve`, { note: '同意' });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ status: 'approved', secondApproval: { by: expect.any(String) } });
    // The city administrator holds both permissions but may not approve twice.
    const h2 = await household();
    const id2 = (await apply(h2, 150_000, t.admin)).json().id;
    await t.admin.post(`/api/aid-applications/${id2}/approve`, {});
    const twice = await t.admin.post(`/api/aid-applications/${id2}/approve`, {});
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'distinct_approver_required']);
    const rejected = await officer.post(`/api/aid-applications/${id2}/reject`, { reason: '材料不足' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '材料不足' });
  });

  it('refuses past the yearly cap with aid_cap_exceeded; rejected applications free the cap', async () => {
    const h = await household();
    expect((await apply(h, 200_000)).statusCode).toBe(201);
    const over = await apply(h, 100_001);
    expect([over.statusCode, over.json().code]).toEqual([409, 'aid_cap_exceeded']);
    const fits = await apply(h, 100_000);
    expect(fits.statusCode).toBe(201);
    await staff.post(`/api/aid-applications/${fits.json().id}/reject`, { reason: '重复申请' });
    expect((await apply(h, 100_000)).statusCode).toBe(201);
    const year = (await staff.get(`/api/households/${h}/aid-year`)).json();
    expect(year).toMatchObject({ capFen: 300_000, committedFen: 300_000, remainingFen: 0 });
  });

  it('lets exactly as many concurrent applications through as the cap holds', async () => {
    const h = await household();
    const results = await Promise.all(Array.from({ length: 8 }, () => apply(h, 100_000)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'aid_cap_exceeded')).toBe(true);
  });

  it('refuses an unverified household and one out of scope', async () => {
    const h = await household(false);
    const res = await apply(h, 1_000);
    expect([res.statusCode, res.json().code]).toEqual([409, 'household_not_eligible']);
    const other = await t.userAgent('center_staff', (await t.subdistrict((await t.district()).id)).id);
    const verified = await household();
    const out = await apply(verified, 1_000, other);
    expect(out.json().errors).toContainEqual(expect.objectContaining({ field: 'householdId', code: 'not_found' }));
    const id = (await apply(verified, 1_000)).json().id;
    const seen = await other.get(`/api/aid-applications/${id}`);
    const missing = await other.get('/api/aid-applications/987654');
    expect([seen.statusCode, seen.json().code]).toEqual([missing.statusCode, missing.json().code]);
    expect((await other.get('/api/aid-applications')).json().items).toEqual([]);
  });

  it('rejects fractional, negative, string and huge amounts with nothing written', async () => {
    const h = await household();
    for (const amountFen of [0, -1, 1.5, '100', 1e12, null]) {
      const res = await staff.post('/api/aid-applications', {
        householdId: h,
        kind: 'financial',
        amountFen,
        reason: '测试',
        evidence: ['x'],
      });
      expect(res.statusCode).toBe(422);
    }
    expect((await staff.get(`/api/aid-applications?householdId=${h}`)).json().items).toEqual([]);
  });
});
