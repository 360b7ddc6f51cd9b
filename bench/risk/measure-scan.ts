/**
 * Times the risk scan over a generated city: one full scan of the organizations table as the raw
 * baseline, then runRiskScan twice (the first opens every signal, the second finds them unchanged),
 * and the re-evaluation of single organizations after a change.
 *
 *   npx tsx bench/risk/measure-scan.ts --organizations 1000000                 # SQLite file in bench/.data
 *   QIAO_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/risk/measure-scan.ts --engine postgres
 *
 * Prints a Markdown block; bench/risk/RESULTS.md keeps the last one recorded.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createServices } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config.js';
import { Kysely } from 'kysely';
import { type Db } from '../../apps/server/src/db/database.js';
import { createDialect } from '../../apps/server/src/db/dialect.js';
import type { Database } from '../../apps/server/src/db/schema.js';
import { Keyring } from '../../apps/server/src/platform/crypto.js';
import { systemActor } from '../../apps/server/src/platform/scope.js';
import { addDays, shanghaiDay } from '../../apps/server/src/modules/risk/rule-registry.js';
import { insertStream, iso } from '../city/context.js';
import { seededRng } from '../city/names.js';
import { benchEnv, createPostgres, createSqlite, type EngineDatabase } from '../engines.js';
import { generateCity } from '../generate.js';

const { values } = parseArgs({
  options: {
    organizations: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'sqlite' },
    reevaluations: { type: 'string', default: '300' },
    // Prints the statements the re-evaluations spent their time in.
    profile: { type: 'boolean', default: false },
  },
});
const organizations = Number(values.organizations);
const pgUrl = process.env.QIAO_BENCH_PG_URL || process.env.QIAO_TEST_PG_URL;

const seconds = (t: number) => (performance.now() - t) / 1000;

/** Activities for 80 % of organizations (1–3 in the last 400 days), person-in-charge changes for 2 %, certificates. */
async function addSignalData(db: Db, log: (l: string) => void) {
  const k = db.kysely;
  const range = await k
    .selectFrom('organizations')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirstOrThrow();
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const rng = seededRng(5_2026);
  const now = Date.now();
  const day = 86_400_000;
  let t = performance.now();
  const activities = await insertStream(
    k,
    'activities',
    (function* () {
      for (let id = lo; id <= hi; id++) {
        if (rng.next() >= 0.8) continue;
        for (let n = 1 + rng.int(3); n > 0; n--) {
          const on = iso(now - rng.int(400) * day);
          yield { organization_id: id, occurred_on: on.slice(0, 10), title: '社区活动', created_at: on };
        }
      }
    })(),
  );
  log(`  activities: ${activities} rows in ${seconds(t).toFixed(1)} s`);
  t = performance.now();
  // Versions whose change is a new person in charge: the trigger writes organization_leader_changes.
  const versions = await insertStream(
    k,
    'organization_versions',
    (function* () {
      for (let id = lo; id <= hi; id++) {
        if (rng.next() >= 0.02) continue;
        for (let v = 2; v <= 4; v++) {
          const at = iso(now - rng.int(330) * day);
          yield {
            organization_id: id,
            version: v,
            changed_at: at,
            actor_id: null,
            actor_name: 'bench',
            action: 'organization.update',
            reason: null,
            changes: JSON.stringify([
              { field: 'personInCharge', before: { name: `负责人${v - 1}` }, after: { name: `负责人${v}` } },
            ]),
          };
        }
      }
    })(),
  );
  log(`  organization_versions (person in charge changed 3 times): ${versions} rows in ${seconds(t).toFixed(1)} s`);
  t = performance.now();
  const today = shanghaiDay(new Date());
  await sql`update organizations set certificate_expires_on = case id % 20
      when 0 then ${addDays(today, -90)} when 1 then ${addDays(today, 12)} else ${addDays(today, 800)} end
    where kind <> 'community_org'`.execute(k);
  await (db.engine === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(k);
  log(`  certificates and analyze: ${seconds(t).toFixed(1)} s`);
  return { activities, versions };
}

async function measure(database: EngineDatabase) {
  const env = benchEnv(database);
  const config = loadConfig(env);
  // The app's handle, with a statement log the --profile option reads during the re-evaluations.
  const statements = new Map<string, number>();
  let profiling = false;
  const kysely = new Kysely<Database>({
    dialect: createDialect(config.database),
    log: (e) => {
      if (!profiling || e.level !== 'query') return;
      const key = e.query.sql.replace(/\s+/g, ' ').slice(0, 100);
      statements.set(key, (statements.get(key) ?? 0) + e.queryDurationMillis);
    },
  });
  const db: Db = { kysely, engine: config.database.engine, close: () => kysely.destroy() };
  const log = (l: string) => console.log(l);
  log(`${database.engine}: generating ${organizations} organizations…`);
  const started = performance.now();
  await generateCity(db, config, { districts: 20, subdistricts: 250, users: 500, organizations }, log);
  const data = await addSignalData(db, log);
  log(`  generated in ${seconds(started).toFixed(0)} s`);
  const services = createServices({ db, config, keyring: new Keyring(config.secret) });
  const root = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'path'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const ctx = { actor: systemActor(root, 'bench'), requestId: null, ip: null };

  // Baseline: read every organization row once.
  let t = performance.now();
  await sql`select sum(length(name) + length(status) + coalesce(length(certificate_expires_on), 0)) as s
    from organizations`.execute(db.kysely);
  const tableScan = seconds(t);
  t = performance.now();
  profiling = values.profile;
  const first = await services.risk.runRiskScan(ctx);
  const firstScan = seconds(t);
  profiling = false;
  if (values.profile) {
    log('  first scan, seconds by statement:');
    for (const [q, ms] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 10))
      log(`    ${(ms / 1000).toFixed(2)}  ${q}`);
    statements.clear();
  }
  t = performance.now();
  const again = await services.risk.runRiskScan(ctx);
  const steadyScan = seconds(t);
  t = performance.now();
  await sql`select sum(length(name) + length(status) + coalesce(length(certificate_expires_on), 0)) as s
    from organizations`.execute(db.kysely);
  const tableScan2 = seconds(t);

  const counts = await db.kysely
    .selectFrom('organization_risk')
    .select(['level', (eb) => eb.fn.countAll<number>().as('c')])
    .groupBy('level')
    .execute();
  const listed = await db.kysely
    .selectFrom('abnormal_listings')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .executeTakeFirstOrThrow();

  // Re-evaluation of one organization after a change: contact lost, then re-evaluated.
  const ids = await db.kysely
    .selectFrom('organizations')
    .select('id')
    .where('status', '=', 'active')
    .orderBy('id')
    .limit(Number(values.reevaluations))
    .offset(Math.floor(organizations / 3))
    .execute();
  const times: number[] = [];
  profiling = values.profile;
  for (const { id } of ids) {
    await db.kysely.updateTable('organizations').set({ contact_status: 'unreachable' }).where('id', '=', id).execute();
    const s = performance.now();
    await services.risk.reevaluateOrganization(id);
    times.push(performance.now() - s);
  }
  profiling = false;
  if (values.profile) {
    log('  re-evaluation, ms per organization by statement:');
    for (const [q, ms] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 12))
      log(`    ${(ms / ids.length).toFixed(2)}  ${q}`);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!;
  await db.close();
  return {
    engine: database.version,
    firstScan,
    steadyScan,
    tableScan: Math.min(tableScan, tableScan2),
    first,
    again,
    data,
    levels: Object.fromEntries(counts.map((c) => [c.level, Number(c.c)])),
    listed: Number(listed.c),
    reevaluate: { n: times.length, p50: pct(0.5), p95: pct(0.95), max: times[times.length - 1]! },
  };
}

const engines: EngineDatabase[] = [];
try {
  const results = [];
  for (const engine of values.engine.split(',')) {
    const database = engine === 'postgres' ? await createPostgres(pgUrl!) : await createSqlite();
    engines.push(database);
    const r = await measure(database);
    results.push(r);
    // Printed at once too, so a later engine's failure does not lose this one's figures.
    console.log(
      `  ${JSON.stringify({ ...r, first: undefined, again: undefined, scanned: r.first.scanned, signals: r.first.signals })}`,
    );
    await database.dispose();
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    `Measured ${when} UTC with \`npx tsx bench/risk/measure-scan.ts --organizations ${organizations}\`, ` +
      `${os.cpus().length} cores, Node.js ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
    '',
    '| engine | organizations | table scan (baseline) | first scan (all signals new) | scan again (no change) | signals | re-evaluate one: p50 / p95 / max |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.first.scanned.toLocaleString('en')} | ${r.tableScan.toFixed(2)} s | ${r.firstScan.toFixed(1)} s ` +
        `| ${r.steadyScan.toFixed(1)} s | ${r.first.signals.toLocaleString('en')} | ` +
        `${r.reevaluate.p50.toFixed(1)} / ${r.reevaluate.p95.toFixed(1)} / ${r.reevaluate.max.toFixed(1)} ms |`,
    ),
    '',
    ...results.map(
      (r) =>
        `- ${r.engine}: ${r.data.activities.toLocaleString('en')} activities, ${r.data.versions.toLocaleString('en')} ` +
        `person-in-charge changes; levels after the scan ${JSON.stringify(r.levels)}; ${r.listed} listed ` +
        `(none can be yet: a listing needs its signal open 60 or 365 days); re-evaluated ${r.reevaluate.n} organizations.`,
    ),
  ];
  console.log(`\n${lines.join('\n')}`);
} finally {
  for (const e of engines) await e.dispose().catch(() => {});
}
