import type { Kysely } from 'kysely';

// Re-verification reminders: the verification period (its valid_until) a household was last reminded
// of, so the daily job tells its center once per period however often it runs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('households').addColumn('reverify_reminded_for', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('households').dropColumn('reverify_reminded_for').execute();
}
