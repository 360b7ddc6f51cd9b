import { sql, type Kysely } from 'kysely';
import { rolePermissions, type Permission, type Role } from '@qiao/contracts';
import type { Database } from '../db/schema.js';
import type { Executor } from '../db/database.js';
import { DomainError, notFound } from './errors.js';
import type { AuditContext } from './audit/audit-log.js';

/** Who is acting: a signed-in user, an API token acting for the user who made it, or the system (CLI, first run). */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: number;
  username: string;
  role: Role;
  departmentId: number | null;
  /** An ngo_officer's own organization: the only one it sees. */
  organizationId: number | null;
  jurisdictionId: number;
  /** Path of the actor's jurisdiction; the actor sees exactly the jurisdictions under it. */
  scopePath: string;
  permissions: ReadonlySet<Permission>;
  tokenId?: number;
}

/** What a service needs of the request: the actor and what the audit trail records. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
}

export function auditContext(ctx: RequestContext): AuditContext {
  const { actor } = ctx;
  return {
    actorId: actor.kind === 'system' ? null : actor.userId,
    actorName: actor.kind === 'token' ? `${actor.username} (token ${actor.tokenId})` : actor.username,
    actorRole: actor.kind === 'system' ? null : actor.role,
    jurisdictionId: actor.jurisdictionId,
    scopePath: actor.scopePath,
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}

/** The system acting as the city administrator: command-line work and demo seeding. */
export function systemActor(root: { id: number; path: string }, name = 'system'): Actor {
  return {
    kind: 'system',
    userId: 0,
    username: name,
    role: 'city_admin',
    departmentId: null,
    organizationId: null,
    jurisdictionId: root.id,
    scopePath: root.path,
    permissions: new Set(rolePermissions.city_admin),
  };
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission))
    throw new DomainError('forbidden', `This needs the permission ${permission}.`);
}

/** True when `path` lies in the actor's subtree (its own jurisdiction included). */
export function inScope(actor: Actor, path: string): boolean {
  return path.startsWith(actor.scopePath);
}

/**
 * The half-open range [prefix, upper) of every path under `prefix`. A range instead of LIKE so
 * both engines use the plain B-tree index on the path column.
 */
export function subtreeRange(prefix: string): [string, string] {
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

/** A where-clause keeping only rows whose path column lies in the subtree under `prefix`. */
export function inSubtree(column: string, prefix: string) {
  const [low, high] = subtreeRange(prefix);
  return sql<boolean>`(${sql.ref(column)} >= ${low} and ${sql.ref(column)} < ${high})`;
}

export interface ScopedJurisdiction {
  id: number;
  path: string;
  level: 'city' | 'district' | 'subdistrict';
  name: string;
}

/**
 * The jurisdiction `id` if the actor may see it. Anything outside the actor's subtree is
 * answered exactly like a missing one (404), so nobody learns what exists elsewhere.
 */
export async function getScopedJurisdiction(
  db: Executor | Kysely<Database>,
  actor: Actor,
  id: number,
): Promise<ScopedJurisdiction> {
  const row = await db
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'level', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !inScope(actor, row.path)) throw notFound('jurisdiction');
  return row;
}
