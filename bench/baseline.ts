import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { DatabaseConfig } from '../apps/server/src/config.js';
import type { UserRow } from '../apps/server/src/db/schema.js';
import { verifyPassword } from '../apps/server/src/platform/auth/passwords.js';
import { subtreeRange } from '../apps/server/src/platform/scope.js';

/** The same statements the app's queries compile to, run straight on the driver. */
interface RawQueries {
  ping(): Promise<unknown>;
  userByKey(key: string): Promise<UserRow | undefined>;
  usersUnder(low: string, high: string, afterId: number, limit: number): Promise<UserRow[]>;
  close(): Promise<void>;
}

const USERS_UNDER =
  'select u.* from users as u inner join jurisdictions as j on j.id = u.jurisdiction_id ' +
  'where (j.path >= $1 and j.path < $2) and u.id > $3 order by u.id limit $4';
const USER_BY_KEY = 'select * from users where username_key = $1';

function sqliteQueries(file: string): RawQueries {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 5000');
  const ping = db.prepare('select 1');
  const byKey = db.prepare<[string], UserRow>(USER_BY_KEY.replace(/\$\d/g, '?'));
  const under = db.prepare<[string, string, number, number], UserRow>(USERS_UNDER.replace(/\$\d/g, '?'));
  return {
    ping: async () => ping.get(),
    userByKey: async (key) => byKey.get(key),
    usersUnder: async (low, high, afterId, limit) => under.all(low, high, afterId, limit),
    close: async () => void db.close(),
  };
}

function postgresQueries(url: string): RawQueries {
  // The app's pool: 10 connections, int8 as numbers.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig,
  });
  return {
    ping: () => pool.query('select 1'),
    userByKey: async (key) => (await pool.query<UserRow>(USER_BY_KEY, [key])).rows[0],
    usersUnder: async (low, high, afterId, limit) =>
      (await pool.query<UserRow>(USERS_UNDER, [low, high, afterId, limit])).rows,
    close: () => pool.end(),
  };
}

/** The fields the app's user list answers, without its validation or masking rules. */
function present(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    jurisdictionId: u.jurisdiction_id,
    departmentId: u.department_id,
    status: u.status,
    totpEnabled: u.totp_enabled === 1,
    lockedUntil: u.locked_until,
    elderlyMode: u.elderly_mode === 1,
    locale: u.locale,
    lastLoginAt: u.last_login_at,
    createdAt: u.created_at,
  };
}

/**
 * A bare Fastify server (no plugins, no hooks, no schemas) answering each scenario with the
 * same SQL as the app: what the hardware, Node, the driver and the database cost alone.
 */
export async function startBaseline(database: DatabaseConfig): Promise<FastifyInstance> {
  const q = database.engine === 'sqlite' ? sqliteQueries(database.file) : postgresQueries(database.url);
  const app = Fastify({ logger: false });
  app.addHook('onClose', () => q.close());

  app.get('/health', async () => {
    await q.ping();
    return { status: 'ok', database: database.engine };
  });

  app.get<{ Querystring: { scope: string; limit?: string; cursor?: string } }>('/users', async (req) => {
    const limit = Number(req.query.limit ?? 50);
    const [low, high] = subtreeRange(req.query.scope);
    const rows = await q.usersUnder(low, high, Number(req.query.cursor ?? 0), limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(present), nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null };
  });

  app.post<{ Body: { username: string; password: string } }>('/login', async (req, reply) => {
    const user = await q.userByKey(req.body.username.toLowerCase());
    if (!user || !(await verifyPassword(user.password_hash, req.body.password)))
      return reply.code(401).send({ ok: false });
    return { id: user.id, username: user.username };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
