import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../platform/http/log-redaction.js';
import { idNumber } from '../../testing/id-numbers.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

// Everything the server logs during the test, line by line.
const log: string[] = [];
const stream = new Writable({
  write(chunk: Buffer, _enc, done) {
    log.push(chunk.toString('utf8'));
    done();
  },
});

const ID = idNumber(901, '19580304');
const PHONE = '13512345678';

let t: TestApp;
let staff: Agent;
let subId: number;
beforeAll(async () => {
  t = await buildTestApp({ QIAO_LOG_LEVEL: 'info' }, { logStream: stream });
  const d = (await t.district()).id;
  subId = (await t.subdistrict(d)).id;
  staff = await t.userAgent('center_staff', subId);
});
afterAll(() => t.close());

describe('no full ID number in any list, export or log', () => {
  it('keeps the ID number and phone out of every answer but the audited reveal, and out of the server log', async () => {
    const answers: string[] = [];
    const keep = async (p: Promise<{ body: string; statusCode: number }>) => {
      const res = await p;
      expect(res.statusCode, res.body).toBeLessThan(500);
      answers.push(res.body);
      return res;
    };
    const created = await keep(
      staff.post('/api/households', {
        headName: '隐私户',
        idNumber: ID,
        category: 'extreme_poverty',
        jurisdictionId: subId,
        phone: PHONE,
      }),
    );
    const id = JSON.parse(created.body).id as number;
    await keep(staff.post(`/api/households/${id}/verify`, { note: '核对' }));
    await keep(staff.post(`/api/households/${id}/members`, { name: '隐私成员', relation: 'spouse' }));
    // Searching by the ID number and phone finds it, and neither the answer nor the log holds them.
    const byId = await keep(staff.get(`/api/households?q=${ID}`));
    expect(JSON.parse(byId.body).items.map((h: { id: number }) => h.id)).toEqual([id]);
    const byPhone = await keep(staff.get(`/api/households?q=${PHONE}`));
    expect(JSON.parse(byPhone.body).items).toHaveLength(1);
    await keep(staff.get(`/api/households/${id}`));
    await keep(staff.get('/api/households/due-for-reverification?days=400'));
    await keep(staff.get(`/api/households/${id}/verifications`));
    // A refused duplicate, and the district's task about it.
    const dup = await keep(
      staff.post('/api/households', { headName: '重复', idNumber: ID, category: 'low_income', jurisdictionId: subId }),
    );
    expect(dup.statusCode).toBe(409);
    await keep(t.admin.get('/api/household-duplicate-tasks'));
    await keep(t.admin.get('/api/audit-events?limit=500'));
    await keep(t.admin.get('/api/audit-events/export'));
    for (const body of answers) {
      expect(body).not.toContain(ID);
      expect(body).not.toContain(PHONE);
    }
    // The reveal answers in clear, and is the only way to.
    const revealed = await staff.post(`/api/households/${id}/reveal`, { reason: '核对身份' });
    expect(revealed.json().idNumber).toBe(ID);
    const text = log.join('');
    expect(text).toContain('/api/households?q=[masked]');
    expect(text).not.toContain(ID);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(ID.slice(0, 14));
    // Nor is it stored anywhere in clear.
    for (const table of ['households', 'household_members', 'household_duplicate_tasks', 'audit_events'] as const) {
      const rows = await t.db.kysely.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(ID);
    }
  });

  it('masks query values that hold personal numbers in logged URLs', () => {
    expect(redactUrl('/api/households?q=310101195803049012&limit=50')).toBe('/api/households?q=[masked]&limit=50');
    expect(redactUrl('/api/households?q=138%200013%208000')).toBe('/api/households?q=[masked]');
    expect(redactUrl('/api/households?q=%E5%BC%A0')).toBe('/api/households?q=%E5%BC%A0');
    expect(redactUrl('/api/households/12')).toBe('/api/households/12');
  });
});
