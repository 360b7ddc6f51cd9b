import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// A volunteer record may be linked to one user account (the volunteer logs their own hours), and an
// aid application may carry evidence files (ADR 0017).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('volunteers')
    .addColumn('user_id', 'bigint', (c) => c.references('users.id'))
    .execute();
  // One account, one volunteer record; many records have none (nulls are distinct on both engines).
  await db.schema.createIndex('volunteers_user').on('volunteers').column('user_id').unique().execute();
  // Who logged the hours, so that nobody approves hours they logged for themselves.
  await db.schema.alterTable('volunteer_hours').addColumn('logged_by_id', 'bigint').execute();

  await withId(db, db.schema.createTable('aid_evidence'))
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('aid_applications.id'))
    // The random name of the file under QIAO_DATA_DIR/aid-evidence; never the client's file name.
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'bigint')
    .addColumn('uploaded_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('aid_evidence_application')
    .on('aid_evidence')
    .columns(['application_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('aid_evidence').execute();
  await db.schema.dropIndex('volunteers_user').execute();
  await db.schema.alterTable('volunteer_hours').dropColumn('logged_by_id').execute();
  await db.schema.alterTable('volunteers').dropColumn('user_id').execute();
}
