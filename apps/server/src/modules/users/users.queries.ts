import { containsPattern } from '../../db/dialect.js';
import { sql } from 'kysely';
import { usernameKey, type ListUsersQuery, type Role } from '@qiao/contracts';
import type { Executor } from '../../db/database.js';
import { inSubtree } from '../../platform/scope.js';

export function findUserById(db: Executor, id: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .selectAll('u')
    .select(['j.path', 'j.level as jurisdiction_level'])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export type UserWithPath = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

export function findUserByKey(db: Executor, usernameKey: string) {
  return db.selectFrom('users').selectAll().where('username_key', '=', usernameKey).executeTakeFirst();
}

/** One page of users under `scopePath`, in id order; the cursor is the last id seen. */
export function listUsersUnder(db: Executor, scopePath: string, query: ListUsersQuery, afterId: number) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .selectAll('u')
    .where(inSubtree('j.path', scopePath))
    .where('u.id', '>', afterId);
  if (query.role) q = q.where('u.role', '=', query.role);
  if (query.status) q = q.where('u.status', '=', query.status);
  if (query.q) {
    const like = containsPattern(query.q);
    q = q.where(
      sql<boolean>`(u.username_key like ${like.toLowerCase()} escape '\\' or u.display_name like ${like} escape '\\')`,
    );
  }
  return q
    .orderBy('u.id')
    .limit(query.limit + 1)
    .execute();
}

export function countUsersByRole(db: Executor, scopePath: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select(['u.role', (eb) => eb.fn.countAll<number>().as('count')])
    .where(inSubtree('j.path', scopePath))
    .groupBy('u.role')
    .execute();
}

export interface NewAccount {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  jurisdictionId: number;
  departmentId: number | null;
  organizationId?: number | null;
}

/** Inserts an active account; the username key makes `Ａｄｍｉｎ` and `admin` collide. */
export async function insertUser(db: Executor, a: NewAccount, now: string): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({
      username: a.username,
      username_key: usernameKey(a.username),
      display_name: a.displayName,
      password_hash: a.passwordHash,
      role: a.role,
      jurisdiction_id: a.jurisdictionId,
      department_id: a.departmentId,
      organization_id: a.organizationId ?? null,
      status: 'active',
      failed_logins: 0,
      totp_enabled: 0,
      elderly_mode: 0,
      locale: 'zh-CN',
      password_changed_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
