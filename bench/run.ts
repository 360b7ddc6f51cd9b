import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/database.js';
import {
  benchEnv,
  createPostgres,
  createSqlite,
  dataRoot,
  startServers,
  type EngineDatabase,
  type Servers,
} from './engines.js';
import { BENCH_PASSWORD, defaultSizes, generateCity, scaleSizes, smokeSizes, type GeneratedCity } from './generate.js';
import { load, newSample, summarize, type Target } from './load.js';
import { checkMarketInvariants, checkoutTargets, seedMarket, type MarketSetup } from './market.js';
import { importTable, textTable, writeResults, type Row, type RunInfo } from './report.js';
import { measureImport, type ImportRow } from './registry/import-scenario.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: process.env.BENCH_SMOKE === '1' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    users: { type: 'string' },
    organizations: { type: 'string' },
    scale: { type: 'string', default: '1' },
    engine: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    'import-rows': { type: 'string' },
    only: { type: 'string' },
  },
});
const smoke = args.smoke;
const seconds = Number(args.duration ?? (smoke ? 2 : 10));
const warmup = Number(args.warmup ?? (smoke ? 1 : 3));
// App and baseline take turns in slices of this many seconds, `rounds` times each.
const slice = Math.min(smoke ? 1 : 2, seconds);
const rounds = Math.max(1, Math.round(seconds / slice));
const base = smoke ? smokeSizes : defaultSizes;
const sizes = scaleSizes(
  {
    ...base,
    users: Number(args.users ?? base.users),
    organizations: Number(args.organizations ?? base.organizations),
  },
  Number(args.scale),
);
if (![seconds, warmup + 1, ...Object.values(sizes)].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error('--duration, --users, --organizations and --scale must be positive numbers, --warmup zero or more');
}
const importRows = Number(args['import-rows'] ?? sizes.organizations);
if (args.only && args.only !== 'import') throw new Error('--only takes one value: import');
const onlyImport = args.only === 'import';
if (!Number.isSafeInteger(importRows) || importRows < 1) throw new Error('--import-rows must be a positive number');
const pgUrl = process.env.QIAO_BENCH_PG_URL || process.env.QIAO_TEST_PG_URL;
const wanted = (engine: string) => !args.engine || args.engine.includes(engine);
const chosen = (name: string) => !args.scenario || args.scenario.includes(name);
// A run of some scenarios only never overwrites the full table in RESULTS.md.
const resultsFile = smoke
  ? path.join(dataRoot, 'RESULTS.smoke.md')
  : args.scenario
    ? path.join(dataRoot, `RESULTS.${args.scenario.join('+').replace(/[^\w+-]/g, '_')}.md`)
    : path.join(import.meta.dirname, 'RESULTS.md');

/** What a scenario needs to address both servers. */
interface Setup {
  servers: Servers;
  city: GeneratedCity;
  cookie: string;
  /** The supermarket seeded for the checkout scenario (when it runs). */
  market: MarketSetup | null;
}

interface Scenario {
  name: string;
  connections: number;
  app(s: Setup): Target;
  baseline(s: Setup): Target;
}

function rotatingLogin(city: GeneratedCity): () => string {
  let next = 0;
  return () => {
    const username = city.loginUsernames[next++ % city.loginUsernames.length]!;
    return JSON.stringify({ username, password: BENCH_PASSWORD });
  };
}

/** Each connection's requests walk the generated queries from a different start. */
function rotatingSearch(base: string, city: GeneratedCity, scope?: string): () => string {
  let next = 0;
  const prefix = new URL(base).pathname;
  return () => {
    const q = city.searchQueries[next++ % city.searchQueries.length]!;
    return `${prefix}?limit=50&q=${encodeURIComponent(q)}${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`;
  };
}

const ORG_LIST = 'organization list (district+status, by name)';
const CHECKOUT = 'checkout';
const ORG_SEARCH = 'organization search (2–8 chars)';

// The bulk importer (`import`) is measured apart from these load scenarios, on fresh databases:
// registry/import-scenario.ts.
const allScenarios: Scenario[] = [
  {
    name: 'health',
    connections: 50,
    app: (s) => ({ url: `${s.servers.app}/api/health` }),
    baseline: (s) => ({ url: `${s.servers.baseline}/health` }),
  },
  {
    name: 'scoped user list',
    connections: 50,
    app: (s) => ({ url: `${s.servers.app}/api/users?limit=50`, headers: { cookie: s.cookie } }),
    baseline: (s) => ({
      url: `${s.servers.baseline}/users?limit=50&scope=${encodeURIComponent(s.city.officer.scopePath)}`,
    }),
  },
  {
    name: ORG_LIST,
    connections: 50,
    app: (s) => ({ url: `${s.servers.app}/api/organizations?status=active&limit=50`, headers: { cookie: s.cookie } }),
    baseline: (s) => ({
      url: `${s.servers.baseline}/organizations?status=active&limit=50&scope=${encodeURIComponent(s.city.officer.scopePath)}`,
    }),
  },
  {
    name: ORG_SEARCH,
    connections: 50,
    app: (s) => {
      const url = `${s.servers.app}/api/organizations`;
      return { url: `${url}?limit=50`, path: rotatingSearch(url, s.city), headers: { cookie: s.cookie } };
    },
    baseline: (s) => {
      const url = `${s.servers.baseline}/organizations`;
      return { url: `${url}?limit=50`, path: rotatingSearch(url, s.city, s.city.officer.scopePath) };
    },
  },
  {
    // The same queries one at a time: the latency of a search itself, without queueing behind 49 others.
    name: `${ORG_SEARCH}, one at a time`,
    connections: 1,
    app: (s) => allScenarios.find((x) => x.name === ORG_SEARCH)!.app(s),
    baseline: (s) => allScenarios.find((x) => x.name === ORG_SEARCH)!.baseline(s),
  },
  {
    name: 'login',
    connections: 8,
    app: (s) => ({ url: `${s.servers.app}/api/auth/login`, method: 'POST', body: rotatingLogin(s.city) }),
    baseline: (s) => ({ url: `${s.servers.baseline}/login`, method: 'POST', body: rotatingLogin(s.city) }),
  },
  {
    // Issue 4: atomic sales at the till, 16 tills at once; invariants are checked after the run.
    name: CHECKOUT,
    connections: 16,
    app: (s) => checkoutTargets(s.servers.app, s.servers.baseline, s.market!).app,
    baseline: (s) => checkoutTargets(s.servers.app, s.servers.baseline, s.market!).baseline,
  },
];
const scenarios = allScenarios.filter((s) => chosen(s.name));

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

/**
 * Signs the district officer in and checks, before any load, that the app and the baseline
 * answer the same page of users: both sides of a ratio must do the same work.
 */
async function prepare(servers: Servers, city: GeneratedCity, config: Config): Promise<Setup> {
  const login = await request(`${servers.app}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: city.officer.username, password: BENCH_PASSWORD }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('qiao_session='));
  if (!cookie) throw new Error('The login answer set no qiao_session cookie');
  const market = chosen(CHECKOUT) ? await seedMarket(servers.app, config) : null;
  const setup: Setup = { servers, city, cookie: cookie.split(';')[0]!, market };
  const ids = async (t: Target, path?: string) => {
    const url = path ? new URL(path, t.url).href : t.url;
    const body = (await (await request(url, { headers: t.headers ?? {} })).json()) as { items: { id: number }[] };
    return body.items.map((u) => u.id).join(',');
  };
  const same = async (name: string, expected?: number, times = 1) => {
    const scenario = allScenarios.find((s) => s.name === name)!;
    const [app, baseline] = [scenario.app(setup), scenario.baseline(setup)];
    for (let i = 0; i < times; i++) {
      const pages = await Promise.all([ids(app, app.path?.()), ids(baseline, baseline.path?.())]);
      if (pages[0] !== pages[1] || (expected !== undefined && pages[0]!.split(',').length !== expected))
        throw new Error(
          `${name}: the app and the baseline answered differently:\n  app      ${pages[0]}\n  baseline ${pages[1]}`,
        );
    }
  };
  if (chosen('scoped user list')) await same('scoped user list', Math.min(50, city.officer.usersInScope));
  if (chosen(ORG_LIST)) await same(ORG_LIST, 50);
  // Every query once: the same organizations, in the same order, from both sides.
  if (chosen(ORG_SEARCH)) await same(ORG_SEARCH, undefined, city.searchQueries.length);
  return setup;
}

/**
 * Warms both sides up, then alternates short slices of app and baseline so that whatever else
 * the machine is doing weighs on both alike; each pair of slices gives one ratio.
 */
async function measureScenario(scenario: Scenario, setup: Setup, engine: string, failures: string[]): Promise<Row> {
  const sides = ['app', 'baseline'] as const;
  const targets = { app: scenario.app(setup), baseline: scenario.baseline(setup) };
  const samples = { app: newSample(), baseline: newSample() };
  const label = (side: string) => `${scenario.name} / ${engine} / ${side}`;
  for (const side of sides) {
    const warm = newSample();
    if (warmup > 0) await load(targets[side], scenario.connections, warmup, warm);
    failures.push(...warm.failures.map((f) => `${label(side)} (warm-up): ${f}`));
  }
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const app = await load(targets.app, scenario.connections, slice, samples.app);
    ratios.push(app / (await load(targets.baseline, scenario.connections, slice, samples.baseline)));
  }
  for (const side of sides) failures.push(...samples[side].failures.map((f) => `${label(side)}: ${f}`));
  const row: Row = {
    scenario: scenario.name,
    engine,
    connections: scenario.connections,
    app: summarize(samples.app),
    baseline: summarize(samples.baseline),
    ratios,
  };
  console.log(`  ${label('app')}: ${Math.round(row.app.rps)} req/s, baseline ${Math.round(row.baseline.rps)} req/s`);
  return row;
}

async function measureEngine(database: EngineDatabase, failures: string[]): Promise<[Row[], GeneratedCity]> {
  const env = benchEnv(database);
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  console.log(`\n${database.engine}: generating the city (${sizes.users.toLocaleString('en-US')} users)…`);
  const city = await generateCity(db, config, sizes, console.log).finally(() => db.close());
  const servers = await startServers(env);
  interrupted.add(servers.stop);
  const rows: Row[] = [];
  try {
    const setup = await prepare(servers, city, config);
    for (const scenario of scenarios) {
      rows.push(await measureScenario(scenario, setup, database.engine, failures));
      if (scenario.name === CHECKOUT) {
        const { violations, sales } = await checkMarketInvariants(config, setup.market!.storeId);
        console.log(
          `  checkout invariants after ${sales.toLocaleString('en-US')} sales: ${violations.length ? violations.join('; ') : 'all hold'}`,
        );
        failures.push(...violations.map((v) => `checkout / ${database.engine}: invariant violated: ${v}`));
      }
    }
  } finally {
    interrupted.delete(servers.stop);
    await servers.stop();
  }
  return [rows, city];
}

/** Undo work for an interrupted run, newest first: Ctrl-C must not leave a database behind. */
const interrupted = new Set<() => Promise<void>>();
let stopping = false;
// `on`, not `once`: npm and tsx relay the same Ctrl-C again, and a second one must not cut the cleanup short.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: cleaning up…`);
    void (async () => {
      for (const undo of [...interrupted].reverse()) await undo().catch((e: unknown) => console.error(e));
      process.exit(130);
    })();
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const makers: (() => Promise<EngineDatabase>)[] = [];
  if (wanted('sqlite')) makers.push(createSqlite);
  if (wanted('postgres') && pgUrl) makers.push(() => createPostgres(pgUrl));
  else if (wanted('postgres'))
    console.log('PostgreSQL skipped: set QIAO_BENCH_PG_URL (or QIAO_TEST_PG_URL) to include it.');
  if (!makers.length) throw new Error('No engine to measure');

  const rows: Row[] = [];
  const imports: ImportRow[] = [];
  const failures: string[] = [];
  const engines: RunInfo['engines'] = [];
  for (const make of makers) {
    if (!onlyImport) {
      const database = await make();
      interrupted.add(database.dispose);
      try {
        const [engineRows, city] = await measureEngine(database, failures);
        rows.push(...engineRows);
        engines.push({ engine: database.engine, version: database.version, city });
      } finally {
        interrupted.delete(database.dispose);
        await database.dispose();
      }
    }
    // `--scenario` without `import` leaves the import out (it takes longer than the load scenarios).
    if (!chosen('import') && !onlyImport) continue;
    console.log(`\nimport: ${importRows.toLocaleString('en-US')} rows…`);
    imports.push(await measureImport(make, importRows, console.log, interrupted));
  }

  if (rows.length) console.log(`\n${textTable(rows)}\n`);
  console.log(`${importTable(imports)}\n`);
  if (failures.length) {
    console.error(`A bench that measures errors is lying; nothing was written:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  const wallSeconds = (performance.now() - started) / 1000;
  writeResults(resultsFile, rows, {
    date: new Date(),
    smoke,
    seconds,
    warmup,
    slice,
    rounds,
    loadAverage: loadAtStart,
    engines,
    wallSeconds,
    imports,
  });
  console.log(`Wrote ${path.relative(process.cwd(), resultsFile)} (${Math.round(wallSeconds)} s in all).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
