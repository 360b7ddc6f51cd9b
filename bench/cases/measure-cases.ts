/**
 * Times the case escalation run and the overdue case list on a city with many cases, each beside
 * a raw baseline measured in the same run on the same database:
 *
 *   npx tsx bench/cases/measure-cases.ts --cases 100000 --overdue 1000      # SQLite file in bench/.data
 *   QIAO_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/cases/measure-cases.ts
 *
 * - escalation run: `runEscalations` (select overdue, then per case one transaction: guarded update,
 *   timeline event, audit event, notifications) vs the raw floor of the same work: the same select,
 *   then per case one transaction with a plain update and one insert.
 * - idle run: the same run right after, with nothing overdue (what the minute-by-minute job costs).
 * - overdue list: `listCases?overdue=true` for the city vs the same SQL on the driver (Kysely without the service).
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createServices } from '../../apps/server/src/app.js';
import { createCaseService } from '../../apps/server/src/modules/cases/cases.service.js';
import { systemActor } from '../../apps/server/src/platform/scope.js';
import { withModuleBench } from '../module-db.js';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, overdue: { type: 'string', default: '1000' } },
});
const total = Number(values.cases);
const overdue = Number(values.overdue);

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

await withModuleBench('cases', async ({ db, deps, city, subdistricts }) => {
  const k = db.kysely;
  const now = new Date().toISOString();
  const past = new Date(Date.now() - 3_600_000).toISOString();
  const future = new Date(Date.now() + 86_400_000).toISOString();
  const started = process.hrtime.bigint();
  const BATCH = 500;
  for (let i = 0; i < total; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(total, i + BATCH); j++) {
      const s = subdistricts[j % subdistricts.length]!;
      const late = j % Math.max(1, Math.floor(total / overdue)) === 0 && j / Math.floor(total / overdue) < overdue;
      const resolved = !late && j % 3 === 0;
      rows.push({
        category: 'elder_unreachable',
        severity: 'high',
        description: `案件${j}`,
        status: resolved ? ('resolved' as const) : ('open' as const),
        jurisdiction_id: s.id,
        jurisdiction_path: s.path,
        household_id: null,
        organization_id: null,
        reporter_id: null,
        reporter_name: 'bench',
        reporter_role: 'volunteer',
        queue: 'center' as const,
        department_id: null,
        level: 'subdistrict' as const,
        level_jurisdiction_id: s.id,
        acknowledge_due_at: late ? past : future,
        resolve_due_at: late ? past : future,
        resolved_at: resolved ? now : null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await k.insertInto('cases').values(rows).execute();
  }
  const lateCount = Number(
    (
      await k
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('acknowledge_due_at', '=', past)
        .executeTakeFirstOrThrow()
    ).n,
  );
  console.log(`${db.engine}: ${total} cases (${lateCount} overdue) generated in ${(ms(started) / 1000).toFixed(1)} s`);

  const services = createServices(deps);
  const cases = createCaseService(deps, services.organizations, services.households);
  const ctx = { actor: systemActor(city), requestId: null, ip: null };

  // The raw floor first, on a copy of the overdue state: select, then per case one transaction.
  let t = process.hrtime.bigint();
  const ids = await k
    .selectFrom('cases as c')
    .select(['c.id', 'c.version'])
    .where('c.level', '!=', 'city')
    .where((eb) =>
      eb.or([
        eb.and([eb('c.status', '=', 'open'), eb('c.acknowledge_due_at', '<', now)]),
        eb.and([eb('c.status', 'in', ['open', 'acknowledged']), eb('c.resolve_due_at', '<', now)]),
      ]),
    )
    .execute();
  for (const row of ids) {
    await k.transaction().execute(async (trx) => {
      await trx
        .updateTable('cases')
        .set({ version: row.version + 1 })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .execute();
      await trx
        .insertInto('case_events')
        .values({
          case_id: row.id,
          kind: 'escalated',
          actor_id: null,
          actor_name: null,
          actor_role: null,
          details: '{}',
          occurred_at: now,
        })
        .execute();
    });
  }
  const baseline = ms(t);
  await k.deleteFrom('case_events').execute();

  t = process.hrtime.bigint();
  const run = await cases.runEscalations(null);
  const app = ms(t);
  console.log(
    `escalation run: ${run.escalated} escalated in ${app.toFixed(0)} ms (${(app / Math.max(1, run.escalated)).toFixed(2)} ms/case); ` +
      `raw floor (select + update + insert per case) ${baseline.toFixed(0)} ms (${(baseline / Math.max(1, ids.length)).toFixed(2)} ms/case); ratio ${(app / baseline).toFixed(2)}`,
  );

  t = process.hrtime.bigint();
  const idle = await cases.runEscalations(null);
  const idleMs = ms(t);
  t = process.hrtime.bigint();
  await k
    .selectFrom('cases as c')
    .select('c.id')
    .where('c.level', '!=', 'city')
    .where((eb) =>
      eb.or([
        eb.and([eb('c.status', '=', 'open'), eb('c.acknowledge_due_at', '<', now)]),
        eb.and([eb('c.status', 'in', ['open', 'acknowledged']), eb('c.resolve_due_at', '<', now)]),
      ]),
    )
    .execute();
  const idleBase = ms(t);
  console.log(
    `idle run (nothing overdue): ${idle.escalated} escalated in ${idleMs.toFixed(1)} ms; raw overdue select ${idleBase.toFixed(1)} ms`,
  );

  // Make some overdue again for the list (escalated ones got a fresh window).
  await k
    .updateTable('cases')
    .set({ acknowledge_due_at: past })
    .where('acknowledge_due_at', '>', now)
    .where('status', '=', 'open')
    .where('id', '<', 5000)
    .execute();
  const samples = 20;
  t = process.hrtime.bigint();
  let shown = 0;
  for (let i = 0; i < samples; i++) shown = (await cases.listCases(ctx, { overdue: 'true', limit: 50 })).items.length;
  const listMs = ms(t) / samples;
  t = process.hrtime.bigint();
  for (let i = 0; i < samples; i++)
    await k
      .selectFrom('cases as c')
      .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
      .leftJoin('departments as d', 'd.id', 'c.department_id')
      .leftJoin('organizations as o', 'o.id', 'c.organization_id')
      .selectAll('c')
      .select(['j.name as jurisdiction_name', 'd.name as department_name', 'o.name as organization_name'])
      .where((eb) =>
        eb.or([
          eb.and([eb('c.status', '=', 'open'), eb('c.acknowledge_due_at', '<', now)]),
          eb.and([eb('c.status', 'in', ['open', 'acknowledged']), eb('c.resolve_due_at', '<', now)]),
        ]),
      )
      .orderBy('c.id', 'desc')
      .limit(51)
      .execute();
  const listBase = ms(t) / samples;
  if (process.env.BENCH_EXPLAIN && db.engine === 'postgres') {
    const c = k
      .selectFrom('cases as c')
      .select('c.id')
      .where((eb) =>
        eb.or([
          eb.and([eb('c.status', '=', 'open'), eb('c.acknowledge_due_at', '<', now)]),
          eb.and([eb('c.status', 'in', ['open', 'acknowledged']), eb('c.resolve_due_at', '<', now)]),
        ]),
      )
      .orderBy('c.id', 'desc')
      .limit(51)
      .compile();
    const plan = await sql
      .raw(`explain analyze ${c.sql.replace(/\$(\d+)/g, (_, n) => `'${String(c.parameters[Number(n) - 1])}'`)}`)
      .execute(k);
    console.log(plan.rows);
  }
  console.log(
    `overdue list (city, 50 of them): ${shown} in ${listMs.toFixed(1)} ms; raw select ${listBase.toFixed(1)} ms; ratio ${(listMs / listBase).toFixed(2)}`,
  );
});
