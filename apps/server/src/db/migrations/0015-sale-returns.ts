import type { Kysely } from 'kysely';

// Sale returns (ADR 0015): a return's movements and points refund carry `return:<checkout id>` as
// their reference; what a sale already had back is summed by that reference, so it is indexed.
// The ledgers' columns and triggers are unchanged.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stock_movements_reference').on('stock_movements').column('reference').execute();
  await db.schema.createIndex('points_entries_reference').on('points_entries').column('reference').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('points_entries_reference').execute();
  await db.schema.dropIndex('stock_movements_reference').execute();
}
