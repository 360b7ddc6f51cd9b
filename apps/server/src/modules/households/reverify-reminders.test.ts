import type { Notification } from '@qiao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { addDays, shanghaiToday } from './household-rules.js';

// The job reads "today" from the app's clock; the dates below are set relative to that same day.
const now = new Date();
const today = shanghaiToday(now);

let t: TestApp;
let s1: number;
let s2: number;
let s3: number;
let staff: Agent;
let staff2: Agent;
let staffOther: Agent;
let districtOfficer: Agent;

const run = async () => {
  const job = t.app.jobs.find((j) => j.name === 'household-reverify-reminders');
  if (!job) throw new Error('the reminder job is not registered');
  expect(job.schedule).toEqual({ dailyAt: expect.stringMatching(/^\d\d:\d\d$/) });
  return (await job.run()) as { reminded: number; unheard: number; until: string };
};

let seq = 0;
/** A verified household of `jurisdictionId` whose verification holds through `validUntil` (null: never verified). */
async function household(jurisdictionId: number, validUntil: string | null): Promise<number> {
  seq += 1;
  const res = await t.admin.post('/api/households', {
    category: 'low_income',
    jurisdictionId,
    headName: `提醒户${seq}`,
    idNumber: idNumber(900 + seq),
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as number;
  if (validUntil) {
    expect((await t.admin.post(`/api/households/${id}/verify`, {})).statusCode).toBe(200);
    await t.db.kysely.updateTable('households').set({ valid_until: validUntil }).where('id', '=', id).execute();
  }
  return id;
}

/** The re-verification reminders an agent holds, as household id → how many. */
async function reminders(agent: Agent): Promise<Map<number, Notification[]>> {
  const items = (await agent.get('/api/notifications?limit=100')).json().items as Notification[];
  const by = new Map<number, Notification[]>();
  for (const n of items.filter((n) => n.kind === 'household.reverify_due'))
    by.set(Number(n.params.householdId), [...(by.get(Number(n.params.householdId)) ?? []), n]);
  return by;
}

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => now });
  const d1 = (await t.district()).id;
  s1 = (await t.subdistrict(d1)).id;
  s2 = (await t.subdistrict(d1)).id; // no center staff in post
  const d2 = (await t.district()).id; // no district officer either
  s3 = (await t.subdistrict(d2)).id;
  const s4 = (await t.subdistrict(d1)).id;
  staff = await t.userAgent('center_staff', s1);
  staff2 = await t.userAgent('center_staff', s1);
  staffOther = await t.userAgent('center_staff', s4);
  districtOfficer = await t.userAgent('district_officer', d1);
});
afterAll(() => t.close());

describe('re-verification reminders', () => {
  it('tells the center staff of each due household once per verification period, up the tree when nobody is in post', async () => {
    const soon = await household(s1, addDays(today, 5));
    const expired = await household(s1, '2020-01-01');
    const lastDay = await household(s1, addDays(today, 30)); // the edge of the 30-day window
    const later = await household(s1, addDays(today, 31));
    const unverified = await household(s1, null);
    const noCenter = await household(s2, addDays(today, 1));
    const noDistrict = await household(s3, addDays(today, 2));

    const first = await run();
    expect(first).toMatchObject({ reminded: 5, unheard: 0, until: addDays(today, 30) });

    for (const agent of [staff, staff2]) {
      const got = await reminders(agent);
      expect([...got.keys()].sort((a, b) => a - b)).toEqual([soon, expired, lastDay]);
      expect(got.get(soon)![0]).toMatchObject({
        link: `/households/${soon}`,
        params: { householdId: soon, validUntil: addDays(today, 5) },
      });
      // Neither the head's name nor an ID number travels in a notification (it becomes an email subject).
      expect(JSON.stringify(got.get(soon))).not.toContain('提醒户');
    }
    expect(later).toBeGreaterThan(0);
    expect(unverified).toBeGreaterThan(0);
    // The subdistrict with nobody in post: its district hears of it; the city hears only of a district without officers.
    expect([...(await reminders(districtOfficer)).keys()]).toEqual([noCenter]);
    expect([...(await reminders(t.admin)).keys()]).toEqual([noDistrict]);
    expect((await reminders(staffOther)).size).toBe(0);

    // Rerunning the same day, or the next, tells nobody again.
    expect(await run()).toMatchObject({ reminded: 0, unheard: 0 });
    expect((await reminders(staff)).get(soon)).toHaveLength(1);

    // Verified again: a new period, reminded once more when it comes due.
    expect((await staff.post(`/api/households/${soon}/verify`, {})).statusCode).toBe(200);
    expect(await run()).toMatchObject({ reminded: 0 });
    await t.db.kysely
      .updateTable('households')
      .set({ valid_until: addDays(today, 3) })
      .where('id', '=', soon)
      .execute();
    expect(await run()).toMatchObject({ reminded: 1 });
    const again = (await reminders(staff)).get(soon)!;
    expect(again.map((n) => n.params.validUntil).sort()).toEqual([addDays(today, 3), addDays(today, 5)]);

    // Each reminder is in the audit trail, with where it went.
    const audited = await t.db.kysely
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'household.reverify_reminder')
      .execute();
    expect(audited.map((a) => Number(a.entity_id)).sort((a, b) => a - b)).toEqual(
      [soon, soon, expired, lastDay, noCenter, noDistrict].sort((a, b) => a - b),
    );
    const toNoCenter = audited.find((a) => Number(a.entity_id) === noCenter)!;
    expect(JSON.parse(String(toNoCenter.details))).toMatchObject({ toldRole: 'district_officer' });
  });

  it('follows the notice window of the household settings', async () => {
    const inTen = await household(s1, addDays(today, 10));
    const settings = await t.admin.patch('/api/household-settings', { reverifyNoticeDays: 7 });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(await run()).toMatchObject({ reminded: 0, until: addDays(today, 7) });
    expect((await t.admin.patch('/api/household-settings', { reverifyNoticeDays: 14 })).statusCode).toBe(200);
    expect(await run()).toMatchObject({ reminded: 1 });
    expect((await reminders(staff)).get(inTen)).toHaveLength(1);
  });

  it('keeps a household due when nobody at all can be told, and tells once someone is in post', async () => {
    // Every city administrator disabled for the moment: a district without officers has nobody above it.
    const d3 = (await t.district()).id;
    const s5 = (await t.subdistrict(d3)).id;
    const lonely = await household(s5, addDays(today, 4));
    const admins = await t.db.kysely.selectFrom('users').select('id').where('role', '=', 'city_admin').execute();
    const ids = admins.map((a) => a.id);
    await t.db.kysely.updateTable('users').set({ status: 'disabled' }).where('id', 'in', ids).execute();
    try {
      expect(await run()).toMatchObject({ reminded: 0, unheard: 1 });
      const row = await t.db.kysely
        .selectFrom('households')
        .select('reverify_reminded_for')
        .where('id', '=', lonely)
        .executeTakeFirstOrThrow();
      expect(row.reverify_reminded_for).toBeNull();
    } finally {
      await t.db.kysely.updateTable('users').set({ status: 'active' }).where('id', 'in', ids).execute();
    }
    const centerStaff = await t.userAgent('center_staff', s5);
    expect(await run()).toMatchObject({ reminded: 1, unheard: 0 });
    expect((await reminders(centerStaff)).get(lonely)).toHaveLength(1);
  });
});
