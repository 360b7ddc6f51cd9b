import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { DatabaseConfig } from '../apps/server/src/config.js';
import type { OrganizationRow, UserRow } from '../apps/server/src/db/schema.js';
import { verifyPassword } from '../apps/server/src/platform/auth/passwords.js';
import { subtreeRange } from '../apps/server/src/platform/scope.js';

/** The same statements the app's queries compile to, run straight on the driver. */
interface RawQueries {
  ping(): Promise<unknown>;
  userByKey(key: string): Promise<UserRow | undefined>;
  usersUnder(low: string, high: string, afterId: number, limit: number): Promise<UserRow[]>;
  /** Any other statement, `$n` placeholders in order. */
  all<T>(text: string, params: unknown[]): Promise<T[]>;
  /** The engine's pieces of the organization statements: the trigram lookup, LIKE, `id` among a list, the district range. */
  trigram: string;
  trigramParam(text: string): string;
  like: string;
  idIn(param: number): string;
  ids(ids: number[]): unknown;
  scope: string;
  close(): Promise<void>;
}

// The app's list and search in plain SQL (organizations.queries.ts): candidates from the indexes
// when few; else a walk by name, per subdistrict and merged, since the scope is a district.
const SEARCH_CANDIDATES = 2_000;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const BIGRAM =
  'select organization_id as id from organization_name_bigrams ' +
  'where bigram = $1 and (jurisdiction_path >= $2 and jurisdiction_path < $3) limit $4';
const BRANCH_CANDIDATES = 300;
const BIGRAM_IN =
  'select organization_id as id from organization_name_bigrams where bigram = $1 and jurisdiction_path = $2 limit $3';
const SUBDISTRICTS = "select path from jurisdictions where (path >= $1 and path < $2) and level = 'subdistrict'";

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
  const statements = new Map<string, BetterSqlite3.Statement>();
  const all = <T>(text: string, params: unknown[]) => {
    let st = statements.get(text);
    if (!st) statements.set(text, (st = db.prepare(text.replace(/\$\d+/g, '?'))));
    return st.all(...params) as T[];
  };
  return {
    ping: async () => ping.get(),
    userByKey: async (key) => byKey.get(key),
    usersUnder: async (low, high, afterId, limit) => under.all(low, high, afterId, limit),
    all: async <T>(text: string, params: unknown[]) => all<T>(text, params),
    trigram: 'select rowid as id from organizations_fts where organizations_fts match $1 limit $2',
    trigramParam: (text) => `"${text.replace(/"/g, '""')}"`,
    like: 'like',
    idIn: (n) => `id in (select value from json_each($${n}))`,
    ids: (ids) => JSON.stringify(ids),
    // The unary + keeps the planner off the path indexes, as the app's query does.
    scope: '(+jurisdiction_path >= $1 and +jurisdiction_path < $2)',
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
    all: async <T>(text: string, params: unknown[]) => (await pool.query(text, params)).rows as T[],
    trigram: "select id from organizations where name ilike $1 escape '\\' limit $2",
    trigramParam: (text) => `%${escapeLike(text)}%`,
    like: 'ilike',
    idIn: (n) => `id = any($${n}::bigint[])`,
    ids: (ids) => ids,
    scope: '(jurisdiction_path >= $1 and jurisdiction_path < $2)',
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

/** The app's choice between index candidates and a walk by name, on the driver. */
async function searchNames(q: RawQueries, text: string, low: string, high: string) {
  const chars = [...text.toLowerCase()];
  const like = `%${escapeLike(text)}%`;
  if (chars.length < 2) return { like };
  if (chars.length >= 3) {
    const ids = (await q.all<{ id: number }>(q.trigram, [q.trigramParam(text), SEARCH_CANDIDATES + 1])).map(
      (r) => r.id,
    );
    if (ids.length <= SEARCH_CANDIDATES) return { ids };
  }
  let rarest: number[] | null = null;
  let walk = '';
  for (const bigram of new Set(chars.slice(1).map((c, i) => chars[i]! + c))) {
    const rows = await q.all<{ id: number }>(BIGRAM, [bigram, low, high, SEARCH_CANDIDATES + 1]);
    if (!rarest || rows.length < rarest.length) [rarest, walk] = [rows.map((r) => r.id), bigram];
  }
  if (!rarest || rarest.length > SEARCH_CANDIDATES) return { like, walk };
  return chars.length === 2 ? { ids: rarest } : { ids: rarest, like };
}

/** A page of organizations in the district [low, high) by name, as the app's listOrganizationsUnder builds it. */
async function organizationsUnder(
  q: RawQueries,
  low: string,
  high: string,
  status: string | null,
  name: { ids?: number[]; like?: string; walk?: string } | null,
  limit: number,
): Promise<OrganizationRow[]> {
  if (name?.ids?.length === 0) return [];
  const params: unknown[] = [];
  const filters = (path: string) => {
    let text = `jurisdiction_path = $${params.push(path)}`;
    const ids = local.get(path);
    if (ids) text += ` and ${q.idIn(params.push(q.ids(ids)))}`;
    if (status) text += ` and status = $${params.push(status)}`;
    if (name?.like) text += ` and name ${q.like} $${params.push(name.like)} escape '\\'`;
    return text;
  };
  if (name?.ids) {
    let text = `select * from organizations where ${q.scope} and ${q.idIn(params.push(low, high, q.ids(name.ids)))}`;
    if (status) text += ` and status = $${params.push(status)}`;
    if (name.like) text += ` and name ${q.like} $${params.push(name.like)} escape '\\'`;
    return q.all<OrganizationRow>(`${text} order by name, id limit $${params.push(limit)}`, params);
  }
  const subdistricts = await q.all<{ path: string }>(SUBDISTRICTS, [low, high]);
  const local = new Map<string, number[]>();
  for (const { path } of name?.walk ? subdistricts : []) {
    const rows = await q.all<{ id: number }>(BIGRAM_IN, [name!.walk, path, BRANCH_CANDIDATES + 1]);
    if (rows.length <= BRANCH_CANDIDATES)
      local.set(
        path,
        rows.map((r) => r.id),
      );
  }
  const searched = subdistricts.filter(({ path }) => local.get(path)?.length !== 0);
  if (!searched.length) return [];
  const branches = searched.map(
    (s) =>
      `select id, name from (select id, name from organizations where ${filters(s.path)} ` +
      `order by name, id limit $${params.push(limit)}) as b`,
  );
  const top = await q.all<{ id: number }>(
    `${branches.join(' union all ')} order by name, id limit $${params.push(limit)}`,
    params,
  );
  if (!top.length) return [];
  const ids = top.map((r) => r.id);
  const rows = await q.all<OrganizationRow>(`select * from organizations where ${q.idIn(1)}`, [q.ids(ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
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

  app.get<{ Querystring: { scope: string; status?: string; q?: string; limit?: string } }>(
    '/organizations',
    async (req) => {
      const limit = Number(req.query.limit ?? 50);
      const [low, high] = subtreeRange(req.query.scope);
      const name = req.query.q ? await searchNames(q, req.query.q, low, high) : null;
      const rows =
        name?.ids?.length === 0
          ? []
          : await organizationsUnder(q, low, high, req.query.status ?? null, name, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page, nextCursor: rows.length > limit && last ? `${last.name}:${last.id}` : null };
    },
  );

  app.post<{ Body: { username: string; password: string } }>('/login', async (req, reply) => {
    const user = await q.userByKey(req.body.username.toLowerCase());
    if (!user || !(await verifyPassword(user.password_hash, req.body.password)))
      return reply.code(401).send({ ok: false });
    return { id: user.id, username: user.username };
  });

  // The checkout's raw baseline: one transaction appending the sale's redemption movements and its
  // points debit (the same ledgers, so the database's triggers keep the same balances and CHECKs).
  const checkout = database.engine === 'sqlite' ? sqliteCheckout(database.file) : postgresCheckout(database.url);
  app.addHook('onClose', () => checkout.close());
  app.post<{ Body: SaleBody }>('/checkout', async (req, reply) => {
    const spent = await checkout.sell(req.body);
    return reply.code(201).send({ pointsSpent: spent });
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

interface SaleBody {
  storeId: number;
  householdId: number;
  lines: { itemId: number; quantity: number }[];
}

const MOVEMENT =
  "insert into stock_movements (store_id, item_id, kind, quantity, reference, created_at) values ($1, $2, 'redemption_out', $3, 'baseline', $4)";
const POINTS =
  "insert into points_entries (household_id, kind, points, reference, created_at) values ($1, 'redeem', $2, 'baseline', $3)";
const PRICE = 'select points_price from items where id = $1';

function sqliteCheckout(file: string) {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 5000');
  const [movement, points, price] = [MOVEMENT, POINTS, PRICE].map((s) => db.prepare(s.replace(/\$\d/g, '?')));
  const sell = db.transaction((body: SaleBody) => {
    const now = new Date().toISOString();
    let spent = 0;
    for (const l of [...body.lines].sort((a, b) => a.itemId - b.itemId)) {
      spent += l.quantity * (price!.get(l.itemId) as { points_price: number }).points_price;
      movement!.run(body.storeId, l.itemId, -l.quantity, now);
    }
    points!.run(body.householdId, -spent, now);
    return spent;
  });
  return { sell: async (body: SaleBody) => sell.immediate(body), close: async () => void db.close() };
}

function postgresCheckout(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    async sell(body: SaleBody) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const now = new Date().toISOString();
        let spent = 0;
        for (const l of [...body.lines].sort((a, b) => a.itemId - b.itemId)) {
          spent += l.quantity * (await client.query(PRICE, [l.itemId])).rows[0].points_price;
          await client.query(MOVEMENT, [body.storeId, l.itemId, -l.quantity, now]);
        }
        await client.query(POINTS, [body.householdId, -spent, now]);
        await client.query('commit');
        return spent;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
