import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// Longest name the SQLite triggers split into bigrams; names are at most 100 characters today.
const MAX_NAME_LENGTH = 1000;

/**
 * Name search at 10^6 organizations: a posting table of every two-character substring of every
 * name (a trigram index cannot answer 2-character queries such as 助老) with the organization's
 * path, so a district's or a subdistrict's postings are one index range; kept in step by triggers
 * so every writer (services, the bench generator, an importer) maintains it; indexes that walk
 * names in order when the scope is a district or the city (a path range); all existing rows
 * backfilled.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('organization_name_bigrams')
    .addColumn('bigram', 'text', (c) => c.notNull())
    // The organization's path, so that a scope picks its own postings without visiting the rows.
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_name_bigrams_pk', ['bigram', 'jurisdiction_path', 'organization_id'])
    .$call((t) => (pg ? t : t.modifyEnd(sql`without rowid`)))
    .execute();

  // A path range cannot give name order from (jurisdiction_path, status, name): these can, with the
  // path at the end so the scope test needs no row lookup.
  await db.schema
    .createIndex('organizations_status_name')
    .on('organizations')
    .columns(['status', 'name', 'id', 'jurisdiction_path'])
    .execute();
  await db.schema
    .createIndex('organizations_name')
    .on('organizations')
    .columns(['name', 'id', 'jurisdiction_path'])
    .execute();

  if (pg) {
    await sql`create function organizations_name_bigrams() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          delete from organization_name_bigrams
            where organization_id = old.id and jurisdiction_path = old.jurisdiction_path and bigram in
            (select substr(lower(old.name), n, 2) from generate_series(1, char_length(old.name) - 1) as n);
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
            select distinct substr(lower(new.name), n, 2), new.jurisdiction_path, new.id
            from generate_series(1, char_length(new.name) - 1) as n
            on conflict do nothing;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger organizations_name_bigrams after insert or delete or update of name, jurisdiction_path on organizations
      for each row execute function organizations_name_bigrams()`.execute(db);
    await sql`insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select distinct substr(lower(o.name), n, 2), o.jurisdiction_path, o.id
      from organizations as o, generate_series(1, char_length(o.name) - 1) as n`.execute(db);
    return;
  }

  // SQLite triggers cannot hold a recursive CTE: a table of positions splits the name instead.
  await sql`create table name_bigram_positions (n integer primary key)`.execute(db);
  await sql`insert into name_bigram_positions (n)
    select value from json_each(${JSON.stringify(Array.from({ length: MAX_NAME_LENGTH }, (_, i) => i + 1))})`.execute(
    db,
  );
  const bigramsOf = (row: 'new' | 'old') =>
    sql.raw(`select substr(lower(${row}.name), n, 2) from name_bigram_positions where n < length(${row}.name)`);
  const insertNew = sql`insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
    select substr(lower(new.name), n, 2), new.jurisdiction_path, new.id from name_bigram_positions where n < length(new.name);`;
  const deleteOld = sql`delete from organization_name_bigrams
    where organization_id = old.id and jurisdiction_path = old.jurisdiction_path and bigram in (${bigramsOf('old')});`;
  await sql`create trigger organizations_bigrams_insert after insert on organizations begin ${insertNew} end`.execute(
    db,
  );
  await sql`create trigger organizations_bigrams_delete after delete on organizations begin ${deleteOld} end`.execute(
    db,
  );
  await sql`create trigger organizations_bigrams_update after update of name, jurisdiction_path on organizations begin
    ${deleteOld} ${insertNew} end`.execute(db);
  await sql`insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
    select substr(lower(o.name), p.n, 2), o.jurisdiction_path, o.id from organizations as o join name_bigram_positions as p on p.n < length(o.name)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger organizations_name_bigrams on organizations`.execute(db);
    await sql`drop function organizations_name_bigrams()`.execute(db);
  } else {
    for (const t of ['organizations_bigrams_insert', 'organizations_bigrams_delete', 'organizations_bigrams_update'])
      await sql`drop trigger ${sql.raw(t)}`.execute(db);
    await db.schema.dropTable('name_bigram_positions').execute();
  }
  await db.schema.dropIndex('organizations_name').execute();
  await db.schema.dropIndex('organizations_status_name').execute();
  await db.schema.dropTable('organization_name_bigrams').execute();
}
