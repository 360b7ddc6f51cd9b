import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';

// 01:00 on 28 November in Shanghai is still 27 November in UTC.
let now = new Date('2026-11-27T17:00:00Z');
let t: TestApp;
let orgId: number;
beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => now });
  const sub = await t.subdistrict((await t.district()).id);
  const org = await t.admin.post('/api/organizations', {
    jurisdictionId: sub.id,
    kind: 'community_org',
    name: '晨光读书会',
  });
  orgId = org.json().id;
});
afterAll(() => t.close());

const record = (occurredOn: string) =>
  t.admin.post(`/api/organizations/${orgId}/activities`, { occurredOn, title: '清晨读书' });

describe('when an activity may be recorded', () => {
  it('takes today as the Shanghai date, early in the morning too', async () => {
    expect((await record('2026-11-28')).statusCode).toBe(201);
    const tomorrow = await record('2026-11-29');
    expect(tomorrow.statusCode).toBe(422);
    expect(tomorrow.json().errors).toContainEqual(expect.objectContaining({ field: 'occurredOn', code: 'in_future' }));
  });

  it('refuses the next Shanghai day until it begins at 16:00 UTC', async () => {
    now = new Date('2026-11-28T15:59:00Z');
    expect((await record('2026-11-29')).statusCode).toBe(422);
    now = new Date('2026-11-28T16:00:00Z');
    expect((await record('2026-11-29')).statusCode).toBe(201);
  });
});
