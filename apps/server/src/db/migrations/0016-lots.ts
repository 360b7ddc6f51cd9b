import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// Lots with expiry dates, and points that expire (ADR 0016). An item may track expiry: then every
// movement of it names a lot (store, item, expiry date, optional lot code), and the lot's on-hand
// follows the ledger by trigger like the store's balance, CHECK >= 0. The database refuses a movement
// of a tracked item without a lot, with a lot of another store or item, or with a lot of an untracked
// item; and it refuses switching tracking while any store holds the item — so a tracked item's lots
// always add up to its on-hand. Programs may say how long granted points last; an `expire` entry
// names the grant it expires, at most once.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .alterTable('items')
    .addColumn('tracks_expiry', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('entitlement_programs').addColumn('points_valid_months', 'integer').execute();

  await withId(db, db.schema.createTable('stock_lots'))
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('stores.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    // Asia/Shanghai calendar date (YYYY-MM-DD): the last day the goods may be handed out.
    .addColumn('expires_on', 'text', (c) => c.notNull())
    // The producer's lot code, '' when none was given (so the identity is unique without NULLs).
    .addColumn('lot_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('stock_lots_identity', ['store_id', 'item_id', 'expires_on', 'lot_code'])
    .addCheckConstraint('stock_lot_on_hand_non_negative', sql`on_hand >= 0`)
    .execute();
  await db.schema
    .createIndex('stock_lots_store_expiry')
    .on('stock_lots')
    .columns(['store_id', 'expires_on', 'id'])
    .execute();

  await db.schema
    .alterTable('stock_movements')
    .addColumn('lot_id', 'bigint', (c) => c.references('stock_lots.id'))
    .execute();

  // One expiry per grant: the expire entry's reference is `expire:<grant entry id>`.
  await sql`create unique index points_entries_expire_once on points_entries (reference) where kind = 'expire'`.execute(
    db,
  );

  if (pg) {
    // FOR SHARE on the item: a tracking switch (which locks the item row FOR UPDATE) waits for
    // movements in flight, and movements after it see the new setting.
    await sql`create function qiao_stock_lot_check() returns trigger language plpgsql as $$
      declare tracked integer;
      begin
        select tracks_expiry into tracked from items where id = new.item_id for share;
        if new.lot_id is null then
          if tracked = 1 then
            raise exception 'stock_lot_required: item % tracks expiry; its movements name a lot', new.item_id;
          end if;
        elsif tracked is distinct from 1 or not exists (
          select 1 from stock_lots where id = new.lot_id and store_id = new.store_id and item_id = new.item_id
        ) then
          raise exception 'stock_lot_mismatch: lot % is not a lot of item % in store %', new.lot_id, new.item_id, new.store_id;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create function qiao_stock_lot_balance() returns trigger language plpgsql as $$
      begin
        update stock_lots set on_hand = on_hand + new.quantity where id = new.lot_id;
        return new;
      end $$`.execute(db);
    await sql`create function qiao_item_tracking() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from stock_balances where item_id = new.id and on_hand <> 0) then
          raise exception 'item_tracking_with_stock: item % is held by a store; tracking changes only at zero stock', new.id;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger stock_movements_lot_check before insert on stock_movements
      for each row execute function qiao_stock_lot_check()`.execute(db);
    await sql`create trigger stock_movements_lot_balance after insert on stock_movements
      for each row when (new.lot_id is not null) execute function qiao_stock_lot_balance()`.execute(db);
    await sql`create trigger items_tracking before update of tracks_expiry on items
      for each row when (new.tracks_expiry <> old.tracks_expiry) execute function qiao_item_tracking()`.execute(db);
  } else {
    await sql`create trigger stock_movements_lot_check before insert on stock_movements begin
        select raise(abort, 'stock_lot_required: the item tracks expiry; its movements name a lot')
          where new.lot_id is null and (select tracks_expiry from items where id = new.item_id) = 1;
        select raise(abort, 'stock_lot_mismatch: not a lot of this item in this store')
          where new.lot_id is not null and (
            coalesce((select tracks_expiry from items where id = new.item_id), 0) <> 1
            or not exists (select 1 from stock_lots
              where id = new.lot_id and store_id = new.store_id and item_id = new.item_id));
      end`.execute(db);
    await sql`create trigger stock_movements_lot_balance after insert on stock_movements
      when new.lot_id is not null begin
        update stock_lots set on_hand = on_hand + new.quantity where id = new.lot_id;
      end`.execute(db);
    await sql`create trigger items_tracking before update of tracks_expiry on items
      when new.tracks_expiry <> old.tracks_expiry
        and exists (select 1 from stock_balances where item_id = new.id and on_hand <> 0) begin
        select raise(abort, 'item_tracking_with_stock: a store holds the item; tracking changes only at zero stock');
      end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await sql`drop trigger if exists items_tracking${sql.raw(pg ? ' on items' : '')}`.execute(db);
  for (const name of ['stock_movements_lot_check', 'stock_movements_lot_balance'])
    await sql`drop trigger if exists ${sql.id(name)}${sql.raw(pg ? ' on stock_movements' : '')}`.execute(db);
  if (pg)
    for (const fn of ['qiao_stock_lot_check', 'qiao_stock_lot_balance', 'qiao_item_tracking'])
      await sql`drop function if exists ${sql.id(fn)}()`.execute(db);
  await sql`drop index if exists points_entries_expire_once`.execute(db);
  await db.schema.alterTable('stock_movements').dropColumn('lot_id').execute();
  await db.schema.dropTable('stock_lots').execute();
  await db.schema.alterTable('entitlement_programs').dropColumn('points_valid_months').execute();
  await db.schema.alterTable('items').dropColumn('tracks_expiry').execute();
}
