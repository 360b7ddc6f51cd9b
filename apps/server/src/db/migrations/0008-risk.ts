import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// Early warning, supervision side: rule settings, scan work rows, open and cleared signals, each
// organization's level and its history, the abnormal-activity list, and the leadership-change index.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  // Rules live in code; a row here only overrides a rule's weight, switch or parameters.
  await db.schema
    .createTable('risk_rule_settings')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_name', 'text')
    .execute();

  await db.schema
    .createTable('risk_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('yellow', 'integer', (c) => c.notNull())
    .addColumn('orange', 'integer', (c) => c.notNull())
    .addColumn('red', 'integer', (c) => c.notNull())
    .addColumn('scan_hour', 'integer', (c) => c.notNull())
    .addColumn('last_scan_at', 'text')
    .addColumn('last_scan_on', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('risk_settings')
    .values({ id: 1, yellow: 1, orange: 40, red: 80, scan_hour: 2, updated_at: new Date().toISOString() })
    .execute();

  // What each rule found in one scan; emptied when the scan ends. Unlogged on PostgreSQL: scratch data.
  await sql`create ${sql.raw(pg ? 'unlogged ' : '')}table risk_scan_hits (
      scan_id text not null,
      rule_id text not null,
      weight integer not null,
      organization_id bigint not null,
      since text,
      ev_date text,
      ev_count integer,
      ev_text text
    )`.execute(db);
  await db.schema
    .createIndex('risk_scan_hits_key')
    .on('risk_scan_hits')
    .columns(['scan_id', 'organization_id', 'rule_id'])
    .execute();

  await withId(db, db.schema.createTable('risk_signals'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('ev_date', 'text')
    .addColumn('ev_count', 'integer')
    .addColumn('ev_text', 'text')
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('cleared_on', 'text')
    .execute();
  // At most one open signal per organization and rule; the scan's joins walk this index.
  await sql`create unique index risk_signals_open on risk_signals (organization_id, rule_id) where cleared_on is null`.execute(
    db,
  );
  await db.schema.createIndex('risk_signals_raised').on('risk_signals').columns(['raised_at']).execute();

  await db.schema
    .createTable('organization_risk')
    .addColumn('organization_id', 'bigint', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('level_since', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('organization_risk_scope_level')
    .on('organization_risk')
    .columns(['jurisdiction_path', 'level', 'score', 'organization_id'])
    .execute();

  await withId(db, db.schema.createTable('risk_level_history'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('risk_level_history_org')
    .on('risk_level_history')
    .columns(['organization_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('abnormal_listings'))
    .addColumn('organization_id', 'bigint', (c) => c.notNull().references('organizations.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('listed_on', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('removed_on', 'text')
    .addColumn('removal_kind', 'text')
    .addColumn('removal_evidence', 'text')
    .addColumn('removed_by_name', 'text')
    .execute();
  await sql`create unique index abnormal_listings_current on abnormal_listings (organization_id, reason) where removed_on is null`.execute(
    db,
  );
  await db.schema
    .createIndex('abnormal_listings_scope')
    .on('abnormal_listings')
    .columns(['jurisdiction_path', 'id'])
    .execute();

  // One row per change of the person in charge's name, kept by a trigger on the change history, so the
  // leadership-churn rule counts index entries instead of parsing every version's JSON on every scan.
  await db.schema
    .createTable('organization_leader_changes')
    .addColumn('organization_id', 'bigint', (c) => c.notNull())
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('organization_leader_changes_on')
    .on('organization_leader_changes')
    .columns(['changed_on', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('organization_leader_changes_org')
    .on('organization_leader_changes')
    .columns(['organization_id', 'changed_on'])
    .execute();

  if (pg) {
    await sql`create function organization_leader_change() returns trigger language plpgsql as $$
      begin
        if new.action <> 'organization.create' and exists (
          select 1 from jsonb_array_elements(new.changes::jsonb) c
          where c->>'field' = 'personInCharge'
            and c->'before'->>'name' is not null
            and c->'before'->>'name' is distinct from c->'after'->>'name') then
          insert into organization_leader_changes (organization_id, changed_on)
            values (new.organization_id, substr(new.changed_at, 1, 10));
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger organization_versions_leader after insert on organization_versions
      for each row execute function organization_leader_change()`.execute(db);
  } else {
    await sql`create trigger organization_versions_leader after insert on organization_versions
      when new.action <> 'organization.create' and exists (
        select 1 from json_each(new.changes) c
        where json_extract(c.value, '$.field') = 'personInCharge'
          and json_extract(c.value, '$.before.name') is not null
          and json_extract(c.value, '$.before.name') is not json_extract(c.value, '$.after.name'))
      begin
        insert into organization_leader_changes (organization_id, changed_on)
          values (new.organization_id, substr(new.changed_at, 1, 10));
      end`.execute(db);
  }
  // Changes recorded before this migration.
  if (pg) {
    await sql`insert into organization_leader_changes (organization_id, changed_on)
      select v.organization_id, substr(v.changed_at, 1, 10) from organization_versions v
      where v.action <> 'organization.create' and exists (
        select 1 from jsonb_array_elements(v.changes::jsonb) c
        where c->>'field' = 'personInCharge' and c->'before'->>'name' is not null
          and c->'before'->>'name' is distinct from c->'after'->>'name')`.execute(db);
  } else {
    await sql`insert into organization_leader_changes (organization_id, changed_on)
      select v.organization_id, substr(v.changed_at, 1, 10) from organization_versions v
      where v.action <> 'organization.create' and exists (
        select 1 from json_each(v.changes) c
        where json_extract(c.value, '$.field') = 'personInCharge'
          and json_extract(c.value, '$.before.name') is not null
          and json_extract(c.value, '$.before.name') is not json_extract(c.value, '$.after.name'))`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger organization_versions_leader${sql.raw(isPostgres(db) ? ' on organization_versions' : '')}`.execute(
    db,
  );
  if (isPostgres(db)) await sql`drop function organization_leader_change()`.execute(db);
  for (const t of [
    'organization_leader_changes',
    'abnormal_listings',
    'risk_level_history',
    'organization_risk',
    'risk_signals',
    'risk_scan_hits',
    'risk_settings',
    'risk_rule_settings',
  ])
    await db.schema.dropTable(t).execute();
}
