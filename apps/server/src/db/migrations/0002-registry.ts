import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('organization_id', 'bigint').execute();

  await withId(db, db.schema.createTable('organizations'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('uscc', 'text', (c) => c.unique())
    .addColumn('filing_number', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    // The jurisdiction's path, kept with the row so scope filters and list indexes need no join.
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('founded_on', 'text')
    .addColumn('registered_on', 'text')
    .addColumn('registration_authority', 'text')
    .addColumn('supervising_unit', 'text')
    .addColumn('address', 'text')
    .addColumn('pic_name', 'text')
    .addColumn('pic_id_sealed', 'text')
    .addColumn('pic_id_masked', 'text')
    .addColumn('pic_id_index', 'text')
    .addColumn('pic_phone_sealed', 'text')
    .addColumn('pic_phone_masked', 'text')
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('members_count', 'integer')
    .addColumn('staff_count', 'integer')
    .addColumn('volunteers_count', 'integer')
    .addColumn('needs', 'text')
    .addColumn('capabilities', 'text')
    .addColumn('party_branch_kind', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('party_branch', 'text')
    .addColumn('certificate_expires_on', 'text')
    .addColumn('contact_status', 'text', (c) => c.notNull().defaultTo('reachable'))
    .addColumn('unreachable_since', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('organizations_scope_status_name')
    .on('organizations')
    .columns(['jurisdiction_path', 'status', 'name', 'id'])
    .execute();
  await db.schema
    .createIndex('organizations_scope_name')
    .on('organizations')
    .columns(['jurisdiction_path', 'name', 'id'])
    .execute();
  await db.schema.createIndex('organizations_pic_id').on('organizations').column('pic_id_index').execute();

  await withId(db, db.schema.createTable('organization_versions'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addUniqueConstraint('organization_versions_unique', ['organization_id', 'version'])
    .execute();

  await withId(db, db.schema.createTable('activities'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('participants', 'integer')
    .addColumn('beneficiaries', 'integer')
    .addColumn('description', 'text')
    .addColumn('recorded_by_id', 'bigint')
    .addColumn('recorded_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('activities_org_date')
    .on('activities')
    .columns(['organization_id', 'occurred_on'])
    .execute();

  await db.schema
    .createTable('filing_sequences')
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('filing_sequences_pk', ['jurisdiction_id', 'year'])
    .execute();

  // Chinese substring search on names: trigram indexes on both engines.
  if (isPostgres(db)) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index organizations_name_trgm on organizations using gin (name gin_trgm_ops)`.execute(db);
  } else {
    await sql`create virtual table organizations_fts using fts5(name, content='organizations', content_rowid='id', tokenize='trigram')`.execute(
      db,
    );
    await sql`create trigger organizations_fts_insert after insert on organizations begin
      insert into organizations_fts(rowid, name) values (new.id, new.name); end`.execute(db);
    await sql`create trigger organizations_fts_delete after delete on organizations begin
      insert into organizations_fts(organizations_fts, rowid, name) values ('delete', old.id, old.name); end`.execute(
      db,
    );
    await sql`create trigger organizations_fts_update after update of name on organizations begin
      insert into organizations_fts(organizations_fts, rowid, name) values ('delete', old.id, old.name);
      insert into organizations_fts(rowid, name) values (new.id, new.name); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    for (const t of ['organizations_fts_insert', 'organizations_fts_delete', 'organizations_fts_update'])
      await sql`drop trigger ${sql.raw(t)}`.execute(db);
    await sql`drop table organizations_fts`.execute(db);
  }
  for (const t of ['filing_sequences', 'activities', 'organization_versions', 'organizations'])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('users').dropColumn('organization_id').execute();
}
