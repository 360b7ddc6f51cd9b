import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // 1 while the account may only follow and amend its own application (until it is approved).
  await db.schema
    .alterTable('users')
    .addColumn('application_only', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, db.schema.createTable('applications'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().unique().references('organizations.id'))
    .addColumn('applicant_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    // Copied from the organization so scope filters and the queue index need no join.
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('reviewer_id', 'bigint')
    .addColumn('reviewer_name', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('applications_scope_status_created')
    .on('applications')
    .columns(['jurisdiction_path', 'status', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('applications_applicant').on('applications').column('applicant_id').execute();

  await withId(db, db.schema.createTable('documents'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    // The random name of the file under QIAO_DATA_DIR/documents; never the client's file name.
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'bigint')
    .addColumn('uploaded_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_org').on('documents').columns(['organization_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('documents').execute();
  await db.schema.dropTable('applications').execute();
  await db.schema.alterTable('users').dropColumn('application_only').execute();
}
