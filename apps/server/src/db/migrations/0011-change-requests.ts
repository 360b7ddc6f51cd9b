import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// An NGO officer's changes to its organization's key fields wait here for the subdistrict's staff.
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('organization_change_requests'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    // Equal to organization_id while pending, null once decided: the unique index allows one pending request.
    .addColumn('pending_organization_id', 'bigint', (c) => c.unique())
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull())
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The requested values as sent (JSON), sealed with AES-GCM: they may hold an ID number and a phone.
    .addColumn('body_sealed', 'text', (c) => c.notNull())
    // The same values with personal data masked, for lists and the organization page.
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('organization_change_requests_queue')
    .on('organization_change_requests')
    .columns(['status', 'jurisdiction_path', 'id'])
    .execute();
  await db.schema
    .createIndex('organization_change_requests_org')
    .on('organization_change_requests')
    .columns(['organization_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organization_change_requests').execute();
}
