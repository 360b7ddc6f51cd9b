import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let subId: number;
let otherSubId: number;
let staff: Agent & { username: string };

const userId = async (username: string) =>
  (await t.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  t = await buildTestApp();
  const d = (await t.district()).id;
  subId = (await t.subdistrict(d)).id;
  otherSubId = (await t.subdistrict(d)).id;
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

describe('a volunteer with their own account', () => {
  it('sees their record, logs their own hours as pending, and gets points once staff approve', async () => {
    const household = (
      await staff.post('/api/households', {
        headName: '互助户',
        idNumber: idNumber(810),
        category: 'low_income',
        jurisdictionId: subId,
      })
    ).json();
    const me = await t.userAgent('volunteer', subId);
    // Before staff link the account, there is nothing of theirs to see or log.
    expect((await me.get('/api/my/volunteer')).statusCode).toBe(404);
    expect((await me.post('/api/my/volunteer-hours', { workedOn: '2026-01-05', minutes: 60 })).statusCode).toBe(404);
    const v = await staff.post('/api/volunteers', {
      name: '王阿姨',
      jurisdictionId: subId,
      householdId: household.id,
      userId: await userId(me.username),
    });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({ userId: await userId(me.username), username: me.username });
    const shift = (
      await staff.post('/api/volunteer-shifts', {
        jurisdictionId: subId,
        title: '理货',
        startsAt: '2026-01-05T01:00:00Z',
        endsAt: '2026-01-05T03:00:00Z',
      })
    ).json();
    await staff.post('/api/volunteer-shifts', {
      jurisdictionId: otherSubId,
      title: '别处的班次',
      startsAt: '2026-01-05T01:00:00Z',
      endsAt: '2026-01-05T03:00:00Z',
    });
    const shifts = (await me.get('/api/my/volunteer-shifts')).json();
    expect(shifts.items.map((s: { id: number }) => s.id)).toEqual([shift.id]);

    const logged = await me.post('/api/my/volunteer-hours', {
      shiftId: shift.id,
      workedOn: '2026-01-05',
      minutes: 90,
      description: '整理货架',
    });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({
      status: 'pending',
      selfLogged: true,
      volunteerId: v.json().id,
      points: null,
    });
    // The volunteer may not use the staff routes: no approving, no logging for others.
    expect((await me.post(`/api/volunteer-hours/${logged.json().id}/approve`, {})).statusCode).toBe(403);
    expect(
      (await me.post('/api/volunteer-hours', { volunteerId: v.json().id, workedOn: '2026-01-05', minutes: 10 }))
        .statusCode,
    ).toBe(403);
    // Staff see it in their queue and approve it; the points follow, on the record and the household.
    const queue = (await staff.get('/api/volunteer-hours?status=pending')).json();
    expect(queue.items.map((h: { id: number }) => h.id)).toContain(logged.json().id);
    const approved = await staff.post(`/api/volunteer-hours/${logged.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const mine = (await me.get('/api/my/volunteer')).json();
    expect(mine).toMatchObject({ approvedMinutes: 90, earnedPoints: approved.json().points });
    expect(approved.json().points).toBeGreaterThan(0);
    const hours = (await me.get('/api/my/volunteer-hours')).json();
    expect(hours.items).toEqual([expect.objectContaining({ status: 'approved', points: approved.json().points })]);
    const balance = (await staff.get(`/api/households/${household.id}/balance`)).json();
    expect(balance.points).toBe(approved.json().points);
    // Their own hours never pass 24 h a day either.
    const tooMany = await me.post('/api/my/volunteer-hours', { workedOn: '2026-01-05', minutes: 1400 });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0]).toMatchObject({ field: 'minutes', code: 'day_exceeded' });
    const ahead = await me.post('/api/my/volunteer-hours', { workedOn: '2999-01-01', minutes: 10 });
    expect(ahead.json().errors[0]).toMatchObject({ field: 'workedOn', code: 'in_future' });
  });

  it('never lets anyone decide the hours of their own volunteer record', async () => {
    // Center staff who volunteer too (linked by the database: the API links volunteer accounts only).
    const v = (await staff.post('/api/volunteers', { name: '自己', jurisdictionId: subId })).json();
    await t.db.kysely
      .updateTable('volunteers')
      .set({ user_id: await userId(staff.username) })
      .where('id', '=', v.id)
      .execute();
    const logged = await staff.post('/api/volunteer-hours', { volunteerId: v.id, workedOn: '2026-01-06', minutes: 60 });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json().selfLogged).toBe(true);
    for (const decision of ['approve', 'reject']) {
      const self = await staff.post(`/api/volunteer-hours/${logged.json().id}/${decision}`, { reason: '自己' });
      expect([self.statusCode, self.json().code]).toEqual([409, 'distinct_approver_required']);
    }
    expect((await staff.get(`/api/volunteer-hours?volunteerId=${v.id}`)).json().items[0].status).toBe('pending');
    const other = await t.userAgent('center_staff', subId);
    expect((await other.post(`/api/volunteer-hours/${logged.json().id}/approve`, {})).statusCode).toBe(200);
    await t.db.kysely.updateTable('volunteers').set({ user_id: null }).where('id', '=', v.id).execute();
  });

  it('links only a volunteer-role account of the same subdistrict, once', async () => {
    const vol = await t.userAgent('volunteer', subId);
    const elsewhere = await t.userAgent('volunteer', otherSubId);
    const staffB = await t.userAgent('center_staff', otherSubId);
    const field = async (body: object, agent: Agent = staff) => {
      const res = await agent.post('/api/volunteers', { name: '某', jurisdictionId: subId, ...body });
      return [res.statusCode, res.statusCode === 422 ? res.json().errors[0] : null];
    };
    expect(await field({ userId: await userId(staff.username) })).toEqual([
      422,
      expect.objectContaining({ field: 'userId', code: 'role_mismatch' }),
    ]);
    expect(await field({ userId: 987654 })).toEqual([422, expect.objectContaining({ code: 'not_found' })]);
    // A user of another subdistrict is not visible to this center's staff: like missing.
    expect(await field({ userId: await userId(elsewhere.username) })).toEqual([
      422,
      expect.objectContaining({ code: 'not_found' }),
    ]);
    // The city admin sees both, but the account must serve where the volunteer does.
    const res = await t.admin.post('/api/volunteers', {
      name: '某',
      jurisdictionId: subId,
      userId: await userId(elsewhere.username),
    });
    expect(res.json().errors[0]).toMatchObject({ field: 'userId', code: 'jurisdiction_mismatch' });
    const first = await staff.post('/api/volunteers', {
      name: '甲',
      jurisdictionId: subId,
      userId: await userId(vol.username),
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(await field({ userId: await userId(vol.username) })).toEqual([
      422,
      expect.objectContaining({ code: 'already_linked' }),
    ]);
    // Staff of B cannot move the link to a record of theirs, and unlinking is an audited update.
    expect((await staffB.patch(`/api/volunteers/${first.json().id}`, { userId: null })).statusCode).toBe(404);
    const unlinked = await staff.patch(`/api/volunteers/${first.json().id}`, { userId: null });
    expect(unlinked.json()).toMatchObject({ userId: null, username: null });
    expect((await vol.get('/api/my/volunteer')).statusCode).toBe(404);
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'volunteer.update')
      .where('entity_id', '=', String(first.json().id))
      .execute();
    expect(events.length).toBe(1);
  });

  it('lets two links of one account at once end in one link and a field error, never a 5xx', async () => {
    const vol = await t.userAgent('volunteer', subId);
    const uid = await userId(vol.username);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        staff.post('/api/volunteers', { name: `并发${i}`, jurisdictionId: subId, userId: uid }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
  });
});
