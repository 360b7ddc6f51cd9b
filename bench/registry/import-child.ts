/**
 * The process measured by the import scenario (forked by import-scenario.ts, one per side, so each
 * side's peak RSS is its own):
 *
 * - `app`: the whole app (`buildApp`) on a loopback port; the bench uploads the file to
 *   importRegistry over HTTP, as a browser would, and asks for this process's peak RSS afterwards.
 * - `baseline`: a bare insert loop on the driver (better-sqlite3 or `pg`) of the same rows the
 *   importer creates, in the importer's statement and transaction sizes, into the same schema
 *   (indexes and search triggers included), with the name postings deferred and written set-based
 *   at the importer's cadence by the same statements (ADR 0014): what the database itself costs.
 *   It writes no versions and no audit event: those are the app's own work.
 * - The app side runs with `npm start`'s V8 heap limit (import-scenario.ts).
 *
 * Both start by migrating a fresh database and creating the city and its 16 districts through the
 * app, so the two databases are alike.
 */
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { registryKindAliases, registryStatusAliases, usccRegion } from '@qiao/contracts';
import { buildApp } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config.js';
import { migrate, openDatabase } from '../../apps/server/src/db/database.js';
import { Keyring } from '../../apps/server/src/platform/crypto.js';
import { firstRun } from '../../apps/server/src/setup/first-run.js';
import { registryRow, type RegistryFileOptions } from './generate-registry-file.js';

export const IMPORT_PASSWORD = 'Qiao-Bench-Import-2026!';
/** The importer's sizes (registry-mapping.ts): rows per statement, rows per transaction, postings cadence. */
const STATEMENT_ROWS = 500;
const TRANSACTION_ROWS = 2_000;
const POSTINGS_EVERY = 100_000;
const POSTINGS_BATCH = 25_000;

/**
 * The name postings as the importer writes them (ADR 0014, name-postings.ts): deferred by the flag
 * row inside each transaction, then written set-based for up to POSTINGS_BATCH pending organizations
 * per transaction, the same statements on the driver.
 */
const POSTINGS_SQL = {
  defer: 'insert into organization_name_deferral (deferred) values (1)',
  resume: 'delete from organization_name_deferral',
  sqlite: {
    batch: 'select organization_id from organization_name_pending order by organization_id limit ?',
    write: `insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select substr(lower(o.name), p.n, 2), o.jurisdiction_path, o.id
      from organizations as o join name_bigram_positions as p on p.n < length(o.name)
      where o.id in (select value from json_each(?)) order by 1, 2, 3`,
    done: 'delete from organization_name_pending where organization_id in (select value from json_each(?))',
  },
  postgres: {
    batch: 'select organization_id from organization_name_pending order by organization_id limit $1',
    write: `insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select distinct substr(lower(o.name), n, 2), o.jurisdiction_path, o.id
      from organizations as o cross join generate_series(1, char_length(o.name) - 1) as n
      where o.id = any($1::bigint[]) order by 1, 2, 3 on conflict do nothing`,
    done: 'delete from organization_name_pending where organization_id = any($1::bigint[])',
  },
};

export type ChildMessage =
  | { ready: true; port: number; cityCode: string }
  | { baseline: { seconds: number; inserted: number } }
  | { peakRssMb: number };

const send = (m: ChildMessage) => process.send!(m);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const COLUMNS = [
  'kind',
  'name',
  'uscc',
  'status',
  'jurisdiction_id',
  'jurisdiction_path',
  'registered_on',
  'registration_authority',
  'address',
  'pic_name',
  'fields',
  'party_branch_kind',
  'contact_status',
  'version',
  'created_at',
  'updated_at',
] as const;

/** The rows of the file the importer creates (invalid ones left out), as column values in COLUMNS order. */
function* organizationValues(
  options: RegistryFileOptions,
  districts: Map<string, { id: number; path: string }>,
  city: { id: number; path: string },
): Generator<unknown[]> {
  const now = new Date().toISOString();
  for (let i = 0; i < options.rows; i++) {
    if (options.invalid > 0 && i % options.invalid === options.invalid - 1) continue;
    const [uscc, name, kind, rep, registeredOn, status, authority, address] = registryRow(i, options);
    const place = districts.get(usccRegion(uscc!)) ?? city;
    yield [
      registryKindAliases[kind!.toLowerCase()],
      name,
      uscc,
      registryStatusAliases[status!.toLowerCase()],
      place.id,
      place.path,
      registeredOn,
      authority,
      address,
      rep,
      '[]',
      'none',
      'reachable',
      1,
      now,
      now,
    ];
  }
}

async function baseline(url: string, options: RegistryFileOptions, places: Awaited<ReturnType<typeof setUp>>) {
  const started = performance.now();
  let inserted = 0;
  const values = organizationValues(options, places.districts, places.city);
  const tuple = (n: number, offset: (k: number) => string) =>
    Array.from({ length: n }, (_, r) => `(${COLUMNS.map((_, c) => offset(r * COLUMNS.length + c)).join(', ')})`).join(
      ', ',
    );
  const insert = (n: number, offset: (k: number) => string) =>
    `insert into organizations (${COLUMNS.join(', ')}) values ${tuple(n, offset)}`;

  const nextStatement = (): unknown[][] => {
    const rows: unknown[][] = [];
    for (let r = values.next(); !r.done; r = values.next()) {
      rows.push(r.value);
      if (rows.length === STATEMENT_ROWS) break;
    }
    return rows;
  };

  if (url.startsWith('file:')) {
    const sqlite = new BetterSqlite3(url.slice('file:'.length));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const full = sqlite.prepare(insert(STATEMENT_ROWS, () => '?'));
    const [defer, resume] = [sqlite.prepare(POSTINGS_SQL.defer), sqlite.prepare(POSTINGS_SQL.resume)];
    const chunk = sqlite.transaction(() => {
      defer.run();
      try {
        for (let n = 0; n < TRANSACTION_ROWS; n += STATEMENT_ROWS) {
          const rows = nextStatement();
          if (!rows.length) return false;
          (rows.length === STATEMENT_ROWS ? full : sqlite.prepare(insert(rows.length, () => '?'))).run(rows.flat());
          inserted += rows.length;
        }
        return true;
      } finally {
        resume.run();
      }
    });
    const q = POSTINGS_SQL.sqlite;
    const [batch, write, done] = [sqlite.prepare(q.batch).pluck(), sqlite.prepare(q.write), sqlite.prepare(q.done)];
    const postings = sqlite.transaction(() => {
      const ids = JSON.stringify(batch.all(POSTINGS_BATCH));
      write.run(ids);
      return done.run(ids).changes;
    });
    let since = 0;
    for (let more = true; more;) {
      more = chunk();
      if ((since += TRANSACTION_ROWS) >= POSTINGS_EVERY || !more) {
        since = 0;
        while (postings()) {
          // one batch of pending postings per transaction
        }
      }
    }
    sqlite.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const q = POSTINGS_SQL.postgres;
    const postings = async () => {
      await client.query('begin');
      const ids = (await client.query<{ organization_id: string }>(q.batch, [POSTINGS_BATCH])).rows.map(
        (r) => r.organization_id,
      );
      // The importer locks the rows first (a rename meanwhile would leave stale postings); so does this.
      await client.query('select id from organizations where id = any($1::bigint[]) order by id for share', [ids]);
      await client.query(q.write, [ids]);
      await client.query(q.done, [ids]);
      await client.query('commit');
      return ids.length;
    };
    let since = 0;
    for (let more = true; more;) {
      await client.query('begin');
      await client.query(POSTINGS_SQL.defer);
      for (let n = 0; n < TRANSACTION_ROWS; n += STATEMENT_ROWS) {
        const rows = nextStatement();
        if (!rows.length) {
          more = false;
          break;
        }
        await client.query({
          name: rows.length === STATEMENT_ROWS ? 'full' : undefined,
          text: insert(rows.length, (k) => `$${k + 1}`),
          values: rows.flat(),
        });
        inserted += rows.length;
      }
      await client.query(POSTINGS_SQL.resume);
      await client.query('commit');
      if ((since += TRANSACTION_ROWS) >= POSTINGS_EVERY || !more) {
        since = 0;
        while (await postings()) {
          // one batch of pending postings per transaction
        }
      }
    }
    await client.end();
  }
  return { seconds: (performance.now() - started) / 1000, inserted };
}

/** Migrates, runs the first-run setup and creates the districts 16 of the file's USCC regions name. */
async function setUp() {
  const config = loadConfig({ ...process.env, QIAO_ADMIN_USERNAME: 'admin', QIAO_ADMIN_PASSWORD: IMPORT_PASSWORD });
  const db = openDatabase(config.database);
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, () => {});
  const app = await buildApp({ config, db, logger: false });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: IMPORT_PASSWORD },
  });
  const cookie = `qiao_session=${login.cookies.find((c) => c.name === 'qiao_session')!.value}`;
  const headers = { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
  const city = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'code', 'path'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const districts = new Map<string, { id: number; path: string }>();
  for (let k = 1; k <= 16; k++) {
    const code = `${city.code.slice(0, 2)}${String(k).padStart(4, '0')}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/jurisdictions',
      headers,
      payload: { name: `区${k}`, level: 'district', parentId: city.id, code },
    });
    if (res.statusCode !== 201) throw new Error(`creating district ${code}: ${res.statusCode} ${res.body}`);
    const created = await db.kysely
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    districts.set(code, created);
  }
  return { app, db, city, districts, config };
}

async function main() {
  const side = process.env.QIAO_IMPORT_SIDE;
  const options = JSON.parse(process.env.QIAO_IMPORT_FILE_OPTIONS!) as RegistryFileOptions;
  const places = await setUp();
  if (side === 'baseline') {
    await places.app.close();
    await places.db.close();
    send({ baseline: await baseline(process.env.DATABASE_URL!, options, places) });
    send({ peakRssMb: peakRssMb() });
    return;
  }
  await places.app.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m === 'peak') send({ peakRssMb: peakRssMb() });
    if (m === 'stop') void places.app.close().then(() => places.db.close().then(() => process.exit(0)));
  });
  send({ ready: true, port: (places.app.server.address() as AddressInfo).port, cityCode: places.city.code });
}

// Imported by import-scenario.ts for its types and constants: only a forked child runs.
if (process.env.QIAO_IMPORT_SIDE && process.send) {
  process.on('disconnect', () => process.exit(0));
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
