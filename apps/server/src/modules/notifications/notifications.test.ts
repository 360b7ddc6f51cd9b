import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { deliverOutbox, MAX_ATTEMPTS, backoffMs, type ChannelSender } from './delivery.js';
import { notify, type NotifyInput } from './notify.js';

let t: TestApp;
let d1: number;
let s1: number;
let s2: number;
let staff1: Agent;
let staff1b: Agent;
let staff2: Agent;
let district1: Agent;
let volunteer1: Agent;

const path = async (id: number) =>
  await t.db.kysely.selectFrom('jurisdictions').select(['id', 'path']).where('id', '=', id).executeTakeFirstOrThrow();
const send = (input: NotifyInput) => t.db.kysely.transaction().execute((trx) => notify(trx, input));

beforeAll(async () => {
  t = await buildTestApp();
  d1 = (await t.district()).id;
  s1 = (await t.subdistrict(d1)).id;
  const d2 = (await t.district()).id;
  s2 = (await t.subdistrict(d2)).id;
  staff1 = await t.userAgent('center_staff', s1);
  staff1b = await t.userAgent('center_staff', s1);
  staff2 = await t.userAgent('center_staff', s2);
  district1 = await t.userAgent('district_officer', d1);
  volunteer1 = await t.userAgent('volunteer', s1);
});
afterAll(() => t.close());

describe('notify', () => {
  it('reaches the roles at one jurisdiction, and nobody elsewhere', async () => {
    const ids = await send({
      audience: { jurisdictionId: s1, roles: ['center_staff'] },
      kind: 'case.assigned',
      title: '新案件',
      params: { caseId: 7 },
      link: '/cases/7',
      exceptUserIds: [staff1b.userId!],
    });
    expect(ids).toEqual([staff1.userId]);
    const mine = await staff1.get('/api/notifications');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      unread: 1,
      items: [{ kind: 'case.assigned', title: '新案件', params: { caseId: 7 }, link: '/cases/7', readAt: null }],
    });
    for (const other of [staff1b, staff2, district1, volunteer1])
      expect((await other.get('/api/notifications/unread-count')).json()).toEqual({ unread: 0 });
  });

  it('never delivers a notification to a named user whose scope does not cover it', async () => {
    const ids = await send({
      audience: { userIds: [staff1.userId!, staff2.userId!, district1.userId!] },
      about: await path(s2),
      kind: 'case.resolved',
      title: '案件已办结',
    });
    expect(ids).toEqual([staff2.userId]);
    expect((await staff1.get('/api/notifications?unread=true')).json().items).toHaveLength(1);
  });

  it('refuses links that leave the app', async () => {
    await expect(
      send({
        audience: { jurisdictionId: s1, roles: ['center_staff'] },
        kind: 'x',
        title: 'x',
        link: '//evil.example',
      }),
    ).rejects.toThrow(/app path/);
  });
});

describe('the inbox', () => {
  it('marks one read, then all, and answers 404 for someone else’s', async () => {
    await send({ audience: { jurisdictionId: s1, roles: ['center_staff'] }, kind: 'case.escalated', title: '升级' });
    const page = (await staff1.get('/api/notifications')).json();
    expect(page.unread).toBe(2);
    const first = page.items[0].id;
    expect((await staff2.post(`/api/notifications/${first}/read`, {})).statusCode).toBe(404);
    const read = await staff1.post(`/api/notifications/${first}/read`, {});
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect((await staff1.get('/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
    expect((await staff1.post('/api/notifications/read-all', {})).json()).toEqual({ marked: 1 });
    expect((await staff1.get('/api/notifications/unread-count')).json()).toEqual({ unread: 0 });
    expect((await staff1.get('/api/notifications?unread=false&limit=1')).json()).toMatchObject({
      items: [{ id: first }],
      nextCursor: expect.any(String),
    });
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'notification.read')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('keeps the SMS channel off until a phone is given, and email off without SMTP', async () => {
    const bad = await staff1.put('/api/notifications/contacts', {
      email: null,
      phone: null,
      emailEnabled: false,
      smsEnabled: true,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['phone']);
    const noSmtp = await staff1.put('/api/notifications/contacts', {
      email: 'a@example.org',
      phone: null,
      emailEnabled: true,
      smsEnabled: false,
    });
    expect(noSmtp.statusCode).toBe(422);
    const ok = await staff1.put('/api/notifications/contacts', {
      email: null,
      phone: '138 0013 8000',
      emailEnabled: false,
      smsEnabled: true,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      email: null,
      phone: '13800138000',
      emailEnabled: false,
      smsEnabled: true,
      emailAvailable: false,
    });
  });
});

describe('the outbox', () => {
  it('queues SMS only when asked for and switched on, retries a failing channel with backoff, then sends', async () => {
    await send({
      audience: { jurisdictionId: s1, roles: ['center_staff'] },
      kind: 'case.escalated',
      title: '紧急案件已升级',
      channels: ['sms'],
    });
    const queued = await t.db.kysely.selectFrom('notification_outbox').selectAll().execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ channel: 'sms', recipient: '13800138000', status: 'pending', attempts: 0 });

    let now = new Date(Date.parse(queued[0]!.next_attempt_at));
    const clock = () => now;
    const sent: string[] = [];
    let failing = true;
    const sms: ChannelSender = {
      async send(m) {
        if (failing) throw new Error('gateway down');
        sent.push(m.body);
      },
    };
    expect(await deliverOutbox(t.db.kysely, { sms }, clock)).toEqual({ sent: 0, retried: 1, failed: 0 });
    let row = await t.db.kysely.selectFrom('notification_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down' });
    expect(Date.parse(row.next_attempt_at) - now.getTime()).toBe(backoffMs(1));
    // Not due yet: nothing happens.
    expect(await deliverOutbox(t.db.kysely, { sms }, clock)).toEqual({ sent: 0, retried: 0, failed: 0 });
    now = new Date(Date.parse(row.next_attempt_at));
    failing = false;
    expect(await deliverOutbox(t.db.kysely, { sms }, clock)).toEqual({ sent: 1, retried: 0, failed: 0 });
    row = await t.db.kysely.selectFrom('notification_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(sent).toEqual(['紧急案件已升级']);
  });

  it('gives up after the last attempt but keeps the row and its error', async () => {
    await t.db.kysely.deleteFrom('notification_outbox').execute();
    await send({
      audience: { jurisdictionId: s1, roles: ['center_staff'] },
      kind: 'case.escalated',
      title: '再次升级',
      channels: ['sms', 'email'],
    });
    let now = new Date(Date.now() + 1000);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      // No sms sender configured at all: every attempt fails.
      await deliverOutbox(t.db.kysely, {}, () => now);
      now = new Date(now.getTime() + backoffMs(i + 1) + 1);
    }
    const rows = await t.db.kysely.selectFrom('notification_outbox').selectAll().execute();
    expect(rows).toHaveLength(1); // email was not switched on for this user
    expect(rows[0]).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      last_error: 'no sms channel is configured',
    });
    expect(backoffMs(1)).toBeLessThan(backoffMs(2));
    expect(backoffMs(40)).toBe(6 * 60 * 60 * 1000);
  });

  it('shows the delivery log to city administrators only, phone numbers masked', async () => {
    expect((await staff1.get('/api/notifications/outbox')).statusCode).toBe(403);
    const log = await t.admin.get('/api/notifications/outbox?status=failed');
    expect(log.statusCode).toBe(200);
    expect(log.json().items[0]).toMatchObject({ recipient: '138****8000', status: 'failed' });
  });
});
