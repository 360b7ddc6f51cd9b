import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../apps/server/src/config.js';
import { migrate, openDatabase, type Db } from '../apps/server/src/db/database.js';
import type { Deps } from '../apps/server/src/platform/deps.js';
import { Keyring } from '../apps/server/src/platform/crypto.js';
import { firstRun } from '../apps/server/src/setup/first-run.js';

export interface ModuleBench {
  config: Config;
  db: Db;
  deps: Deps;
  city: { id: number; path: string };
  /** 4 districts × 10 subdistricts under the city. */
  subdistricts: { id: number; path: string }[];
}

/**
 * A fresh city for a module's timing script: a SQLite file in bench/.data, or a database of its own
 * on QIAO_BENCH_PG_URL; migrated, first run done, 4 districts × 10 subdistricts; removed afterwards.
 */
export async function withModuleBench(name: string, run: (bench: ModuleBench) => Promise<void>): Promise<void> {
  const root = path.join(import.meta.dirname, '.data');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, `${name}-`));
  const pgUrl = process.env.QIAO_BENCH_PG_URL;
  const dbName = `qiao_bench_${name}_${process.pid}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(statement);
    await c.end();
  };
  if (pgUrl)
    await admin(`create database ${dbName} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const url = pgUrl ? Object.assign(new URL(pgUrl), { pathname: `/${dbName}` }).toString() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    QIAO_DATA_DIR: dir,
    QIAO_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    QIAO_DEMO: '0',
    QIAO_ADMIN_PASSWORD: `Qiao-Bench-${name}-2026!`,
    QIAO_JOBS: 'off',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const db = openDatabase(config.database);
  try {
    await migrate(db);
    const deps: Deps = { db, config, keyring: new Keyring(config.secret) };
    await firstRun(deps, () => {});
    const k = db.kysely;
    const city = await k
      .selectFrom('jurisdictions')
      .selectAll()
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const place = async (
      parentId: number,
      parentPath: string,
      level: 'district' | 'subdistrict',
      name: string,
      code: string,
    ) => {
      const row = await k
        .insertInto('jurisdictions')
        .values({ parent_id: parentId, level, name, name_en: null, code, path: '', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const own = `${parentPath}${row.id}/`;
      await k.updateTable('jurisdictions').set({ path: own }).where('id', '=', row.id).execute();
      return { id: row.id, path: own };
    };
    const subdistricts: { id: number; path: string }[] = [];
    for (let d = 1; d <= 4; d++) {
      const dCode = `31${String(d).padStart(4, '0')}`;
      const district = await place(city.id, city.path, 'district', `区${d}`, dCode);
      for (let s = 1; s <= 10; s++)
        subdistricts.push(
          await place(
            district.id,
            district.path,
            'subdistrict',
            `街道${d}-${s}`,
            `${dCode}${String(s).padStart(3, '0')}`,
          ),
        );
    }
    await run({ config, db, deps, city, subdistricts });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl) await admin(`drop database if exists ${dbName} with (force)`);
  }
}
