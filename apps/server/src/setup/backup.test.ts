import BetterSqlite3 from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { migrate, openDatabase, type Db } from '../db/database.js';
import { Keyring } from '../platform/crypto.js';
import { createTestDatabase, testEngine } from '../testing/test-db.js';
import { backupAll, verifyBackup } from './backup.js';
import { firstRun } from './first-run.js';

let dataDir: string;
let config: Config;
let db: Db;
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-backup-'));
  const database =
    testEngine() === 'sqlite'
      ? { config: { engine: 'sqlite' as const, file: path.join(dataDir, 'qiao.db') }, drop: async () => {} }
      : await createTestDatabase();
  drops.push(database.drop);
  // No QIAO_SECRET: outside production the secret is generated into the data folder, as on a plain install.
  config = { ...loadConfig({ NODE_ENV: 'test', QIAO_DATA_DIR: dataDir, QIAO_DEMO: '0' }), database: database.config };
  db = openDatabase(config.database);
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, () => {});
  mkdirSync(path.join(dataDir, 'documents', 'ab'), { recursive: true });
  writeFileSync(path.join(dataDir, 'documents', 'ab', 'k1'), 'charter pdf bytes');
  mkdirSync(path.join(dataDir, 'activity-photos'), { recursive: true });
  writeFileSync(path.join(dataDir, 'activity-photos', 'p1'), 'photo bytes');
  mkdirSync(path.join(dataDir, 'imports', 'job-1'), { recursive: true });
  writeFileSync(path.join(dataDir, 'imports', 'job-1', 'upload'), 'a staged upload');
});
afterAll(async () => {
  await db.close();
  for (const drop of drops) await drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('qiao backup', () => {
  it('puts the database, every folder of stored files and the secret in one folder with a manifest', async () => {
    const { dir, manifest } = await backupAll(config);
    expect(dir.startsWith(path.join(dataDir, 'backups'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([manifest.database, 'files/documents/ab/k1', 'files/activity-photos/p1', 'secret.key']),
    );
    expect(paths.some((p) => p.includes('imports'))).toBe(false);
    expect(manifest.secret).toBe('secret.key');
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(config.secret);
    expect(await verifyBackup(dir)).toEqual([]);

    // The copy of the database opens and holds what the live one holds.
    const live = Number(
      (
        await db.kysely
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(live).toBeGreaterThan(0);
    if (manifest.engine === 'sqlite') {
      const copy = new BetterSqlite3(path.join(dir, 'qiao.db'), { readonly: true });
      expect((copy.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(live);
      copy.close();
    } else {
      const target = await createTestDatabase();
      drops.push(target.drop);
      if (target.config.engine !== 'postgres') throw new Error('unreachable');
      await promisify(execFile)('pg_restore', ['--no-owner', '-d', target.config.url, path.join(dir, 'qiao.dump')]);
      const c = new pg.Client({ connectionString: target.config.url });
      await c.connect();
      const { rows } = await c.query<{ n: string }>('select count(*) as n from users');
      await c.end();
      expect(Number(rows[0]!.n)).toBe(live);
    }
  });

  it('names a changed, missing or added file, and an unfinished backup', async () => {
    const { dir } = await backupAll(config, path.join(dataDir, 'backups', 'tampered'));
    writeFileSync(path.join(dir, 'files', 'documents', 'ab', 'k1'), 'charter pdf bytez');
    rmSync(path.join(dir, 'files', 'activity-photos', 'p1'));
    writeFileSync(path.join(dir, 'files', 'documents', 'extra'), 'x');
    expect(await verifyBackup(dir)).toEqual([
      'missing: files/activity-photos/p1',
      'changed: files/documents/ab/k1',
      'not in the manifest: files/documents/extra',
    ]);
    rmSync(path.join(dir, 'MANIFEST.json'));
    expect((await verifyBackup(dir))[0]).toMatch(/MANIFEST\.json is missing/);
  });

  it('refuses a folder that is not empty, or one inside a folder it copies', async () => {
    await expect(backupAll(config, path.join(dataDir, 'backups', 'tampered'))).rejects.toThrow(/not empty/);
    await expect(backupAll(config, path.join(dataDir, 'documents', 'b'))).rejects.toThrow(/cannot go inside/);
  });
});
