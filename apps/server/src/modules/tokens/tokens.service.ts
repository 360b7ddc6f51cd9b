import type { z } from 'zod';
import type { apiToken, createApiTokenBody, Permission } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import type { ApiTokenTable } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { API_TOKEN_PREFIX } from '../../platform/auth/sessions.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { Deps } from '../../platform/deps.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import type { Selectable } from 'kysely';

type ApiToken = z.infer<typeof apiToken>;
const MAX_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;

function present(r: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: r.id,
    name: r.name,
    jurisdictionId: r.jurisdiction_id,
    permissions: JSON.parse(r.permissions) as Permission[],
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
  };
}

/** API tokens for machine clients: hashed at rest, narrowed to a jurisdiction and permissions, expiring. */
export function createTokenService({ db }: Deps) {
  const kysely = db.kysely;

  function scoped(ctx: RequestContext) {
    return kysely
      .selectFrom('api_tokens as t')
      .innerJoin('jurisdictions as j', 'j.id', 't.jurisdiction_id')
      .selectAll('t')
      .select('j.path')
      .where(inSubtree('j.path', ctx.actor.scopePath));
  }

  return {
    async listApiTokens(ctx: RequestContext): Promise<ApiToken[]> {
      return (await scoped(ctx).orderBy('t.id', 'desc').execute()).map(present);
    },

    /** Creates a token; its secret is answered this once and only its hash is kept. */
    async createApiToken(
      ctx: RequestContext,
      body: z.infer<typeof createApiTokenBody>,
    ): Promise<ApiToken & { token: string }> {
      const errors = [];
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path'])
        .where('id', '=', body.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path))
        errors.push({ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' });
      const extra = body.permissions.filter((p) => !ctx.actor.permissions.has(p));
      if (extra.length)
        errors.push({ field: 'permissions', code: 'not_held', message: `you do not hold: ${extra.join(', ')}` });
      const expires = Date.parse(body.expiresAt);
      if (expires <= Date.now() || expires > Date.now() + MAX_LIFETIME_MS) {
        errors.push({ field: 'expiresAt', code: 'out_of_range', message: 'must be in the future and within a year' });
      }
      if (errors.length || !j) throw invalidFields(errors);
      const token = API_TOKEN_PREFIX + randomToken(32);
      const id = await kysely.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('api_tokens')
          .values({
            name: body.name,
            token_hash: sha256(token),
            created_by: ctx.actor.userId,
            jurisdiction_id: j.id,
            permissions: JSON.stringify([...new Set(body.permissions)]),
            expires_at: new Date(expires).toISOString(),
            created_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auditContext(ctx), {
          action: 'api_token.create',
          entityType: 'api_token',
          entityId: id,
          jurisdiction: j,
          details: { name: body.name, permissions: body.permissions, expiresAt: body.expiresAt },
        });
        return id;
      });
      const row = await scoped(ctx).where('t.id', '=', id).executeTakeFirstOrThrow();
      return { ...present(row), token };
    },

    async revokeApiToken(ctx: RequestContext, id: number): Promise<ApiToken> {
      const row = await scoped(ctx).where('t.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('token');
      if (!row.revoked_at) {
        await kysely.transaction().execute(async (trx) => {
          await trx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('id', '=', id).execute();
          await recordAudit(trx, auditContext(ctx), {
            action: 'api_token.revoke',
            entityType: 'api_token',
            entityId: id,
            jurisdiction: { id: row.jurisdiction_id, path: row.path },
          });
        });
      }
      return present((await scoped(ctx).where('t.id', '=', id).executeTakeFirst())!);
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
