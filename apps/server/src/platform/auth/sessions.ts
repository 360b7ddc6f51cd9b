import type { Kysely } from 'kysely';
import { rolePermissions, type Permission, type Role } from '@qiao/contracts';
import type { Executor } from '../../db/database.js';
import { prepare, type Placeholders } from '../../db/prepared.js';
import type { Database } from '../../db/schema.js';
import { randomToken, sha256 } from '../crypto.js';
import type { Actor } from '../scope.js';

export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn each read into a write; a minute's slack is plenty.
const TOUCH_EVERY_MS = 60 * 1000;

/** An account whose organization is still an application may only follow and amend that application. */
export const APPLICANT_PERMISSIONS: readonly Permission[] = ['application:own'];

/** The permissions an account holds: its role's, or only the applicant's while its application is pending. */
export function accountPermissions(role: Role, applicationOnly: number): Permission[] {
  return applicationOnly ? [...APPLICANT_PERMISSIONS] : [...rolePermissions[role]];
}

export interface SessionActor extends Actor {
  sessionHash: string;
  csrfToken: string;
  /** The role requires two-factor and the user has not enrolled: only enrolment is allowed. */
  mfaSetupRequired: boolean;
}

/** Starts a session: a fresh random id (never reused from before login) and its CSRF token. */
export async function createSession(
  db: Executor,
  userId: number,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const now = Date.now();
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + ABSOLUTE_MS).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

/** The actor behind a session cookie, or null when it is unknown, revoked, idle too long or too old. */
// Every signed-in request reads its session: compiled once (db/prepared.ts).
const sessionByHash = prepare((k, p: Placeholders<{ idHash: string }>) =>
  k
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .select([
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.id as user_id',
      'u.username',
      'u.role',
      'u.status',
      'u.department_id',
      'u.organization_id',
      'u.jurisdiction_id',
      'u.totp_enabled',
      'u.application_only',
      'j.path',
    ])
    .where('s.id_hash', '=', p('idHash')),
);

export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  mfaRoles: readonly Role[],
): Promise<SessionActor | null> {
  const idHash = sha256(token);
  const row = await sessionByHash.first(db, { idHash });
  if (!row || row.revoked_at || row.status !== 'active') return null;
  const now = Date.now();
  const lastSeen = Date.parse(row.last_seen_at);
  if (now - lastSeen > IDLE_MS || now > Date.parse(row.expires_at)) return null;
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
  }
  const role = row.role as Role;
  return {
    kind: 'user',
    userId: row.user_id,
    username: row.username,
    role,
    departmentId: row.department_id,
    organizationId: row.organization_id,
    jurisdictionId: row.jurisdiction_id,
    scopePath: row.path,
    permissions: new Set(accountPermissions(role, row.application_only)),
    sessionHash: idHash,
    csrfToken: row.csrf_token,
    mfaSetupRequired: mfaRoles.includes(role) && !row.totp_enabled,
  };
}

export async function revokeSession(db: Executor, sessionHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date().toISOString() })
    .where('id_hash', '=', sessionHash)
    .execute();
}

/** Ends every session of a user: after a password change, a reset or disabling the account. */
export async function revokeUserSessions(db: Executor, userId: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export const API_TOKEN_PREFIX = 'qiao_';

/**
 * The actor behind a bearer token: it acts as its creator, narrowed to the token's jurisdiction
 * and to the permissions both the token and the creator's current role hold.
 */
export async function resolveApiToken(db: Kysely<Database>, token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .innerJoin('jurisdictions as j', 'j.id', 't.jurisdiction_id')
    .innerJoin('jurisdictions as uj', 'uj.id', 'u.jurisdiction_id')
    .select(['t.id', 't.name', 't.permissions', 't.expires_at', 't.revoked_at', 't.jurisdiction_id', 't.last_used_at'])
    .select([
      'u.id as user_id',
      'u.username',
      'u.role',
      'u.status',
      'u.department_id',
      'j.path',
      'u.organization_id',
      'u.application_only',
      'uj.path as user_path',
    ])
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active' || Date.now() > Date.parse(row.expires_at)) return null;
  // A creator moved elsewhere since no longer lends the token the old jurisdiction.
  if (!row.path.startsWith(row.user_path)) return null;
  const role = row.role as Role;
  const granted = new Set<Permission>(accountPermissions(role, row.application_only));
  const permissions = (JSON.parse(row.permissions) as Permission[]).filter((p) => granted.has(p));
  if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date().toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    kind: 'token',
    userId: row.user_id,
    username: row.username,
    role,
    departmentId: row.department_id,
    organizationId: row.organization_id,
    jurisdictionId: row.jurisdiction_id,
    scopePath: row.path,
    permissions: new Set(permissions),
    tokenId: row.id,
  };
}

/** Deletes sessions that ended (expired, idle or revoked) more than a day ago; answers how many. */
export async function purgeEndedSessions(db: Executor, now = Date.now()): Promise<number> {
  const dayAgo = new Date(now - 24 * 60 * 60 * 1000).toISOString();
  const idleSince = new Date(now - IDLE_MS - 24 * 60 * 60 * 1000).toISOString();
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<', dayAgo), eb('revoked_at', '<', dayAgo), eb('last_seen_at', '<', idleSince)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
