import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '@qiao/contracts';
import type { Db } from '../../db/database.js';
import { resolveApiToken, resolveSession } from '../auth/sessions.js';
import { safeEqual } from '../crypto.js';
import { DomainError } from '../errors.js';
import type { RequestContext } from '../scope.js';

export const SESSION_COOKIE = 'qiao_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Decides who is calling before anything else runs: no identity → 401, a cookie write without
 * its CSRF token → 403, a route permission the actor lacks → 403. All of it happens in
 * onRequest, before the body is parsed or validated.
 */
export function registerAuthHook(app: FastifyInstance, db: Db, mfaRoles: readonly Role[]) {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !request.url.startsWith('/api/') || !request.routeOptions.url) return;

    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      request.actor = await resolveApiToken(db.kysely, bearer);
    } else {
      const signed = request.cookies[SESSION_COOKIE];
      const unsigned = signed ? request.unsignCookie(signed) : null;
      if (unsigned?.valid && unsigned.value) {
        request.session = await resolveSession(db.kysely, unsigned.value, mfaRoles);
        request.actor = request.session;
      }
    }
    if (!request.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');

    const session = request.session;
    if (session && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, session.csrfToken)) {
        throw new DomainError('csrf_failed', 'Reload the page and try again.');
      }
    }
    if (session?.mfaSetupRequired && !config.allowDuringMfaSetup) {
      throw new DomainError('forbidden', 'Your role requires two-factor sign-in: set it up under My account first.');
    }
    const needed = config.permission === undefined ? [] : [config.permission].flat();
    if (needed.length && !needed.some((p) => request.actor!.permissions.has(p))) {
      throw new DomainError('forbidden', `This needs the permission ${needed.join(' or ')}.`);
    }
  });
}

export function clientIp(request: FastifyRequest): string {
  return request.ip;
}

/** The actor and request facts a service receives; routes behind the auth hook always have an actor. */
export function requestContext(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return { actor: request.actor, requestId: String(request.id), ip: clientIp(request) };
}
