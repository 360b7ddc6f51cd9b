import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { ServerPorts } from './server.js';

export type EngineName = 'sqlite' | 'postgres';

/** A fresh, empty database for one engine, and how to throw it away. */
export interface EngineDatabase {
  engine: EngineName;
  /** Server version, for RESULTS.md. */
  version: string;
  /** DATABASE_URL and QIAO_DATA_DIR for loadConfig and the child. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export const dataRoot = path.join(import.meta.dirname, '.data');

/**
 * The app's settings under load. MFA is off because a TOTP step can sign in only once, and the
 * per-IP login limit is lifted because every request comes from 127.0.0.1.
 */
export function benchEnv(database: EngineDatabase): Record<string, string> {
  return {
    ...database.env,
    NODE_ENV: 'production',
    QIAO_SECRET: randomBytes(32).toString('base64url'),
    QIAO_MFA_ROLES: '',
    QIAO_DEMO: '0',
    QIAO_JOBS: 'off',
    QIAO_LOGIN_RATE_PER_MINUTE: '100000000',
    QIAO_LOG_LEVEL: 'warn',
  };
}

export async function createSqlite(): Promise<EngineDatabase> {
  const dir = path.join(dataRoot, `run-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const memory = new BetterSqlite3(':memory:');
  const { v } = memory.prepare<[], { v: string }>('select sqlite_version() as v').get()!;
  memory.close();
  return {
    engine: 'sqlite',
    version: `SQLite ${v}, better-sqlite3, WAL`,
    env: { DATABASE_URL: `file:${path.join(dir, 'qiao.db')}`, QIAO_DATA_DIR: dir },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database `qiao_bench_<random>` on the server `adminUrl` points at (C.UTF-8, like the tests). */
export async function createPostgres(adminUrl: string): Promise<EngineDatabase> {
  const name = `qiao_bench_${randomBytes(6).toString('hex')}`;
  const version = await withClient(adminUrl, async (c) => {
    await c.query(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
    return (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version.split(' ')[0];
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = path.join(dataRoot, name);
  return {
    engine: 'postgres',
    version: `PostgreSQL ${version}, pg pool of 10`,
    env: { DATABASE_URL: url.toString(), QIAO_DATA_DIR: dir },
    dispose: async () => {
      await withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Servers {
  app: string;
  baseline: string;
  stop(): Promise<void>;
}

/** Forks server.ts (inheriting tsx's loader) and waits until both servers listen. */
export function startServers(env: Record<string, string>): Promise<Servers> {
  const child = fork(path.join(import.meta.dirname, 'server.ts'), [], { env: { ...process.env, ...env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The server process exited early (code ${code})`)));
    child.once('message', (message) => {
      const ports = message as ServerPorts;
      resolve({ app: `http://127.0.0.1:${ports.app}`, baseline: `http://127.0.0.1:${ports.baseline}`, stop });
    });
  });
}
