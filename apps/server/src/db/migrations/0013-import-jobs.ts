import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Background registry imports: one row per job, its progress written after each committed chunk.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('registry_import_jobs'))
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    // The starter's scope: who may read the job besides its starter.
    .addColumn('scope_path', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Lines in the file less a CSV's header, counted before the import: what a progress bar measures against.
    .addColumn('estimated_rows', 'integer')
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    // The import's answer (counts, rejected rows, digest) as JSON once done.
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    // Each invalid field of a failure the client can fix (a header without the bureau's columns), as JSON.
    .addColumn('error_fields', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('registry_import_jobs_status').on('registry_import_jobs').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('registry_import_jobs').execute();
}
