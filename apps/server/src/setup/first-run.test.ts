import { afterEach, describe, expect, it } from 'vitest';
import { isValidUscc } from '@qiao/contracts';
import { loadConfig } from '../config.js';
import { migrate, openDatabase, type Db } from '../db/database.js';
import { Keyring } from '../platform/crypto.js';
import { createTestDatabase } from '../testing/test-db.js';
import { firstRun } from './first-run.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setUp(env: Record<string, string>) {
  const database = await createTestDatabase();
  const config = {
    ...loadConfig({ NODE_ENV: 'test', QIAO_SECRET: 'x'.repeat(40), QIAO_DATA_DIR: '/tmp/qiao-first-run', ...env }),
    database: database.config,
  };
  const db: Db = openDatabase(config.database);
  cleanup.push(async () => {
    await db.close();
    await database.drop();
  });
  await migrate(db);
  const lines: string[] = [];
  const run = () => firstRun({ db, config, keyring: new Keyring(config.secret) }, (l) => lines.push(l));
  return { db, lines, run };
}

describe('first run', () => {
  it('creates the city, an administrator with a printed password, and the demo city', async () => {
    const { db, lines, run } = await setUp({ QIAO_DEMO: '1', QIAO_CITY_NAME: '杭州市', QIAO_CITY_CODE: '330100' });
    await run();
    const printed = lines.find((l) => l.startsWith('City administrator: admin'))!;
    expect(printed).toMatch(/password: \S{16,}/);
    const levels = await db.kysely.selectFrom('jurisdictions').select(['level', 'name', 'code']).execute();
    expect(levels.find((j) => j.level === 'city')).toMatchObject({ name: '杭州市', code: '330100' });
    expect(levels.filter((j) => j.level === 'district')).toHaveLength(3);
    expect(levels.filter((j) => j.level === 'subdistrict')).toHaveLength(6);
    expect(await db.kysely.selectFrom('centers').select('jurisdiction_id').execute()).toHaveLength(6);
    const staff = await db.kysely.selectFrom('users').select(['username', 'role']).execute();
    expect(staff.length).toBeGreaterThan(5);
    // Every demo password is printed once, never stored in clear.
    for (const u of staff.filter((s) => s.username !== 'admin')) expect(lines.join('\n')).toContain(u.username);
    const orgs = await db.kysely.selectFrom('organizations').select(['name', 'uscc', 'status', 'kind']).execute();
    expect(orgs.length).toBeGreaterThan(250);
    expect(orgs.filter((o) => o.status === 'active').length).toBeGreaterThan(200);
    for (const o of orgs) if (o.kind !== 'community_org') expect(isValidUscc(o.uscc!), o.uscc!).toBe(true);
    await run();
    expect(await db.kysely.selectFrom('jurisdictions').select('id').execute()).toHaveLength(levels.length);
  });

  it('refuses a weak QIAO_ADMIN_PASSWORD before creating anything', async () => {
    const { db, run } = await setUp({ QIAO_DEMO: '0', QIAO_ADMIN_PASSWORD: 'password123' });
    await expect(run()).rejects.toThrow(/QIAO_ADMIN_PASSWORD rejected/);
    expect(await db.kysely.selectFrom('jurisdictions').select('id').execute()).toEqual([]);
  });
});
