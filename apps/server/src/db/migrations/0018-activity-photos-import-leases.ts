import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Activity photos (issue 3 item 6) and per-job leases of background registry imports (ADR 0018).

export async function up(db: Kysely<any>): Promise<void> {
  // A photo is a file under QIAO_DATA_DIR/activity-photos/<storage_key>; the row says what it is.
  await withId(db, db.schema.createTable('activity_photos'))
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('activities.id'))
    // The activity's organization, kept here so scope checks and lists need no join.
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // From the PNG header when it is one; JPEG dimensions are not parsed (nullable).
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('uploaded_by_id', 'bigint')
    .addColumn('uploaded_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activity_photos_activity').on('activity_photos').column('activity_id').execute();
  await db.schema.createIndex('activity_photos_organization').on('activity_photos').column('organization_id').execute();

  // A running job is held by one process, which renews heartbeat_at; a stale heartbeat means the
  // process died, so another may fail the job without touching a live one.
  await db.schema.alterTable('registry_import_jobs').addColumn('holder', 'text').execute();
  await db.schema.alterTable('registry_import_jobs').addColumn('heartbeat_at', 'text').execute();
  // The spooled upload (a name under QIAO_DATA_DIR/imports) while the job runs; cleared once removed.
  await db.schema.alterTable('registry_import_jobs').addColumn('upload_file', 'text').execute();
  await db.schema
    .createIndex('registry_import_jobs_started')
    .on('registry_import_jobs')
    .columns(['started_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('registry_import_jobs_started').execute();
  await db.schema.alterTable('registry_import_jobs').dropColumn('upload_file').execute();
  await db.schema.alterTable('registry_import_jobs').dropColumn('heartbeat_at').execute();
  await db.schema.alterTable('registry_import_jobs').dropColumn('holder').execute();
  await db.schema.dropTable('activity_photos').execute();
}
