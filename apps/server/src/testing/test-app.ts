import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '@qiao/contracts';
import { buildApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { migrate, openDatabase, type Db } from '../db/database.js';
import { Keyring } from '../platform/crypto.js';
import { firstRun } from '../setup/first-run.js';
import { createTestDatabase } from './test-db.js';

export const ADMIN_PASSWORD = 'Qiao-City-R00t-Key!';
export const PASSWORD = 'Str0ng-Enough-Pass!';

type Body = Record<string, unknown> | unknown[] | string | null;

/** A signed-in client: keeps the session cookie and sends the CSRF token on writes. */
export class Agent {
  cookie: string | null = null;
  csrfToken: string | null = null;
  userId: number | null = null;

  constructor(readonly app: FastifyInstance) {}

  async request(method: InjectOptions['method'], url: string, body?: Body, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') h['x-csrf-token'] ??= this.csrfToken;
    const res = await this.app.inject({
      method,
      url,
      headers: h,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    const set = res.cookies.find((c) => c.name === 'qiao_session');
    if (set) this.cookie = set.value ? `qiao_session=${set.value}` : null;
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: Body) => this.request('POST', url, body ?? {});
  patch = (url: string, body: Body) => this.request('PATCH', url, body);
  put = (url: string, body: Body) => this.request('PUT', url, body);

  async login(username: string, password: string, totp?: string): Promise<LightMyRequestResponse> {
    const res = await this.post('/api/auth/login', { username, password, ...(totp ? { totp } : {}) });
    if (res.statusCode === 200) {
      const body = res.json<{ csrfToken: string; user: { id: number } }>();
      this.csrfToken = body.csrfToken;
      this.userId = body.user.id;
    }
    return res;
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  rootId: number;
  /** A fresh signed-in city administrator. */
  admin: Agent;
  agent(): Agent;
  close(): Promise<void>;
  /** Creates a district with a unique code under the city. */
  district(name?: string): Promise<{ id: number; code: string }>;
  /** Creates a subdistrict with a service center under a district. */
  subdistrict(districtId: number, name?: string): Promise<{ id: number; code: string }>;
  /** Creates an account and answers it signed in. */
  userAgent(
    role: Role,
    jurisdictionId: number,
    extra?: { departmentId?: number },
  ): Promise<Agent & { username: string }>;
}

let seq = 0;
const next = () => (seq += 1);

/** A migrated database on the engine under test, the city, its admin, and the app in front of it. */
export async function buildTestApp(
  env: Record<string, string> = {},
  options: { logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-test-'));
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      QIAO_DATA_DIR: dataDir,
      QIAO_SECRET: 'test-secret-test-secret-test-secret-0123',
      QIAO_DEMO: '0',
      QIAO_ADMIN_USERNAME: 'admin',
      QIAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      QIAO_JOBS: 'off',
      QIAO_LOGIN_RATE_PER_MINUTE: '100000',
      QIAO_APPLY_RATE_PER_MINUTE: '100000',
      ...env,
    }),
    database: database.config,
  };
  const db = openDatabase(config.database);
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, () => {});
  const app = await buildApp({ config, db, logger: options.logStream !== undefined, logStream: options.logStream });
  await app.ready();
  const root = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'code'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const admin = new Agent(app);
  const res = await admin.login('admin', ADMIN_PASSWORD);
  if (res.statusCode !== 200) throw new Error(`admin login failed: ${res.body}`);

  const t: TestApp = {
    app,
    db,
    config,
    rootId: root.id,
    admin,
    agent: () => new Agent(app),
    async close() {
      await app.close();
      await db.close();
      await database.drop();
    },
    async district(name = `区${next()}`) {
      const code = `${root.code.slice(0, 2)}${String(next()).padStart(4, '0')}`;
      const r = await admin.post('/api/jurisdictions', { name, level: 'district', parentId: root.id, code });
      if (r.statusCode !== 201) throw new Error(`district: ${r.body}`);
      return { id: r.json<{ id: number }>().id, code };
    },
    async subdistrict(districtId, name = `街道${next()}`) {
      const parent = await db.kysely
        .selectFrom('jurisdictions')
        .select('code')
        .where('id', '=', districtId)
        .executeTakeFirstOrThrow();
      const code = `${parent.code}${String(next()).padStart(3, '0')}`;
      const r = await admin.post('/api/jurisdictions', {
        name,
        level: 'subdistrict',
        parentId: districtId,
        code,
        center: { name: `${name}社会组织服务中心`, address: '某路1号', phone: '021-64001234' },
      });
      if (r.statusCode !== 201) throw new Error(`subdistrict: ${r.body}`);
      return { id: r.json<{ id: number }>().id, code };
    },
    async userAgent(role, jurisdictionId, extra = {}) {
      const username = `${role}.${next()}`;
      const r = await admin.post('/api/users', {
        username,
        password: PASSWORD,
        displayName: `测试${role}`,
        role,
        jurisdictionId,
        ...extra,
      });
      if (r.statusCode !== 201) throw new Error(`user: ${r.body}`);
      const agent = new Agent(app) as Agent & { username: string };
      agent.username = username;
      const login = await agent.login(username, PASSWORD);
      if (login.statusCode !== 200) throw new Error(`login: ${login.body}`);
      return agent;
    },
  };
  return t;
}
