import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Households in hardship, their verification and consent, duplicate tasks for districts, aid grants
// and volunteers' hours. Personal data is sealed (AES-GCM) with a masked copy and a keyed index.
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('households'))
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('head_name', 'text', (c) => c.notNull())
    .addColumn('id_sealed', 'text', (c) => c.notNull())
    .addColumn('id_masked', 'text', (c) => c.notNull())
    // One household per resident ID number in the whole city: the keyed index is unique.
    .addColumn('id_index', 'text', (c) => c.notNull().unique())
    .addColumn('phone_sealed', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('phone_index', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('card_number', 'text', (c) => c.unique())
    .addColumn('verified_at', 'text')
    .addColumn('verified_by_id', 'bigint')
    .addColumn('verified_by_name', 'text')
    .addColumn('verification_note', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('consent_data_use', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_sharing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_on', 'text')
    .addColumn('consent_scope', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('households_scope').on('households').columns(['jurisdiction_path', 'id']).execute();
  await db.schema
    .createIndex('households_scope_name')
    .on('households')
    .columns(['jurisdiction_path', 'head_name'])
    .execute();
  await db.schema.createIndex('households_valid_until').on('households').columns(['valid_until', 'id']).execute();
  await db.schema.createIndex('households_phone').on('households').column('phone_index').execute();

  await withId(db, db.schema.createTable('household_members'))
    .addColumn('household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer')
    // Disability and serious illness: sealed JSON, shown only through an audited reveal.
    .addColumn('sensitive_sealed', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_members_household')
    .on('household_members')
    .columns(['household_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('household_verifications'))
    .addColumn('household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .addColumn('verifier_id', 'bigint')
    .addColumn('verifier_name', 'text')
    .addColumn('note', 'text')
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_verifications_household')
    .on('household_verifications')
    .columns(['household_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('household_duplicate_tasks'))
    // The jurisdiction the refused household was entered for: its district resolves the task.
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('existing_household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('head_name', 'text', (c) => c.notNull())
    .addColumn('id_masked', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('attempted_by_id', 'bigint')
    .addColumn('attempted_by_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolved_by_name', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_duplicate_tasks_scope')
    .on('household_duplicate_tasks')
    .columns(['jurisdiction_path', 'status', 'id'])
    .execute();

  // One row (id 1): the city's settings for households, aid and the time bank.
  await db.schema
    .createTable('household_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('verification_valid_days', 'integer', (c) => c.notNull())
    .addColumn('reverify_notice_days', 'integer', (c) => c.notNull())
    .addColumn('aid_second_approval_fen', 'bigint', (c) => c.notNull())
    .addColumn('aid_yearly_cap_fen', 'bigint', (c) => c.notNull())
    .addColumn('volunteer_points_per_hour', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('household_settings')
    .values({
      id: 1,
      verification_valid_days: 365,
      reverify_notice_days: 30,
      aid_second_approval_fen: 500_000,
      aid_yearly_cap_fen: 2_000_000,
      volunteer_points_per_hour: 10,
      updated_at: new Date().toISOString(),
    })
    .execute();

  await withId(db, db.schema.createTable('aid_applications'))
    .addColumn('household_id', 'bigint', (c) => c.notNull().references('households.id'))
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    // The Asia/Shanghai calendar year the application counts against the household's cap.
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('needs_second_approval', 'integer', (c) => c.notNull())
    .addColumn('applied_by_id', 'bigint')
    .addColumn('applied_by_name', 'text')
    .addColumn('first_approver_id', 'bigint')
    .addColumn('first_approver_name', 'text')
    .addColumn('first_approved_at', 'text')
    .addColumn('second_approver_id', 'bigint')
    .addColumn('second_approver_name', 'text')
    .addColumn('second_approved_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('disbursed_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('aid_applications_scope')
    .on('aid_applications')
    .columns(['jurisdiction_path', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('aid_applications_household_year')
    .on('aid_applications')
    .columns(['household_id', 'year'])
    .execute();

  await withId(db, db.schema.createTable('aid_disbursements'))
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('aid_applications.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('recorded_by_id', 'bigint')
    .addColumn('recorded_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('aid_disbursements_application')
    .on('aid_disbursements')
    .columns(['application_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('volunteers'))
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone_sealed', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('household_id', 'bigint', (c) => c.references('households.id'))
    .addColumn('skills', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('volunteers_scope').on('volunteers').columns(['jurisdiction_path', 'id']).execute();

  await withId(db, db.schema.createTable('volunteer_shifts'))
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('volunteer_shifts_scope')
    .on('volunteer_shifts')
    .columns(['jurisdiction_path', 'starts_at', 'id'])
    .execute();

  await withId(db, db.schema.createTable('volunteer_hours'))
    .addColumn('volunteer_id', 'bigint', (c) => c.notNull().references('volunteers.id'))
    .addColumn('shift_id', 'bigint', (c) => c.references('volunteer_shifts.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('worked_on', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('logged_by_name', 'text')
    .addColumn('decided_by_id', 'bigint')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    // Points the approved hours are worth at the rate in force when approved.
    .addColumn('points', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('volunteer_hours_volunteer')
    .on('volunteer_hours')
    .columns(['volunteer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('volunteer_hours_scope_status')
    .on('volunteer_hours')
    .columns(['jurisdiction_path', 'status', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'volunteer_hours',
    'volunteer_shifts',
    'volunteers',
    'aid_disbursements',
    'aid_applications',
    'household_settings',
    'household_duplicate_tasks',
    'household_verifications',
    'household_members',
    'households',
  ])
    await db.schema.dropTable(table).execute();
}
