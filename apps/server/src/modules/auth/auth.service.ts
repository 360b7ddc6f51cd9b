import { usernameKey, type FieldError, type SessionInfo } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import type { UserRow } from '../../db/schema.js';
import { anonymousContext, diffChanges, recordAudit, type AuditContext } from '../../platform/audit/audit-log.js';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import {
  accountPermissions,
  createSession,
  revokeSession,
  revokeUserSessions,
  type SessionActor,
} from '../../platform/auth/sessions.js';
import { matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri } from '../../platform/auth/totp.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields } from '../../platform/errors.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import { findUserById, findUserByKey } from '../users/users.queries.js';
import { presentUser } from '../users/users.service.js';
import * as q from './auth.queries.js';

export const MAX_FAILURES = 5;
export const LOCK_MS = 30 * 60 * 1000;
const TOTP_KEY = 'totp-secret';
const RECOVERY_KEY = 'recovery-code';

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface LoginResult {
  sessionToken: string;
  info: SessionInfo;
}

/** Sign-in, sign-out, the caller's own password, preferences and two-factor enrolment. */
export function createAuthService({ db, config, keyring }: Deps) {
  const kysely = db.kysely;

  async function userContext(user: UserRow, meta: ClientMeta): Promise<AuditContext> {
    const j = await kysely
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('id', '=', user.jurisdiction_id)
      .executeTakeFirstOrThrow();
    return {
      actorId: user.id,
      actorName: user.username,
      actorRole: user.role,
      jurisdictionId: j.id,
      scopePath: j.path,
      requestId: meta.requestId,
      ip: meta.ip,
    };
  }

  async function sessionInfo(userId: number, csrfToken: string): Promise<SessionInfo> {
    const row = (await findUserById(kysely, userId))!;
    const user = presentUser(row);
    const j = await kysely
      .selectFrom('jurisdictions')
      .select(['id', 'name', 'name_en', 'level'])
      .where('id', '=', row.jurisdiction_id)
      .executeTakeFirstOrThrow();
    return {
      user,
      csrfToken,
      permissions: accountPermissions(user.role, row.application_only),
      jurisdiction: { id: j.id, name: j.name, nameEn: j.name_en, level: j.level },
      mfaSetupRequired: config.mfaRoles.includes(user.role) && !user.totpEnabled,
      mfaRequired: config.mfaRoles.includes(user.role),
    };
  }

  /** Checks a second factor: a fresh TOTP code (never a step used before) or an unused recovery code. */
  async function checkSecondFactor(trx: Executor, user: UserRow, code: string): Promise<boolean> {
    if (/^\d{6}$/.test(code)) {
      if (!user.totp_secret) return false;
      const step = matchTotp(keyring.decrypt(TOTP_KEY, user.totp_secret), code);
      if (step === null || (user.totp_last_step !== null && step <= user.totp_last_step)) return false;
      await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
      return true;
    }
    const hit = await q.findUnusedRecoveryCode(trx, user.id, keyring.hmac(RECOVERY_KEY, code.toLowerCase()));
    if (!hit) return false;
    await trx.updateTable('recovery_codes').set({ used_at: nowIso() }).where('id', '=', hit.id).execute();
    return true;
  }

  /** Records a failed attempt; the fifth in a row locks the account for 30 minutes. */
  async function recordFailure(user: UserRow, meta: ClientMeta, reason: string): Promise<void> {
    const ctx = await userContext(user, meta);
    await kysely.transaction().execute(async (trx) => {
      const failures = await q.bumpFailedLogins(trx, user.id);
      await recordAudit(trx, ctx, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        outcome: 'failure',
        details: { reason },
      });
      if (failures >= MAX_FAILURES) {
        const until = new Date(Date.now() + LOCK_MS).toISOString();
        await trx
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: until })
          .where('id', '=', user.id)
          .execute();
        await recordAudit(trx, ctx, {
          action: 'auth.lockout',
          entityType: 'user',
          entityId: user.id,
          details: { lockedUntil: until, failures },
        });
      }
    });
  }

  return {
    sessionInfo,

    async login(input: { username: string; password: string; totp?: string }, meta: ClientMeta): Promise<LoginResult> {
      const user = await findUserByKey(kysely, usernameKey(input.username));
      const wrong = () => new DomainError('invalid_credentials', 'The username or password is wrong.');
      if (!user || user.status !== 'active') {
        await burnPasswordCheck(input.password);
        const root = await q.findRootPath(kysely);
        await kysely.transaction().execute((trx) =>
          recordAudit(trx, anonymousContext(input.username.slice(0, 64), root, meta), {
            action: 'auth.login',
            outcome: 'failure',
            details: { reason: user ? 'disabled' : 'unknown_user' },
            ...(user ? { entityType: 'user', entityId: user.id } : {}),
          }),
        );
        throw wrong();
      }
      if (user.locked_until && Date.parse(user.locked_until) > Date.now()) {
        const seconds = Math.ceil((Date.parse(user.locked_until) - Date.now()) / 1000);
        const ctx = await userContext(user, meta);
        await kysely.transaction().execute((trx) =>
          recordAudit(trx, ctx, {
            action: 'auth.login',
            entityType: 'user',
            entityId: user.id,
            outcome: 'failure',
            details: { reason: 'locked' },
          }),
        );
        throw new DomainError(
          'account_locked',
          `Too many failed sign-ins. Try again in ${Math.ceil(seconds / 60)} minutes.`,
          {
            headers: { 'retry-after': String(seconds) },
          },
        );
      }
      if (!(await verifyPassword(user.password_hash, input.password))) {
        await recordFailure(user, meta, 'wrong_password');
        throw wrong();
      }
      if (user.totp_enabled) {
        if (!input.totp) throw new DomainError('totp_required', 'Enter the code from your authenticator app.');
        const ok = await kysely.transaction().execute((trx) => checkSecondFactor(trx, user, input.totp!.trim()));
        if (!ok) {
          await recordFailure(user, meta, 'wrong_totp');
          throw new DomainError('invalid_totp', 'The two-factor code is wrong or was already used.');
        }
      }
      const ctx = await userContext(user, meta);
      const session = await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: null, last_login_at: nowIso() })
          .where('id', '=', user.id)
          .execute();
        const session = await createSession(trx, user.id, meta);
        await recordAudit(trx, ctx, { action: 'auth.login', entityType: 'user', entityId: user.id });
        return session;
      });
      return { sessionToken: session.token, info: await sessionInfo(user.id, session.csrfToken) };
    },

    async logout(ctx: RequestContext, session: SessionActor): Promise<void> {
      await kysely.transaction().execute(async (trx) => {
        await revokeSession(trx, session.sessionHash);
        await recordAudit(trx, auditContext(ctx), {
          action: 'auth.logout',
          entityType: 'user',
          entityId: ctx.actor.userId,
        });
      });
    },

    async updatePreferences(
      ctx: RequestContext,
      session: SessionActor,
      body: { elderlyMode?: boolean; locale?: 'zh-CN' | 'en' },
    ) {
      const row = (await findUserById(kysely, ctx.actor.userId))!;
      const before = { elderlyMode: row.elderly_mode === 1, locale: row.locale };
      const after = { elderlyMode: body.elderlyMode ?? before.elderlyMode, locale: body.locale ?? before.locale };
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ elderly_mode: after.elderlyMode ? 1 : 0, locale: after.locale, updated_at: nowIso() })
          .where('id', '=', row.id)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'user.preferences',
          entityType: 'user',
          entityId: row.id,
          changes: diffChanges(before, after, ['elderlyMode', 'locale']),
        });
      });
      return sessionInfo(row.id, session.csrfToken);
    },

    /** Changes the caller's password; every session ends and a fresh one replaces the current. */
    async changePassword(
      ctx: RequestContext,
      body: { currentPassword: string; newPassword: string },
      meta: ClientMeta,
    ): Promise<LoginResult> {
      const row = (await findUserById(kysely, ctx.actor.userId))!;
      if (!(await verifyPassword(row.password_hash, body.currentPassword))) {
        throw invalidFields([
          { field: 'currentPassword', code: 'wrong_password', message: 'the current password is wrong' },
        ]);
      }
      const errors = checkPasswordPolicy(body.newPassword, row.username, 'newPassword');
      if (body.newPassword === body.currentPassword)
        errors.push({ field: 'newPassword', code: 'unchanged', message: 'choose a new password' });
      if (errors.length) throw invalidFields(errors);
      const passwordHash = await hashPassword(body.newPassword);
      const session = await kysely.transaction().execute(async (trx) => {
        const now = nowIso();
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
          .where('id', '=', row.id)
          .execute();
        await revokeUserSessions(trx, row.id);
        const session = await createSession(trx, row.id, meta);
        await recordAudit(trx, auditContext(ctx), {
          action: 'auth.password_change',
          entityType: 'user',
          entityId: row.id,
          changes: [{ field: 'password', before: '***', after: '***' }],
        });
        return session;
      });
      return { sessionToken: session.token, info: await sessionInfo(row.id, session.csrfToken) };
    },

    /** Starts two-factor enrolment: a new secret, kept pending until a code from it is confirmed. */
    async enrollTotp(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
      const row = (await findUserById(kysely, ctx.actor.userId))!;
      if (row.totp_enabled) throw new DomainError('totp_already_enabled', 'Two-factor sign-in is already on.');
      const secret = newTotpSecret();
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_pending_secret: keyring.encrypt(TOTP_KEY, secret) })
          .where('id', '=', row.id)
          .execute();
        await recordAudit(trx, auditContext(ctx), { action: 'auth.totp_enroll', entityType: 'user', entityId: row.id });
      });
      return { secret, otpauthUri: otpauthUri(secret, row.username, `Qiao ${config.cityName}`) };
    },

    async confirmTotp(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = (await findUserById(kysely, ctx.actor.userId))!;
      if (row.totp_enabled) throw new DomainError('totp_already_enabled', 'Two-factor sign-in is already on.');
      if (!row.totp_pending_secret) throw new DomainError('totp_not_enrolled', 'Start the enrolment first.');
      const secret = keyring.decrypt(TOTP_KEY, row.totp_pending_secret);
      const step = matchTotp(secret, code);
      if (step === null)
        throw invalidFields([
          { field: 'code', code: 'invalid_totp', message: 'the code does not match; check the phone’s clock' },
        ]);
      const codes = newRecoveryCodes();
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            totp_secret: row.totp_pending_secret,
            totp_pending_secret: null,
            totp_enabled: 1,
            totp_last_step: step,
            updated_at: nowIso(),
          })
          .where('id', '=', row.id)
          .execute();
        await q.replaceRecoveryCodes(
          trx,
          row.id,
          codes.map((c) => keyring.hmac(RECOVERY_KEY, c)),
        );
        await recordAudit(trx, auditContext(ctx), {
          action: 'auth.totp_enable',
          entityType: 'user',
          entityId: row.id,
          changes: [{ field: 'totpEnabled', before: false, after: true }],
        });
      });
      return { recoveryCodes: codes };
    },

    async disableTotp(ctx: RequestContext, body: { password: string; code: string }): Promise<void> {
      const row = (await findUserById(kysely, ctx.actor.userId))!;
      if (!row.totp_enabled) throw new DomainError('totp_not_enrolled', 'Two-factor sign-in is not on.');
      if (config.mfaRoles.includes(ctx.actor.role))
        throw new DomainError('conflict', 'Your role requires two-factor sign-in.');
      const errors: FieldError[] = [];
      if (!(await verifyPassword(row.password_hash, body.password)))
        errors.push({ field: 'password', code: 'wrong_password', message: 'the password is wrong' });
      await kysely.transaction().execute(async (trx) => {
        if (!errors.length && !(await checkSecondFactor(trx, row, body.code.trim()))) {
          errors.push({ field: 'code', code: 'invalid_totp', message: 'the code is wrong or was already used' });
        }
        if (errors.length) throw invalidFields(errors);
        await trx
          .updateTable('users')
          .set({
            totp_secret: null,
            totp_pending_secret: null,
            totp_enabled: 0,
            totp_last_step: null,
            updated_at: nowIso(),
          })
          .where('id', '=', row.id)
          .execute();
        await q.replaceRecoveryCodes(trx, row.id, []);
        await recordAudit(trx, auditContext(ctx), {
          action: 'auth.totp_disable',
          entityType: 'user',
          entityId: row.id,
          changes: [{ field: 'totpEnabled', before: true, after: false }],
        });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
