import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../db/database.js';
import { createTestDatabase } from '../testing/test-db.js';
import { acquireLease, nextRunAt, releaseLease, runIfDue, type Job } from './jobs.js';

describe('nextRunAt', () => {
  it('runs daily jobs at a wall-clock time in Asia/Shanghai (UTC+8)', () => {
    // 01:59 in Shanghai on 2026-03-10 is 17:59 UTC on 03-09.
    expect(nextRunAt({ dailyAt: '02:00' }, new Date('2026-03-09T17:59:00Z')).toISOString()).toBe(
      '2026-03-09T18:00:00.000Z',
    );
    // Exactly at 02:00 Shanghai: the next run is tomorrow's.
    expect(nextRunAt({ dailyAt: '02:00' }, new Date('2026-03-09T18:00:00Z')).toISOString()).toBe(
      '2026-03-10T18:00:00.000Z',
    );
    // 23:30 in Shanghai is still "today" there although UTC already says the same date: 00:15 is tomorrow's.
    expect(nextRunAt({ dailyAt: '00:15' }, new Date('2026-03-09T15:30:00Z')).toISOString()).toBe(
      '2026-03-09T16:15:00.000Z',
    );
  });

  it('adds the interval to interval jobs and refuses a malformed time', () => {
    expect(nextRunAt({ everyMs: 60_000 }, new Date('2026-03-09T00:00:00Z')).toISOString()).toBe(
      '2026-03-09T00:01:00.000Z',
    );
    expect(() => nextRunAt({ dailyAt: '24:00' }, new Date())).toThrow(/HH:MM/);
  });
});

describe('job leases', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dbs: Db[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    // SQLite in memory is one connection per handle, so "processes" share one handle there;
    // PostgreSQL gets one pool per simulated process, racing for real.
    const first = openDatabase(database.config);
    await migrate(first);
    dbs = [first];
    if (database.config.engine === 'postgres') for (let i = 0; i < 4; i++) dbs.push(openDatabase(database.config));
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await database.drop();
  });

  const job = (name: string): Job => ({ name, schedule: { everyMs: 60_000 }, run: async () => 'ok' });

  it('lets exactly one of several processes take a due lease', async () => {
    const j = job('race');
    const t0 = new Date('2026-01-01T00:00:00Z');
    // The first sight creates the row due one interval later: not due yet.
    expect(await acquireLease(dbs[0]!.kysely, j, 'p0', t0)).toBe(false);
    const due = new Date(t0.getTime() + 60_000);
    const won = await Promise.all(
      Array.from({ length: 10 }, (_, i) => acquireLease(dbs[i % dbs.length]!.kysely, j, `p${i}`, due)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const row = await dbs[0]!.kysely
      .selectFrom('job_leases')
      .selectAll()
      .where('name', '=', 'race')
      .executeTakeFirstOrThrow();
    expect(row.holder).toBe(`p${won.indexOf(true)}`);
  });

  it('runs a job once per due time, and lets another process take over a lease that expired', async () => {
    const runs: string[] = [];
    const j: Job = { name: 'once', schedule: { everyMs: 60_000 }, leaseMs: 30_000, run: async () => runs.push('x') };
    let now = new Date('2026-01-01T00:00:00Z');
    const clock = () => now;
    await acquireLease(dbs[0]!.kysely, j, 'a', now); // creates the row
    now = new Date('2026-01-01T00:01:00Z');
    expect((await runIfDue(dbs[0]!.kysely, j, 'a', clock)).ran).toBe(true);
    // The same instant again (a second process, a rerun): not due.
    expect((await runIfDue(dbs.at(-1)!.kysely, j, 'b', clock)).ran).toBe(false);
    expect(runs).toHaveLength(1);

    // A process takes the lease and dies without releasing it.
    now = new Date('2026-01-01T00:02:00Z');
    expect(await acquireLease(dbs[0]!.kysely, j, 'dead', now)).toBe(true);
    now = new Date('2026-01-01T00:02:10Z');
    expect((await runIfDue(dbs[0]!.kysely, j, 'b', clock)).ran).toBe(false);
    // The dead holder cannot release what is not its own once another took it over.
    now = new Date('2026-01-01T00:02:31Z');
    expect((await runIfDue(dbs[0]!.kysely, j, 'b', clock)).ran).toBe(true);
    await releaseLease(dbs[0]!.kysely, j, 'dead', now, { result: 'late' });
    const row = await dbs[0]!.kysely
      .selectFrom('job_leases')
      .selectAll()
      .where('name', '=', 'once')
      .executeTakeFirstOrThrow();
    expect(row.last_result).toBe('2'); // the second run's result: the dead holder's release changed nothing
    expect(runs).toHaveLength(2);
    expect(row.due_at).toBe('2026-01-01T00:03:31.000Z');
  });

  it('records a failing run and frees the lease for the next due time', async () => {
    const j: Job = {
      name: 'fails',
      schedule: { everyMs: 60_000 },
      run: async () => {
        throw new Error('boom');
      },
    };
    let now = new Date('2026-01-01T00:00:00Z');
    await acquireLease(dbs[0]!.kysely, j, 'a', now);
    now = new Date('2026-01-01T00:01:00Z');
    expect(await runIfDue(dbs[0]!.kysely, j, 'a', () => now)).toEqual({ ran: true, error: 'boom' });
    const row = await dbs[0]!.kysely
      .selectFrom('job_leases')
      .selectAll()
      .where('name', '=', 'fails')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ holder: null, last_error: 'boom', due_at: '2026-01-01T00:02:00.000Z' });
  });
});
