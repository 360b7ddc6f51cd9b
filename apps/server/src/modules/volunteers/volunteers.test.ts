import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { pointsForMinutes } from './time-bank.js';

let t: TestApp;
let subId: number;
let staff: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  const d = (await t.district()).id;
  subId = (await t.subdistrict(d)).id;
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

describe('the time bank rule', () => {
  it('converts minutes to whole points, rounded down', () => {
    expect(pointsForMinutes(60, 10)).toBe(10);
    expect(pointsForMinutes(90, 10)).toBe(15);
    expect(pointsForMinutes(5, 10)).toBe(0);
    expect(pointsForMinutes(1440, 0)).toBe(0);
  });
});

describe('volunteers and their hours', () => {
  it('registers a beneficiary as a volunteer, logs hours on a shift, approves them into points at the city rate', async () => {
    const household = (
      await staff.post('/api/households', {
        headName: '互助户',
        idNumber: idNumber(700),
        category: 'low_income',
        jurisdictionId: subId,
      })
    ).json();
    const v = await staff.post('/api/volunteers', {
      name: '李阿姨',
      jurisdictionId: subId,
      phone: '13600001234',
      householdId: household.id,
      skills: '收银 理货',
    });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({
      phone: '136****1234',
      householdId: household.id,
      approvedMinutes: 0,
      earnedPoints: 0,
    });
    const shift = await staff.post('/api/volunteer-shifts', {
      jurisdictionId: subId,
      title: '慈善超市收银',
      place: '一楼',
      startsAt: '2026-01-05T01:00:00Z',
      endsAt: '2026-01-05T04:00:00Z',
    });
    expect(shift.statusCode, shift.body).toBe(201);
    await t.admin.patch('/api/household-settings', { volunteerPointsPerHour: 12 });
    const logged = await staff.post('/api/volunteer-hours', {
      volunteerId: v.json().id,
      shiftId: shift.json().id,
      workedOn: '2026-01-05',
      minutes: 150,
      description: '收银',
    });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({ status: 'pending', points: null });
    const approved = await staff.post(`/api/volunteer-hours/${logged.json().id}/approve`);
    expect(approved.json()).toMatchObject({ status: 'approved', points: 30 });
    expect((await staff.post(`/api/volunteer-hours/${logged.json().id}/approve`)).json().code).toBe(
      'invalid_transition',
    );
    const other = (
      await staff.post('/api/volunteer-hours', { volunteerId: v.json().id, workedOn: '2026-01-06', minutes: 60 })
    ).json();
    const rejected = await staff.post(`/api/volunteer-hours/${other.id}/reject`, { reason: '当天未到岗' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', points: null });
    const totals = (await staff.get(`/api/volunteers/${v.json().id}`)).json();
    expect(totals).toMatchObject({ approvedMinutes: 150, earnedPoints: 30 });
    // The volunteer belongs to a household in hardship: the points went to its ledger, once.
    const entries = await t.db.kysely
      .selectFrom('points_entries')
      .selectAll()
      .where('household_id', '=', household.id)
      .execute();
    expect(entries.map((e) => [e.kind, e.points, e.reference])).toEqual([
      ['grant', 30, `volunteer_hours:${logged.json().id}`],
    ]);
    expect((await staff.get(`/api/households/${household.id}/balance`)).json()).toEqual({
      points: 30,
      nextExpiry: null,
    }); // time-bank points never expire (ADR 0016)
    const pending = (await staff.get('/api/volunteer-hours?status=pending')).json().items;
    expect(pending).toEqual([]);
  });

  it('keeps the points of a volunteer without a household on the approved hours, off any household ledger', async () => {
    const v = (await staff.post('/api/volunteers', { name: '独居志愿者', jurisdictionId: subId })).json();
    const h = (
      await staff.post('/api/volunteer-hours', { volunteerId: v.id, workedOn: '2026-03-01', minutes: 60 })
    ).json();
    const before = await t.db.kysely.selectFrom('points_entries').select('id').execute();
    const approved = (await staff.post(`/api/volunteer-hours/${h.id}/approve`)).json();
    expect(approved.points).toBeGreaterThan(0);
    expect(await t.db.kysely.selectFrom('points_entries').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses more than 24 hours a day, future days, bad minutes and shifts that end before they start', async () => {
    const v = (await staff.post('/api/volunteers', { name: '王师傅', jurisdictionId: subId })).json();
    const log = (minutes: unknown, workedOn = '2026-02-01') =>
      staff.post('/api/volunteer-hours', { volunteerId: v.id, workedOn, minutes });
    expect((await log(1000)).statusCode).toBe(201);
    expect((await log(441)).json().errors).toContainEqual(
      expect.objectContaining({ field: 'minutes', code: 'day_exceeded' }),
    );
    for (const bad of [0, -5, 1.5, '60', 1441, null]) expect((await log(bad)).statusCode).toBe(422);
    expect((await log(10, '2999-01-01')).json().errors).toContainEqual(
      expect.objectContaining({ field: 'workedOn', code: 'in_future' }),
    );
    const shift = await staff.post('/api/volunteer-shifts', {
      jurisdictionId: subId,
      title: '理货',
      startsAt: '2026-01-05T04:00:00Z',
      endsAt: '2026-01-05T01:00:00Z',
    });
    expect(shift.json().errors).toContainEqual(expect.objectContaining({ field: 'endsAt', code: 'before_start' }));
    const off = await staff.patch(`/api/volunteers/${v.id}`, { status: 'inactive' });
    expect(off.json().status).toBe('inactive');
    expect((await log(10, '2026-02-02')).json().errors).toContainEqual(
      expect.objectContaining({ field: 'volunteerId', code: 'inactive' }),
    );
  });

  it('keeps volunteers of another subtree out of reach', async () => {
    const v = (await staff.post('/api/volunteers', { name: '本街道志愿者', jurisdictionId: subId })).json();
    const other = await t.userAgent('center_staff', (await t.subdistrict((await t.district()).id)).id);
    const seen = await other.get(`/api/volunteers/${v.id}`);
    const missing = await other.get('/api/volunteers/987654');
    expect([seen.statusCode, seen.json().code]).toEqual([missing.statusCode, missing.json().code]);
    expect((await other.get('/api/volunteers')).json().items).toEqual([]);
    const logged = await other.post('/api/volunteer-hours', { volunteerId: v.id, workedOn: '2026-01-01', minutes: 30 });
    expect(logged.json().errors).toContainEqual(expect.objectContaining({ field: 'volunteerId', code: 'not_found' }));
    const volunteerRole = await t.userAgent('volunteer', subId);
    expect((await volunteerRole.get('/api/volunteers')).statusCode).toBe(403);
  });
});
