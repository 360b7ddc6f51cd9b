import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Notifications (inbox and outbox), job leases, and cases with their timeline, routing and SLA.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per recipient: the in-app inbox. The subject's jurisdiction is kept so a reader who
  // moved to another jurisdiction no longer sees what belongs to the old one.
  await withId(db, db.schema.createTable('notifications'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('link', 'text')
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull())
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema
    .createIndex('notifications_user_unread')
    .on('notifications')
    .columns(['user_id', 'read_at', 'id'])
    .execute();

  // Each user's own channels for notifications beyond the inbox.
  await db.schema
    .createTable('notification_contacts')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('email_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sms_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Email and SMS waiting to go out: a row stays until it is sent or given up with its last error.
  await withId(db, db.schema.createTable('notification_outbox'))
    .addColumn('notification_id', 'bigint', (c) => c.references('notifications.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_outbox_due')
    .on('notification_outbox')
    .columns(['status', 'next_attempt_at', 'id'])
    .execute();

  // One row per scheduled job: who holds it until when, and when it is next due (shared by every process).
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_result', 'text')
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('severity', 'text', (c) => c.primaryKey())
    .addColumn('acknowledge_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolve_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('sla_policies')
    .values([
      { severity: 'critical', acknowledge_minutes: 60, resolve_minutes: 1440, updated_at: now },
      { severity: 'high', acknowledge_minutes: 240, resolve_minutes: 4320, updated_at: now },
      { severity: 'medium', acknowledge_minutes: 1440, resolve_minutes: 10080, updated_at: now },
      { severity: 'low', acknowledge_minutes: 4320, resolve_minutes: 20160, updated_at: now },
    ])
    .execute();

  // Routing: per category and jurisdiction (the most specific ancestor rule wins), a department or the center queue.
  await withId(db, db.schema.createTable('case_routing_rules'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.references('departments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_routing_rules_category_jurisdiction', ['category', 'jurisdiction_id'])
    .execute();

  await withId(db, db.schema.createTable('cases'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'bigint', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('jurisdiction_path', 'text', (c) => c.notNull())
    .addColumn('household_id', 'bigint')
    .addColumn('organization_id', 'bigint', (c) => c.references('organizations.id'))
    .addColumn('reporter_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('reporter_name', 'text', (c) => c.notNull())
    .addColumn('reporter_role', 'text', (c) => c.notNull())
    // 'center' (the subdistrict's center queue) or 'department'.
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.references('departments.id'))
    .addColumn('assignee_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('assignee_name', 'text')
    // The level now responsible: subdistrict, district or city, and that jurisdiction.
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('level_jurisdiction_id', 'bigint', (c) => c.notNull())
    .addColumn('acknowledge_due_at', 'text', (c) => c.notNull())
    .addColumn('resolve_due_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cases_scope_status')
    .on('cases')
    .columns(['jurisdiction_path', 'status', 'id'])
    .execute();
  await db.schema.createIndex('cases_status_ack_due').on('cases').columns(['status', 'acknowledge_due_at']).execute();
  await db.schema.createIndex('cases_status_resolve_due').on('cases').columns(['status', 'resolve_due_at']).execute();
  await db.schema.createIndex('cases_department').on('cases').columns(['department_id', 'id']).execute();
  await db.schema.createIndex('cases_reporter').on('cases').columns(['reporter_id', 'id']).execute();
  await db.schema.createIndex('cases_organization').on('cases').columns(['organization_id', 'created_at']).execute();

  await withId(db, db.schema.createTable('case_referrals'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('to_department_id', 'bigint', (c) => c.notNull().references('departments.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_note', 'text')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('decided_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('case_referrals_case').on('case_referrals').columns(['case_id', 'id']).execute();
  await db.schema
    .createIndex('case_referrals_department')
    .on('case_referrals')
    .columns(['to_department_id', 'status'])
    .execute();

  // The timeline: every step of a case, append-only.
  await withId(db, db.schema.createTable('case_events'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_name', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'case_events',
    'case_referrals',
    'cases',
    'case_routing_rules',
    'sla_policies',
    'job_leases',
    'notification_outbox',
    'notification_contacts',
    'notifications',
  ])
    await db.schema.dropTable(table).execute();
}
