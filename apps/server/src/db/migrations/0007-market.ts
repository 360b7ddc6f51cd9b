import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// The charity supermarket (ADR 0011). Two ledgers — stock movements and points entries — are
// append-only, and the balances they add up to are kept by the database itself: a trigger adds
// every new entry to its balance row, and a CHECK keeps every balance at zero or above. Code
// never writes a balance, so "sum of movements = on-hand" holds by construction, and an entry
// that would take a balance below zero fails its INSERT on either engine.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await withId(db, db.schema.createTable('stores'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_scope').on('stores').columns(['jurisdiction_path', 'id']).execute();

  await withId(db, db.schema.createTable('items'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('points_price', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('barcode', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('items_points_price_non_negative', sql`points_price >= 0`)
    .execute();

  await withId(db, db.schema.createTable('stock_movements'))
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Signed: in > 0, out < 0.
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    // What the movement belongs to: donation:12, checkout:7, transfer:3, stock_take:5.
    .addColumn('reference', 'text')
    .addColumn('reverses_id', 'bigint', (c) => c.unique().references('stock_movements.id'))
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('stock_movements_quantity_non_zero', sql`quantity <> 0`)
    .execute();
  await db.schema
    .createIndex('stock_movements_store_item')
    .on('stock_movements')
    .columns(['store_id', 'item_id', 'id'])
    .execute();
  await db.schema.createIndex('stock_movements_store_id').on('stock_movements').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('stock_balances')
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_balances_pk', ['store_id', 'item_id'])
    .addCheckConstraint('stock_on_hand_non_negative', sql`on_hand >= 0`)
    .execute();

  // Gapless numbers: one row per store, year and series ('D' donations, 'R' redemptions), bumped
  // inside the transaction that uses the number, so a rolled-back sale gives its number back.
  await db.schema
    .createTable('receipt_sequences')
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipt_sequences_pk', ['store_id', 'year', 'series'])
    .execute();

  await withId(db, db.schema.createTable('donations'))
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('receipt_no', 'text', (c) => c.notNull().unique())
    .addColumn('donor_name', 'text')
    .addColumn('donor_kind', 'text')
    .addColumn('amount_fen', 'bigint')
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('donations_store_year_seq', ['store_id', 'year', 'seq'])
    .execute();
  await db.schema.createIndex('donations_store').on('donations').columns(['store_id', 'id']).execute();

  // Money in fen by fund: donated money is accounted apart from operating money (收支两条线).
  await withId(db, db.schema.createTable('fund_entries'))
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('fund', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fund_entries_fund', sql`fund in ('donated', 'operating')`)
    .execute();
  await db.schema.createIndex('fund_entries_store').on('fund_entries').columns(['store_id', 'fund']).execute();

  await withId(db, db.schema.createTable('entitlement_programs'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    // JSON object category → points per period.
    .addColumn('points_by_category', 'text', (c) => c.notNull())
    .addColumn('visit_limit', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('program_quotas')
    .addColumn('program_id', 'bigint', (c) => c.notNull().references('entitlement_programs.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_quotas_pk', ['program_id', 'item_id'])
    .execute();

  await withId(db, db.schema.createTable('points_entries'))
    .addColumn('household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('program_id', 'bigint', (c) => c.references('entitlement_programs.id'))
    .addColumn('reference', 'text')
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('points_entries_non_zero', sql`points <> 0`)
    .execute();
  await db.schema
    .createIndex('points_entries_household')
    .on('points_entries')
    .columns(['household_id', 'id'])
    .execute();

  await db.schema
    .createTable('points_balances')
    .addColumn('household_id', 'bigint', (c) => c.primaryKey().references('households.id'))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addCheckConstraint('points_non_negative', sql`points >= 0`)
    .execute();

  await withId(db, db.schema.createTable('checkouts'))
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('receipt_no', 'text', (c) => c.notNull().unique())
    .addColumn('points_spent', 'integer', (c) => c.notNull())
    .addColumn('points_left', 'integer', (c) => c.notNull())
    // Idempotency: one sale per (user, key); the body's digest tells a retry from a different request.
    .addColumn('actor_id', 'bigint', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_digest', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('checkouts_idempotency', ['actor_id', 'idempotency_key'])
    .addUniqueConstraint('checkouts_store_year_seq', ['store_id', 'year', 'seq'])
    .execute();
  await db.schema
    .createIndex('checkouts_household_created')
    .on('checkouts')
    .columns(['household_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('checkout_lines')
    .addColumn('checkout_id', 'bigint', (c) => c.notNull().references('checkouts.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkout_lines_pk', ['checkout_id', 'item_id'])
    .execute();

  // Balances follow their ledgers, inside the inserting statement (a zero row first, then the
  // update: a CHECK is tested on an upsert's candidate row, so `values (…, -2) on conflict` would
  // fail even when the balance covers it); ledgers refuse UPDATE and DELETE.
  if (pg) {
    await sql`create function qiao_append_only() returns trigger language plpgsql as $$
      begin raise exception '% is append-only: correct it with a reversing entry', tg_table_name; end $$`.execute(db);
    await sql`create function qiao_stock_balance() returns trigger language plpgsql as $$
      begin
        insert into stock_balances (store_id, item_id, on_hand) values (new.store_id, new.item_id, 0)
          on conflict (store_id, item_id) do nothing;
        update stock_balances set on_hand = on_hand + new.quantity
          where store_id = new.store_id and item_id = new.item_id;
        return new;
      end $$`.execute(db);
    await sql`create function qiao_points_balance() returns trigger language plpgsql as $$
      begin
        insert into points_balances (household_id, points) values (new.household_id, 0)
          on conflict (household_id) do nothing;
        update points_balances set points = points + new.points where household_id = new.household_id;
        return new;
      end $$`.execute(db);
    for (const table of ['stock_movements', 'points_entries']) {
      await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
        for each row execute function qiao_append_only()`.execute(db);
    }
    await sql`create trigger stock_movements_balance after insert on stock_movements
      for each row execute function qiao_stock_balance()`.execute(db);
    await sql`create trigger points_entries_balance after insert on points_entries
      for each row execute function qiao_points_balance()`.execute(db);
  } else {
    for (const table of ['stock_movements', 'points_entries']) {
      for (const event of ['update', 'delete']) {
        await sql
          .raw(
            `create trigger ${table}_no_${event} before ${event} on ${table} begin ` +
              `select raise(abort, '${table} is append-only: correct it with a reversing entry'); end`,
          )
          .execute(db);
      }
    }
    await sql`create trigger stock_movements_balance after insert on stock_movements begin
        insert into stock_balances (store_id, item_id, on_hand) values (new.store_id, new.item_id, 0)
          on conflict (store_id, item_id) do nothing;
        update stock_balances set on_hand = on_hand + new.quantity
          where store_id = new.store_id and item_id = new.item_id;
      end`.execute(db);
    await sql`create trigger points_entries_balance after insert on points_entries begin
        insert into points_balances (household_id, points) values (new.household_id, 0)
          on conflict (household_id) do nothing;
        update points_balances set points = points + new.points where household_id = new.household_id;
      end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'checkout_lines',
    'checkouts',
    'points_balances',
    'points_entries',
    'program_quotas',
    'entitlement_programs',
    'fund_entries',
    'donations',
    'receipt_sequences',
    'stock_balances',
    'stock_movements',
    'items',
    'stores',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  if (isPostgres(db)) {
    for (const fn of ['qiao_append_only', 'qiao_stock_balance', 'qiao_points_balance']) {
      await sql`drop function if exists ${sql.id(fn)}()`.execute(db);
    }
  }
}
