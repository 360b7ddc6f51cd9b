import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/test-db.js';
import { migrate, openDatabase, type Db } from './database.js';
import { prepare, type Placeholders } from './prepared.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase(database.config);
  await migrate(db);
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const now = new Date().toISOString();
const insertItems = prepare(
  (k, p: Placeholders<{ rows: { name: string; unit: string; points_price: number }[]; now: string }>, n) =>
    k
      .insertInto('items')
      .values(
        Array.from({ length: n }, (_, i) => ({
          ...p.row('rows', ['name', 'unit', 'points_price'], i),
          category: '日用',
          barcode: null,
          created_at: p('now'),
        })),
      )
      .returning(['id', 'name']),
);
const byIds = prepare((k, p: Placeholders<{ ids: number[]; min: number }>, n) =>
  k
    .selectFrom('items')
    .select(['id', 'name', 'points_price'])
    .where(
      'id',
      'in',
      Array.from({ length: n }, (_, i) => p.at('ids', i)),
    )
    .where('points_price', '>=', p('min'))
    .orderBy('id'),
);

describe('prepared statements', () => {
  it('compile once per shape and bind fresh values each run, never splicing them into the text', async () => {
    const hostile = `x'); drop table items; --`;
    const rows = [
      { name: hostile, unit: '件', points_price: 1 },
      { name: '大米', unit: '袋', points_price: 10 },
    ];
    const made = await insertItems.execute(db.kysely, { rows, now }, rows.length);
    expect(made.map((r) => r.name)).toEqual([hostile, '大米']);
    const ids = made.map((r) => Number(r.id));
    expect((await byIds.execute(db.kysely, { ids, min: 0 }, 2)).map((r) => r.name)).toEqual([hostile, '大米']);
    // Same text, other values: the second run answers for its own values.
    expect((await byIds.execute(db.kysely, { ids, min: 5 }, 2)).map((r) => r.name)).toEqual(['大米']);
    expect((await byIds.execute(db.kysely, { ids: [ids[1]!], min: 0 }, 1)).map((r) => r.name)).toEqual(['大米']);
    expect(await byIds.first(db.kysely, { ids: [-1], min: 0 }, 1)).toBeUndefined();
  });

  it('runs inside a transaction on its connection', async () => {
    await db.kysely
      .transaction()
      .execute(async (trx) => {
        const [row] = await insertItems.execute(trx, { rows: [{ name: '回滚', unit: '件', points_price: 1 }], now }, 1);
        expect(await byIds.first(trx, { ids: [Number(row!.id)], min: 0 }, 1)).toMatchObject({ name: '回滚' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const left = await db.kysely.selectFrom('items').select('id').where('name', '=', '回滚').execute();
    expect(left).toEqual([]);
  });
});
