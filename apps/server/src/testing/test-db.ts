import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';

export type TestEngine = 'sqlite' | 'postgres';

/** The engine this test run targets: vitest's projects set QIAO_TEST_ENGINE. */
export function testEngine(): TestEngine {
  return process.env.QIAO_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * A fresh, empty database for one test file: an in-memory SQLite database, or a new PostgreSQL
 * database (dropped again by `drop`) on the server QIAO_TEST_PG_URL points at.
 */
export async function createTestDatabase(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  if (testEngine() === 'sqlite') return { config: { engine: 'sqlite', file: ':memory:' }, drop: async () => {} };
  const adminUrl = process.env.QIAO_TEST_PG_URL;
  if (!adminUrl)
    throw new Error(
      'QIAO_TEST_ENGINE=postgres needs QIAO_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  const name = `qiao_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // C.UTF-8 so pg_trgm works on Chinese text in later facets (see STACK-NOTES).
    await admin.query(
      `create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { engine: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
