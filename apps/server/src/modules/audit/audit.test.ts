import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';

const run = promisify(execFile);
const QIAO_BIN = path.resolve(import.meta.dirname, '../../../bin/qiao.mjs');

let t: TestApp;
let districtA: number;
let subA: number;
let subB: number;
beforeAll(async () => {
  t = await buildTestApp();
  districtA = (await t.district()).id;
  subA = (await t.subdistrict(districtA)).id;
  subB = (await t.subdistrict((await t.district()).id)).id;
});
afterAll(() => t.close());

describe('reading the audit trail', () => {
  it('lists newest first with filters and a cursor', async () => {
    const u = (
      await t.admin.post('/api/users', {
        username: 'audited.one',
        password: 'Str0ng-Enough-Pass!',
        displayName: '甲',
        role: 'volunteer',
        jurisdictionId: subA,
      })
    ).json();
    await t.admin.patch(`/api/users/${u.id}`, { displayName: '乙' });
    const res = await t.admin.get(`/api/audit-events?entityType=user&limit=500`);
    const items = res.json().items;
    expect(items.map((e: { id: number }) => e.id)).toEqual(
      [...items.map((e: { id: number }) => e.id)].sort((a, b) => b - a),
    );
    const mine = (await t.admin.get(`/api/audit-events?action=user.update&actor=ADMIN`)).json().items;
    expect(mine[0]).toMatchObject({
      action: 'user.update',
      actorName: 'admin',
      entityId: String(u.id),
      outcome: 'success',
    });
    expect(mine[0].changes).toEqual([{ field: 'displayName', before: '甲', after: '乙' }]);
    const page = (await t.admin.get('/api/audit-events?limit=1')).json();
    const next = (await t.admin.get(`/api/audit-events?limit=1&cursor=${page.nextCursor}`)).json();
    expect(next.items[0].id).toBeLessThan(page.items[0].id);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.admin.get(`/api/audit-events?from=${encodeURIComponent(future)}`)).json().items).toEqual([]);
    expect((await t.admin.get('/api/audit-events?limit=501')).statusCode).toBe(422);
  });

  it('shows an auditor only events of their subtree; other roles none', async () => {
    await t.admin.post('/api/departments', { name: '乙的科室', jurisdictionId: subB });
    const auditor = await t.userAgent('auditor', districtA);
    const items = (await auditor.get('/api/audit-events?limit=500')).json().items as { jurisdictionId: number }[];
    expect(items.length).toBeGreaterThan(0);
    const visible = new Set(items.map((e) => e.jurisdictionId));
    expect(visible.has(subB)).toBe(false);
    expect(visible.has(t.rootId)).toBe(false);
    const staff = await t.userAgent('center_staff', subA);
    expect((await staff.get('/api/audit-events')).statusCode).toBe(403);
    expect((await auditor.get('/api/users')).statusCode).toBe(403);
  });

  it('exports CSV with formula-looking cells neutralized, and audits the export', async () => {
    await t.admin.post('/api/departments', { name: '=HYPERLINK("x")', jurisdictionId: subA });
    const res = await t.admin.get('/api/audit-events/export?action=department.create');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="qiao-audit-/);
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    expect(res.body).toContain('department.create');
    expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const exports = (await t.admin.get('/api/audit-events?action=audit.export')).json().items;
    expect(exports[0].details.filter).toEqual({ action: 'department.create' });
  });
});

describe('the hash chain', () => {
  it('verifies intact, then names the first edited row, through the API and `qiao audit verify`', async () => {
    const ok = (await t.admin.get('/api/audit-events/verify')).json();
    expect(ok.ok).toBe(true);
    expect(ok.checked).toBeGreaterThan(5);
    const before = await t.db.kysely
      .selectFrom('audit_events')
      .select('actor_name')
      .where('id', '=', 3)
      .executeTakeFirstOrThrow();
    await t.db.kysely.updateTable('audit_events').set({ actor_name: 'someone-else' }).where('id', '=', 3).execute();
    const broken = (await t.admin.get('/api/audit-events/verify')).json();
    expect(broken).toEqual({ ok: false, checked: 2, brokenAt: 3 });

    if (t.db.engine === 'sqlite') {
      // The in-memory test database cannot be reached from another process: copy the chain into a file.
      const dir = mkdtempSync(path.join(tmpdir(), 'qiao-cli-'));
      const file = path.join(dir, 'copy.db');
      const { sql } = await import('kysely');
      await sql`vacuum into ${file}`.execute(t.db.kysely);
      const env = { ...process.env, DATABASE_URL: `file:${file}`, QIAO_DATA_DIR: dir, QIAO_DEMO: '0' };
      const cli = await run(process.execPath, [QIAO_BIN, 'audit', 'verify'], { env }).catch(
        (e: { code: number; stdout: string }) => e,
      );
      expect('code' in cli ? cli.code : 0).toBe(1);
      expect(cli.stdout).toContain('BROKEN at event 3');
    } else {
      const env = {
        ...process.env,
        DATABASE_URL: (t.config.database as { url: string }).url,
        QIAO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'qiao-cli-')),
      };
      const cli = await run(process.execPath, [QIAO_BIN, 'audit', 'verify'], { env }).catch(
        (e: { code: number; stdout: string }) => e,
      );
      expect('code' in cli ? cli.code : 0).toBe(1);
      expect(cli.stdout).toContain('BROKEN at event 3');
    }
    await t.db.kysely.updateTable('audit_events').set({ actor_name: before.actor_name }).where('id', '=', 3).execute();
    expect((await t.admin.get('/api/audit-events/verify')).json().ok).toBe(true);
  });

  it('detects a deleted event and a cut-off tail', async () => {
    const last = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const middle = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '=', 4)
      .executeTakeFirstOrThrow();
    await t.db.kysely.deleteFrom('audit_events').where('id', '=', 4).execute();
    expect((await t.admin.get('/api/audit-events/verify')).json()).toMatchObject({ ok: false, brokenAt: 4 });
    await t.db.kysely.insertInto('audit_events').values(middle).execute();

    const tail = await t.db.kysely.selectFrom('audit_events').selectAll().where('id', '>', last.id).execute();
    await t.db.kysely.deleteFrom('audit_events').where('id', '>=', last.id).execute();
    const cut = (await t.admin.get('/api/audit-events/verify')).json();
    expect(cut.ok).toBe(false);
    expect(cut.brokenAt).toBe(last.id);
    await t.db.kysely
      .insertInto('audit_events')
      .values([last, ...tail])
      .execute();
  });

  it('offers no route that updates or deletes audit events', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!p.startsWith('/api/audit')) continue;
      expect(Object.keys(ops).filter((m) => m !== 'get')).toEqual([]);
    }
  });
});
