import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Bulk imports write the name postings (migration 0003) set-based instead of row by row (ADR 0014).
 *
 * - `organization_name_deferral`: while a transaction holds a row here, the bigram triggers do not
 *   write the postings of inserted or renamed organizations but list them in
 *   `organization_name_pending`. The importer inserts the row at the start of its chunk's
 *   transaction and deletes it before the commit, so no other transaction ever sees it.
 * - `organization_name_pending`: organizations whose postings are not written yet. Search reads it
 *   (a substring test on those few names), so a name is findable as soon as its row commits; the
 *   importer moves the pending postings into the table in one sorted statement per batch.
 *
 * Removing old postings (rename, move, delete) stays row by row: a stale posting would be a wrong answer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.createTable('organization_name_deferral').addColumn('deferred', 'integer').execute();
  await db.schema
    .createTable('organization_name_pending')
    .addColumn('organization_id', 'bigint', (c) => c.primaryKey())
    .execute();

  if (pg) {
    await sql`create or replace function organizations_name_bigrams() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          delete from organization_name_bigrams
            where organization_id = old.id and jurisdiction_path = old.jurisdiction_path and bigram in
            (select substr(lower(old.name), n, 2) from generate_series(1, char_length(old.name) - 1) as n);
        end if;
        if tg_op = 'DELETE' then
          delete from organization_name_pending where organization_id = old.id;
        elsif exists (select 1 from organization_name_deferral) then
          insert into organization_name_pending (organization_id) values (new.id) on conflict do nothing;
        else
          insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
            select distinct substr(lower(new.name), n, 2), new.jurisdiction_path, new.id
            from generate_series(1, char_length(new.name) - 1) as n
            on conflict do nothing;
        end if;
        return null;
      end $$`.execute(db);
    return;
  }

  for (const t of ['organizations_bigrams_insert', 'organizations_bigrams_delete', 'organizations_bigrams_update'])
    await sql`drop trigger ${sql.raw(t)}`.execute(db);
  const insertNew = sql`insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
    select substr(lower(new.name), n, 2), new.jurisdiction_path, new.id from name_bigram_positions
    where n < length(new.name) and not exists (select 1 from organization_name_deferral);
    insert or ignore into organization_name_pending (organization_id)
    select new.id where exists (select 1 from organization_name_deferral);`;
  const deleteOld = sql`delete from organization_name_bigrams
    where organization_id = old.id and jurisdiction_path = old.jurisdiction_path and bigram in
    (select substr(lower(old.name), n, 2) from name_bigram_positions where n < length(old.name));`;
  await sql`create trigger organizations_bigrams_insert after insert on organizations begin ${insertNew} end`.execute(
    db,
  );
  await sql`create trigger organizations_bigrams_delete after delete on organizations begin ${deleteOld}
    delete from organization_name_pending where organization_id = old.id; end`.execute(db);
  await sql`create trigger organizations_bigrams_update after update of name, jurisdiction_path on organizations begin
    ${deleteOld} ${insertNew} end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Pending postings are written first, so the table is whole again without the deferral.
  await sql`insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
    select distinct substr(lower(o.name), p.n, 2), o.jurisdiction_path, o.id
    from organization_name_pending as q join organizations as o on o.id = q.organization_id
    join ${sql.raw(isPostgres(db) ? '(select generate_series(1, 1000) as n)' : 'name_bigram_positions')} as p on p.n < ${sql.raw(isPostgres(db) ? 'char_length' : 'length')}(o.name)
    where true on conflict do nothing`.execute(db);
  if (isPostgres(db)) {
    await sql`create or replace function organizations_name_bigrams() returns trigger language plpgsql as $$
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
  } else {
    for (const t of ['organizations_bigrams_insert', 'organizations_bigrams_delete', 'organizations_bigrams_update'])
      await sql`drop trigger ${sql.raw(t)}`.execute(db);
    const insertNew = sql`insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select substr(lower(new.name), n, 2), new.jurisdiction_path, new.id from name_bigram_positions where n < length(new.name);`;
    const deleteOld = sql`delete from organization_name_bigrams
      where organization_id = old.id and jurisdiction_path = old.jurisdiction_path and bigram in
      (select substr(lower(old.name), n, 2) from name_bigram_positions where n < length(old.name));`;
    await sql`create trigger organizations_bigrams_insert after insert on organizations begin ${insertNew} end`.execute(
      db,
    );
    await sql`create trigger organizations_bigrams_delete after delete on organizations begin ${deleteOld} end`.execute(
      db,
    );
    await sql`create trigger organizations_bigrams_update after update of name, jurisdiction_path on organizations begin
      ${deleteOld} ${insertNew} end`.execute(db);
  }
  await db.schema.dropTable('organization_name_pending').execute();
  await db.schema.dropTable('organization_name_deferral').execute();
}
