import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { idNumber } from '../../testing/id-numbers.js';
import { cardNumberFor, isCardNumber, shanghaiToday } from './household-rules.js';

let t: TestApp;
let districtId: number;
let subId: number;
let staff: Agent;
let volunteer: Agent;
beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
  subId = (await t.subdistrict(districtId)).id;
  staff = await t.userAgent('center_staff', subId);
  volunteer = await t.userAgent('volunteer', subId);
});
afterAll(() => t.close());

const create = (body: Record<string, unknown>, agent: Agent = staff) =>
  agent.post('/api/households', { category: 'subsistence_allowance', jurisdictionId: subId, ...body });

describe('entering households', () => {
  it('creates a household with the ID number and phone sealed, masked and never stored in clear', async () => {
    const id = idNumber(1);
    const res = await create({ headName: ' 张\u200B桂英 ', idNumber: id.toLowerCase(), phone: '139 1234 5678' });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h).toMatchObject({
      headName: '张桂英',
      idNumber: `${id.slice(0, 4)}**********${id.slice(-4)}`,
      phone: '139****5678',
      masked: true,
      category: 'subsistence_allowance',
      cardNumber: null,
      verification: null,
      mayRedeem: false,
      redeemBlock: 'unverified',
      consent: null,
      members: [],
    });
    const row = await t.db.kysely.selectFrom('households').selectAll().where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(id);
    expect(JSON.stringify(row)).not.toContain('13912345678');
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'household')
      .execute();
    expect(events.map((e) => e.action)).toContain('household.create');
    expect(JSON.stringify(events)).not.toContain(id);
  });

  it('validates the ID number (GB 11643), the category, the phone and the jurisdiction, naming each field', async () => {
    const res = await create({
      headName: '',
      idNumber: '110105194912310021',
      category: 'rich',
      phone: '12345',
    });
    expect(res.statusCode).toBe(422);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['category', 'headName', 'idNumber', 'phone']);
    const district = await create({ headName: '李四', idNumber: idNumber(2), jurisdictionId: districtId }, t.admin);
    expect(district.json().errors).toContainEqual(
      expect.objectContaining({ field: 'jurisdictionId', code: 'level_mismatch' }),
    );
    const extra = await create({ headName: '李四', idNumber: idNumber(2), address: '某路' });
    expect(extra.statusCode).toBe(422);
  });

  it('refuses the same ID number anywhere in the city with a neutral 409 and raises a task for the attempted district', async () => {
    const id = idNumber(3);
    expect((await create({ headName: '王秀兰', idNumber: id })).statusCode).toBe(201);
    const otherDistrict = (await t.district()).id;
    const otherSub = (await t.subdistrict(otherDistrict)).id;
    const otherStaff = await t.userAgent('center_staff', otherSub);
    const res = await create({ headName: '王某', idNumber: id, jurisdictionId: otherSub }, otherStaff);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate_household');
    // Nothing about the other household: not its name, place, center or id.
    expect(res.body).not.toContain('王秀兰');
    expect(res.body).not.toMatch(/街道|区\d/);
    const officer = await t.userAgent('district_officer', otherDistrict);
    const tasks = (await officer.get('/api/household-duplicate-tasks')).json().items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      jurisdictionId: otherSub,
      headName: '王某',
      idNumber: `${id.slice(0, 4)}**********${id.slice(-4)}`,
      status: 'open',
      // The existing household lies in another district: the officer is not told which.
      existingHouseholdId: null,
    });
    // The district where the household already is does not see the other district's task.
    const ownOfficer = await t.userAgent('district_officer', districtId);
    expect((await ownOfficer.get('/api/household-duplicate-tasks')).json().items).toHaveLength(0);
    // The city sees both ends.
    const cityTasks = (await t.admin.get('/api/household-duplicate-tasks?status=open')).json().items;
    expect(cityTasks.find((x: { id: number }) => x.id === tasks[0].id).existingHouseholdId).toEqual(expect.any(Number));
    const resolved = await officer.post(`/api/household-duplicate-tasks/${tasks[0].id}/resolve`, {
      resolution: '已与原街道核实，保留原登记',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const again = await officer.post(`/api/household-duplicate-tasks/${tasks[0].id}/resolve`, { resolution: '再次' });
    expect(again.statusCode).toBe(409);
    expect(
      (await ownOfficer.post(`/api/household-duplicate-tasks/${tasks[0].id}/resolve`, { resolution: '越权' }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses concurrent entries of one ID number: exactly one household', async () => {
    const id = idNumber(4);
    const results = await Promise.all(Array.from({ length: 6 }, () => create({ headName: '并发', idNumber: id })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });
});

describe('verification, cards and redemption eligibility', () => {
  it('verifies a household: who, when, note, valid until; issues a card number; re-verifying keeps the card', async () => {
    const h = (await create({ headName: '刘建国', idNumber: idNumber(10) })).json();
    const res = await staff.post(`/api/households/${h.id}/verify`, { note: '低保证 2026-0012 已核' });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v.cardNumber).toBe(cardNumberFor(h.id));
    expect(isCardNumber(v.cardNumber)).toBe(true);
    expect(v.mayRedeem).toBe(true);
    expect(v.verification).toMatchObject({ note: '低保证 2026-0012 已核', verifiedBy: expect.any(String) });
    expect(v.verification.validUntil > shanghaiToday()).toBe(true);
    const again = (await staff.post(`/api/households/${h.id}/verify`, {})).json();
    expect(again.cardNumber).toBe(v.cardNumber);
    const history = (await staff.get(`/api/households/${h.id}/verifications`)).json().items;
    expect(history).toHaveLength(2);
    // A volunteer may look a household up (the till) but not verify it.
    expect((await volunteer.post(`/api/households/${h.id}/verify`, {})).statusCode).toBe(403);
    expect(
      (await volunteer.get(`/api/households?q=${v.cardNumber}`)).json().items.map((x: { id: number }) => x.id),
    ).toEqual([h.id]);
  });

  it('an expired verification cannot redeem and shows in the re-verification reminders', async () => {
    const h = (await create({ headName: '过期户', idNumber: idNumber(11) })).json();
    await staff.post(`/api/households/${h.id}/verify`, {});
    await t.db.kysely.updateTable('households').set({ valid_until: '2020-01-01' }).where('id', '=', h.id).execute();
    const got = (await staff.get(`/api/households/${h.id}`)).json();
    expect(got).toMatchObject({ mayRedeem: false, redeemBlock: 'expired' });
    const due = (await staff.get('/api/households/due-for-reverification')).json();
    expect(due.items.map((x: { id: number }) => x.id)).toContain(h.id);
    const soon = (await create({ headName: '将到期', idNumber: idNumber(12) })).json();
    await staff.post(`/api/households/${soon.id}/verify`, {});
    const far = (await staff.get('/api/households/due-for-reverification?days=10')).json();
    expect(far.items.map((x: { id: number }) => x.id)).not.toContain(soon.id);
    const all = (await staff.get('/api/households/due-for-reverification?days=366')).json();
    expect(all.items.map((x: { id: number }) => x.id)).toContain(soon.id);
  });
});

describe('finding households', () => {
  it('finds by name fragment, exact ID number, phone and card number; pages by cursor', async () => {
    const id = idNumber(20);
    const h = (await create({ headName: '赵寻找', idNumber: id, phone: '13700001111' })).json();
    const find = async (q: string) =>
      (await staff.get(`/api/households?q=${encodeURIComponent(q)}`)).json().items.map((x: { id: number }) => x.id);
    expect(await find('寻找')).toEqual([h.id]);
    expect(await find(id)).toEqual([h.id]);
    expect(await find('137-0000-1111')).toEqual([h.id]);
    expect(await find('100%')).toEqual([]);
    const first = (await staff.get('/api/households?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await staff.get(`/api/households?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    // Lists never carry a full ID number.
    const all = await staff.get('/api/households?limit=200');
    expect(all.body).not.toContain(id);
  });
});

describe('members, consent and personal data', () => {
  it('keeps health data sealed, shows it only through an audited reveal with a reason', async () => {
    const id = idNumber(30);
    const h = (await create({ headName: '孙家', idNumber: id, phone: '13800002222' })).json();
    const added = await staff.post(`/api/households/${h.id}/members`, {
      name: '孙小明',
      relation: 'child',
      birthYear: 2012,
      disability: 'intellectual',
      seriousIllness: '白血病',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.body).not.toContain('白血病');
    expect(added.json().members).toEqual([
      { id: expect.any(Number), name: '孙小明', relation: 'child', birthYear: 2012, hasSensitive: true },
    ]);
    const row = await t.db.kysely
      .selectFrom('household_members')
      .selectAll()
      .where('household_id', '=', h.id)
      .execute();
    expect(JSON.stringify(row)).not.toContain('白血病');
    expect((await volunteer.post(`/api/households/${h.id}/reveal`, { reason: '看看' })).statusCode).toBe(403);
    expect((await staff.post(`/api/households/${h.id}/reveal`, { reason: '' })).statusCode).toBe(422);
    const shown = await staff.post(`/api/households/${h.id}/reveal`, { reason: '办理医疗救助' });
    expect(shown.json()).toEqual({
      idNumber: id,
      phone: '13800002222',
      members: [{ id: expect.any(Number), disability: 'intellectual', seriousIllness: '白血病' }],
    });
    const reveal = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'household.reveal')
      .where('entity_id', '=', String(h.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(reveal.details!)).toMatchObject({ reason: '办理医疗救助' });
    expect(JSON.stringify(await t.db.kysely.selectFrom('audit_events').selectAll().execute())).not.toContain('白血病');
    const memberId = added.json().members[0].id;
    const removed = await staff.request('DELETE', `/api/household-members/${memberId}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().members).toEqual([]);
  });

  it('records consent to data use and sharing with date and scope; a future date is refused', async () => {
    const h = (await create({ headName: '周同意', idNumber: idNumber(31) })).json();
    const res = await staff.post(`/api/households/${h.id}/consent`, {
      dataUse: true,
      sharing: false,
      on: '2026-03-01',
      scope: '同意用于慈善超市与救助审核 不向社会组织共享',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().consent).toEqual({
      dataUse: true,
      sharing: false,
      on: '2026-03-01',
      scope: '同意用于慈善超市与救助审核 不向社会组织共享',
    });
    const future = await staff.post(`/api/households/${h.id}/consent`, {
      dataUse: true,
      sharing: true,
      on: '2999-01-01',
      scope: '将来',
    });
    expect(future.json().errors).toContainEqual(expect.objectContaining({ field: 'on', code: 'in_future' }));
  });

  it('updates the fields sent, audits the change with personal data masked', async () => {
    const h = (await create({ headName: '吴原名', idNumber: idNumber(32) })).json();
    const res = await staff.patch(`/api/households/${h.id}`, {
      category: 'extreme_poverty',
      address: '某路 8 弄 3 号 201 室',
      phone: '13900003333',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ category: 'extreme_poverty', phone: '139****3333', headName: '吴原名' });
    const cleared = (await staff.patch(`/api/households/${h.id}`, { phone: null })).json();
    expect(cleared.phone).toBeNull();
    const ev = await t.db.kysely
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'household.update')
      .where('entity_id', '=', String(h.id))
      .execute();
    expect(JSON.stringify(ev)).not.toContain('13900003333');
  });
});

describe('scope', () => {
  it('answers households of another subtree as missing and never lists them', async () => {
    const h = (await create({ headName: '本街道', idNumber: idNumber(40) })).json();
    const other = await t.userAgent('center_staff', (await t.subdistrict(districtId)).id);
    const res = await other.get(`/api/households/${h.id}`);
    const missing = await other.get('/api/households/987654');
    expect([res.statusCode, res.json().code]).toEqual([missing.statusCode, missing.json().code]);
    expect((await other.get('/api/households')).json().items).toEqual([]);
    expect((await other.post(`/api/households/${h.id}/verify`, {})).statusCode).toBe(404);
    const created = await create({ headName: '越界', idNumber: idNumber(41) }, other);
    expect(created.json().errors).toContainEqual(
      expect.objectContaining({ field: 'jurisdictionId', code: 'not_found' }),
    );
  });
});
