import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../apps/server/src/config.js';
import { migrate, openDatabase, type Db } from '../apps/server/src/db/database.js';
import { hashPassword } from '../apps/server/src/platform/auth/passwords.js';
import { Keyring } from '../apps/server/src/platform/crypto.js';
import { subtreeRange } from '../apps/server/src/platform/scope.js';
import { firstRun } from '../apps/server/src/setup/first-run.js';
import { userRows, username } from './city/accounts.js';
import { insertStream, type CitySizes, type GenContext } from './city/context.js';
import { seededRng } from './city/names.js';
import { organizationRows, searchQueries } from './city/organizations.js';
import { centerRows, generateDepartments, generateJurisdictions } from './city/places.js';

export type { CitySizes } from './city/context.js';

/** Every generated account shares this password (and one argon2id hash of it). */
export const BENCH_PASSWORD = 'Qiao-Bench-2026!';

export const defaultSizes: CitySizes = { districts: 20, subdistricts: 250, users: 10_000, organizations: 1_000_000 };
/** Small enough for CI, big enough that a district still fills a page of 50 users and of organizations. */
export const smokeSizes: CitySizes = { districts: 4, subdistricts: 24, users: 500, organizations: 2_000 };

/** `--scale` multiplies the volume entities (users, organizations), never the map. */
export function scaleSizes(sizes: CitySizes, scale: number): CitySizes {
  return {
    ...sizes,
    users: Math.round(sizes.users * scale),
    organizations: Math.round(sizes.organizations * scale),
  };
}

export interface GeneratedCity {
  sizes: CitySizes;
  rows: Record<string, number>;
  /** The district officer whose scoped user list is measured. */
  officer: { username: string; district: string; scopePath: string; usersInScope: number };
  /** Active accounts the login scenario rotates through. */
  loginUsernames: string[];
  /** Name queries (2–8 characters) taken from generated names, for the search scenario. */
  searchQueries: string[];
  /** Seconds each step took, by table. */
  stepSeconds: Record<string, number>;
  seconds: number;
}

async function generateOrganizations(ctx: GenContext): Promise<number> {
  const n = await insertStream(ctx.db, 'organizations', organizationRows(ctx, ctx.sizes.organizations));
  const sequences = [...ctx.filingSequences].map(([key, last]) => {
    const [jurisdictionId, year] = key.split(':').map(Number) as [number, number];
    return { jurisdiction_id: jurisdictionId, year, last };
  });
  await insertStream(ctx.db, 'filing_sequences', sequences);
  return n;
}

/** One entry per entity, in dependency order: a new entity (organizations) is one more step. */
const steps: readonly [table: string, run: (ctx: GenContext, passwordHash: string) => Promise<number>][] = [
  ['jurisdictions', generateJurisdictions],
  ['centers', (ctx) => insertStream(ctx.db, 'centers', centerRows(ctx))],
  ['departments', generateDepartments],
  ['users', (ctx, hash) => insertStream(ctx.db, 'users', userRows(ctx, hash))],
  ['organizations', generateOrganizations],
];

/**
 * Builds a synthetic city on a fresh database: migrations, the first-run root and administrator,
 * then every step of `steps`. Seeded, so two runs with the same sizes build the same city.
 */
export async function generateCity(db: Db, config: Config, sizes: CitySizes, log: (line: string) => void = () => {}) {
  const started = performance.now();
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, () => {});
  const root = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'code', 'name'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const existing = await db.kysely
    .selectFrom('jurisdictions')
    .select('id')
    .where('parent_id', 'is not', null)
    .executeTakeFirst();
  if (existing) throw new Error('The generator needs a fresh database: this one already has districts.');

  const ctx: GenContext = {
    db: db.kysely,
    rng: seededRng(20_261_101),
    sizes,
    now: Date.now(),
    root,
    districts: [],
    subdistricts: [],
    departments: new Map(),
    loginUsernames: [],
    filingSequences: new Map(),
    sampledNames: [],
  };
  // The search indexes take random writes (bigram postings by path); SQLite's 2 MB default page
  // cache would spill to the file on every batch. This connection is the generator's alone.
  if (db.engine === 'sqlite') await sql`pragma cache_size = -262144`.execute(db.kysely);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const rows: Record<string, number> = {};
  const stepSeconds: Record<string, number> = {};
  for (const [table, run] of steps) {
    const t = performance.now();
    rows[table] = await run(ctx, passwordHash);
    stepSeconds[table] = (performance.now() - t) / 1000;
    log(`  ${table}: ${rows[table]} rows in ${stepSeconds[table].toFixed(1)} s`);
  }
  // PostgreSQL's autovacuum would vacuum and analyze the new rows within minutes; a bench should not
  // race it. Until a vacuum sets the visibility map, every index-only scan (the search's postings, the
  // list's branches) also reads the heap: p95 of the search's posting lookups 32 ms before, 4.5 after.
  // SQLite has no autovacuum: its planner gets the statistics `analyze` leaves.
  const t = performance.now();
  await (db.engine === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db.kysely);
  stepSeconds.analyze = (performance.now() - t) / 1000;
  log(`  analyze: ${stepSeconds.analyze.toFixed(1)} s`);

  const district = ctx.districts[0]!;
  const [low, high] = subtreeRange(district.path);
  const inScope = await db.kysely
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('j.path', '>=', low)
    .where('j.path', '<', high)
    .executeTakeFirstOrThrow();
  return {
    sizes,
    rows,
    officer: {
      username: username('district_officer', 0),
      district: district.name,
      scopePath: district.path,
      usersInScope: Number(inScope.n),
    },
    loginUsernames: ctx.loginUsernames,
    searchQueries: searchQueries(seededRng(20_261_127), ctx.sampledNames, 500),
    stepSeconds,
    seconds: (performance.now() - started) / 1000,
  } satisfies GeneratedCity;
}

/** `tsx generate.ts [--users N] [--organizations N] [--scale F]`: a city in the database DATABASE_URL / QIAO_DATA_DIR names. */
async function main() {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      organizations: { type: 'string' },
      scale: { type: 'string', default: '1' },
      districts: { type: 'string' },
      subdistricts: { type: 'string' },
    },
  });
  const given = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const sizes = scaleSizes(
    {
      districts: given(values.districts, defaultSizes.districts),
      subdistricts: given(values.subdistricts, defaultSizes.subdistricts),
      users: given(values.users, defaultSizes.users),
      organizations: given(values.organizations, defaultSizes.organizations),
    },
    Number(values.scale),
  );
  if (Object.values(sizes).some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('Sizes must be positive integers');
  const dataDir = process.env.QIAO_DATA_DIR ?? path.join(import.meta.dirname, '.data', 'city');
  const config = loadConfig({ ...process.env, QIAO_DATA_DIR: dataDir, QIAO_DEMO: '0' });
  const db = openDatabase(config.database);
  try {
    console.log(
      `Generating ${sizes.users} users and ${sizes.organizations} organizations over ${sizes.districts} districts and ${sizes.subdistricts} subdistricts…`,
    );
    const city = await generateCity(db, config, sizes, console.log);
    console.log(`Done in ${city.seconds.toFixed(1)} s. Every account's password: ${BENCH_PASSWORD}`);
    console.log(
      `District officer: ${city.officer.username} (${city.officer.district}, ${city.officer.usersInScope} users in scope)`,
    );
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
