import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/test-db.js';
import { migrate, openDatabase, type Db } from './database.js';
import { createGroupCommit } from './group-commit.js';

// The till commits in groups on SQLite; the mechanism is engine-neutral (savepoints), so it is
// checked on both engines.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase(database.config);
  await migrate(db);
  await sql`create table gc_parent (id integer primary key)`.execute(db.kysely);
  await sql`create table gc_probe (n integer primary key, parent integer references gc_parent (id) deferrable initially deferred)`.execute(
    db.kysely,
  );
});
afterAll(async () => {
  await db.close();
  await database.drop();
});
beforeEach(async () => {
  await sql`delete from gc_probe`.execute(db.kysely);
});

const insert = (
  trx: Parameters<Parameters<ReturnType<typeof createGroupCommit>['run']>[0]>[0],
  n: number,
  parent: number | null = null,
) => sql`insert into gc_probe (n, parent) values (${n}, ${parent})`.execute(trx);
const count = async (trx: Parameters<typeof insert>[0]) =>
  Number((await sql<{ c: number }>`select count(*) as c from gc_probe`.execute(trx)).rows[0]!.c);
const stored = async () =>
  (await sql<{ n: number }>`select n from gc_probe order by n`.execute(db.kysely)).rows.map((r) => Number(r.n));

describe('group commit', () => {
  it('commits the units that succeed, undoes only the one that throws, and each sees the ones before it', async () => {
    const group = createGroupCommit(db.kysely);
    const order: string[] = [];
    const results = await Promise.allSettled([
      group
        .run(async (trx) => {
          await insert(trx, 1);
          order.push('work 1');
          return 'one';
        })
        .then((v) => (order.push('answered 1'), v)),
      group.run(async (trx) => {
        await insert(trx, 2);
        order.push('work 2');
        throw new Error('unit 2 refused');
      }),
      group.run(async (trx) => {
        order.push('work 3');
        const before = await count(trx);
        await insert(trx, 3);
        return before;
      }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'one',
      'unit 2 refused',
      1,
    ]);
    // The three ran in one group, and the first heard back only after the group's commit.
    expect(order).toEqual(['work 1', 'work 2', 'work 3', 'answered 1']);
    expect(await stored()).toEqual([1, 3]);
  });

  it('fails every unit of a group whose commit fails, and writes none of it', async () => {
    const group = createGroupCommit(db.kysely);
    // A deferred foreign key is checked at COMMIT: unit 1's orphan fails the whole group there.
    const results = await Promise.allSettled([
      group.run((trx) => insert(trx, 10, 999)),
      group.run((trx) => insert(trx, 11)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await stored()).toEqual([]);
    // The next group starts afresh.
    await group.run((trx) => insert(trx, 12));
    expect(await stored()).toEqual([12]);
  });

  it('runs more units than a group holds in successive groups, in order', async () => {
    const group = createGroupCommit(db.kysely, 2);
    const seen = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => group.run(async (trx) => (await insert(trx, n), count(trx)))),
    );
    // Within a group each sees the earlier units; every unit sees all earlier groups.
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await stored()).toEqual([1, 2, 3, 4, 5]);
  });
});
