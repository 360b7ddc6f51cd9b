import {
  roleLevels,
  usernameKey,
  type CreateUserBody,
  type FieldError,
  type ListUsersQuery,
  type Role,
  type UpdateUserBody,
  type User,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { UserRow } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.js';
import { revokeUserSessions } from '../../platform/auth/sessions.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, hasPermission, inScope, type RequestContext } from '../../platform/scope.js';
import * as q from './users.queries.js';

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    jurisdictionId: row.jurisdiction_id,
    departmentId: row.department_id,
    organizationId: row.organization_id,
    status: row.status,
    totpEnabled: row.totp_enabled === 1,
    lockedUntil: row.locked_until && Date.parse(row.locked_until) > Date.now() ? row.locked_until : null,
    elderlyMode: row.elderly_mode === 1,
    locale: row.locale,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

const auditedFields = [
  'username',
  'displayName',
  'role',
  'jurisdictionId',
  'departmentId',
  'organizationId',
  'status',
] as const;
function auditView(u: {
  username: string;
  display_name: string;
  role: string;
  jurisdiction_id: number;
  department_id: number | null;
  organization_id: number | null;
  status: string;
}) {
  return {
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    jurisdictionId: u.jurisdiction_id,
    departmentId: u.department_id,
    organizationId: u.organization_id,
    status: u.status,
  };
}

/**
 * Checks that a role may sit at a jurisdiction and, for department officers, in a department of
 * that jurisdiction. Answers every field that does not fit.
 */
async function checkPlacement(
  db: Executor,
  ctx: RequestContext,
  placement: { role: Role; jurisdictionId: number; departmentId: number | null; organizationId: number | null },
): Promise<{ path: string }> {
  const errors: FieldError[] = [];
  const j = await db
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'level'])
    .where('id', '=', placement.jurisdictionId)
    .executeTakeFirst();
  if (!j || !inScope(ctx.actor, j.path)) {
    throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
  }
  if (!roleLevels[placement.role].includes(j.level)) {
    errors.push({
      field: 'jurisdictionId',
      code: 'level_mismatch',
      message: `a ${placement.role} works at ${roleLevels[placement.role].join(' or ')} level`,
    });
  }
  if (placement.role === 'department_officer') {
    const d = placement.departmentId
      ? await db
          .selectFrom('departments')
          .select(['jurisdiction_id'])
          .where('id', '=', placement.departmentId)
          .executeTakeFirst()
      : undefined;
    if (!placement.departmentId)
      errors.push({ field: 'departmentId', code: 'required', message: 'a department officer belongs to a department' });
    else if (!d || d.jurisdiction_id !== j.id)
      errors.push({ field: 'departmentId', code: 'not_found', message: 'no such department in that jurisdiction' });
  } else if (placement.departmentId) {
    errors.push({
      field: 'departmentId',
      code: 'not_allowed',
      message: 'only department officers belong to a department',
    });
  }
  if (placement.organizationId) {
    const o = await db
      .selectFrom('organizations')
      .select('jurisdiction_id')
      .where('id', '=', placement.organizationId)
      .executeTakeFirst();
    if (placement.role !== 'ngo_officer') {
      errors.push({
        field: 'organizationId',
        code: 'not_allowed',
        message: 'only organization officers act for an organization',
      });
    } else if (!o || o.jurisdiction_id !== j.id) {
      errors.push({ field: 'organizationId', code: 'not_found', message: 'no such organization in that jurisdiction' });
    }
  }
  if (errors.length) throw invalidFields(errors);
  return { path: j.path };
}

/** Which roles the actor may hand out: all with user:manage, volunteers only with user:create_volunteer. */
function mayAssign(ctx: RequestContext, role: Role): boolean {
  if (hasPermission(ctx.actor, 'user:manage')) return true;
  return role === 'volunteer' && hasPermission(ctx.actor, 'user:create_volunteer');
}

/** Staff accounts: who works in Qiao, in which role and jurisdiction. */
export function createUserService({ db }: Deps) {
  const kysely = db.kysely;

  async function getScopedUser(ctx: RequestContext, id: number) {
    const row = await q.findUserById(kysely, id);
    if (!row || !inScope(ctx.actor, row.path)) throw notFound('user');
    return row;
  }

  /** A status change (disable / enable) with its audit entry; disabling ends the user's sessions. */
  async function setStatus(ctx: RequestContext, id: number, status: 'active' | 'disabled'): Promise<User> {
    const row = await getScopedUser(ctx, id);
    if (status === 'disabled' && row.id === ctx.actor.userId)
      throw new DomainError('conflict', 'You cannot disable your own account.');
    await kysely.transaction().execute(async (trx) => {
      const changes = {
        status,
        updated_at: nowIso(),
        ...(status === 'active' ? { failed_logins: 0, locked_until: null } : {}),
      };
      await trx.updateTable('users').set(changes).where('id', '=', id).execute();
      if (status === 'disabled') await revokeUserSessions(trx, id);
      await recordAudit(trx, auditContext(ctx), {
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        entityType: 'user',
        entityId: id,
        jurisdiction: { id: row.jurisdiction_id, path: row.path },
        changes: diffChanges({ status: row.status }, { status }, ['status']),
      });
    });
    return presentUser((await q.findUserById(kysely, id))!);
  }

  return {
    async getUser(ctx: RequestContext, id: number): Promise<User> {
      return presentUser(await getScopedUser(ctx, id));
    },

    async listUsers(ctx: RequestContext, query: ListUsersQuery): Promise<{ items: User[]; nextCursor: string | null }> {
      let scope = ctx.actor.scopePath;
      if (query.jurisdictionId) {
        const j = await kysely
          .selectFrom('jurisdictions')
          .select('path')
          .where('id', '=', query.jurisdictionId)
          .executeTakeFirst();
        if (!j || !inScope(ctx.actor, j.path)) return { items: [], nextCursor: null };
        scope = j.path;
      }
      const afterId = query.cursor ? Number(query.cursor) : 0;
      const rows = await q.listUsersUnder(kysely, scope, query, afterId);
      const page = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      return { items: page.map(presentUser), nextCursor: more ? String(page[page.length - 1]!.id) : null };
    },

    /**
     * For the application service: the account of someone applying for their organization, in the
     * caller's transaction. It is an ngo_officer that may only follow and amend its application until
     * the application is approved (`application_only`). The caller checks the password policy.
     */
    /** Whether an account already answers to this username (NFKC, case-folded). */
    async usernameTaken(executor: Executor, username: string): Promise<boolean> {
      return (await q.findUserByKey(executor, usernameKey(username))) !== undefined;
    },

    async insertApplicant(
      trx: Executor,
      account: { username: string; displayName: string; passwordHash: string; jurisdictionId: number },
    ): Promise<number> {
      const id = await q.insertUser(
        trx,
        { ...account, role: 'ngo_officer', departmentId: null, organizationId: null },
        nowIso(),
      );
      await trx.updateTable('users').set({ application_only: 1 }).where('id', '=', id).execute();
      return id;
    },

    /** Binds a new applicant's account to its organization and audits the account, in the caller's transaction. */
    async bindApplicant(
      trx: Executor,
      ctx: RequestContext,
      userId: number,
      organization: { id: number; jurisdiction_id: number; jurisdiction_path: string },
    ): Promise<void> {
      await trx.updateTable('users').set({ organization_id: organization.id }).where('id', '=', userId).execute();
      const row = (await q.findUserById(trx, userId))!;
      await recordAudit(trx as never, auditContext(ctx), {
        action: 'user.create',
        entityType: 'user',
        entityId: userId,
        jurisdiction: { id: organization.jurisdiction_id, path: organization.jurisdiction_path },
        changes: diffChanges(null, auditView(row), auditedFields),
        details: { applicationOnly: true },
      });
    },

    /** On approval: the applicant's account becomes a full ngo_officer of its organization. */
    async grantOrganizationAccess(
      trx: Executor,
      ctx: RequestContext,
      userId: number,
      jurisdiction: { id: number; path: string },
    ): Promise<void> {
      await trx
        .updateTable('users')
        .set({ application_only: 0, updated_at: nowIso() })
        .where('id', '=', userId)
        .execute();
      await recordAudit(trx as never, auditContext(ctx), {
        action: 'user.update',
        entityType: 'user',
        entityId: userId,
        jurisdiction,
        changes: [{ field: 'applicationOnly', before: true, after: false }],
      });
    },

    async createUser(ctx: RequestContext, body: CreateUserBody): Promise<User> {
      if (!mayAssign(ctx, body.role)) throw forbidden(`You may not create ${body.role} accounts.`);
      const placement = {
        role: body.role,
        jurisdictionId: body.jurisdictionId,
        departmentId: body.departmentId ?? null,
        organizationId: body.organizationId ?? null,
      };
      const { path } = await checkPlacement(kysely, ctx, placement);
      const policy = checkPasswordPolicy(body.password, body.username);
      if (policy.length) throw invalidFields(policy);
      if (await q.findUserByKey(kysely, usernameKey(body.username))) throw duplicateUsername();
      const passwordHash = await hashPassword(body.password);
      const id = await kysely
        .transaction()
        .execute(async (trx) => {
          const id = await q.insertUser(trx, { ...body, ...placement, passwordHash }, nowIso());
          await recordAudit(trx, auditContext(ctx), {
            action: 'user.create',
            entityType: 'user',
            entityId: id,
            jurisdiction: { id: body.jurisdictionId, path },
            changes: diffChanges(null, { ...body, ...placement, status: 'active' }, auditedFields),
          });
          return id;
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateUsername() : e;
        });
      return presentUser((await q.findUserById(kysely, id))!);
    },

    async updateUser(ctx: RequestContext, id: number, body: UpdateUserBody): Promise<User> {
      const row = await getScopedUser(ctx, id);
      const role = body.role ?? (row.role as Role);
      if (!mayAssign(ctx, role) || (!hasPermission(ctx.actor, 'user:manage') && row.role !== 'volunteer')) {
        throw forbidden('You may not change this account.');
      }
      if (row.id === ctx.actor.userId && body.role && body.role !== row.role) {
        throw new DomainError('conflict', 'You cannot change your own role.');
      }
      const placement = {
        role,
        jurisdictionId: body.jurisdictionId ?? row.jurisdiction_id,
        departmentId:
          body.departmentId === undefined
            ? role === 'department_officer'
              ? row.department_id
              : null
            : body.departmentId,
        organizationId:
          body.organizationId === undefined
            ? role === 'ngo_officer'
              ? row.organization_id
              : null
            : body.organizationId,
      };
      const { path } = await checkPlacement(kysely, ctx, placement);
      const after = {
        ...row,
        display_name: body.displayName ?? row.display_name,
        role,
        jurisdiction_id: placement.jurisdictionId,
        department_id: placement.departmentId,
        organization_id: placement.organizationId,
      };
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            display_name: after.display_name,
            role: after.role,
            jurisdiction_id: after.jurisdiction_id,
            department_id: after.department_id,
            organization_id: after.organization_id,
            updated_at: nowIso(),
          })
          .where('id', '=', id)
          .execute();
        // A new role or place changes what the sessions may see: make the user sign in again.
        const moved =
          after.role !== row.role ||
          after.jurisdiction_id !== row.jurisdiction_id ||
          after.organization_id !== row.organization_id;
        if (moved) await revokeUserSessions(trx, id);
        await recordAudit(trx, auditContext(ctx), {
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          jurisdiction: { id: after.jurisdiction_id, path },
          changes: diffChanges(auditView(row), auditView(after), auditedFields),
        });
      });
      return presentUser((await q.findUserById(kysely, id))!);
    },

    disableUser: (ctx: RequestContext, id: number) => setStatus(ctx, id, 'disabled'),
    enableUser: (ctx: RequestContext, id: number) => setStatus(ctx, id, 'active'),

    /** An administrator sets a new password; the user's sessions end and the lock is lifted. */
    async resetUserPassword(ctx: RequestContext, id: number, password: string): Promise<void> {
      const row = await getScopedUser(ctx, id);
      if (!hasPermission(ctx.actor, 'user:manage')) throw forbidden('You may not reset passwords.');
      const policy = checkPasswordPolicy(password, row.username);
      if (policy.length) throw invalidFields(policy);
      const passwordHash = await hashPassword(password);
      await kysely.transaction().execute(async (trx) => {
        const now = nowIso();
        await trx
          .updateTable('users')
          .set({
            password_hash: passwordHash,
            password_changed_at: now,
            failed_logins: 0,
            locked_until: null,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await revokeUserSessions(trx, id);
        await recordAudit(trx, auditContext(ctx), {
          action: 'user.reset_password',
          entityType: 'user',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.path },
          changes: [{ field: 'password', before: '***', after: '***' }],
        });
      });
    },

    countUsersByRole: (ctx: RequestContext) => q.countUsersByRole(kysely, ctx.actor.scopePath),
  };
}

export type UserService = ReturnType<typeof createUserService>;

const duplicateUsername = () => new DomainError('duplicate_username', 'That username is already taken.');
