import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changePasswordBody,
  confirmTotpBody,
  disableTotpBody,
  loginBody,
  sessionInfo,
  updatePreferencesBody,
} from '@qiao/contracts';
import { ABSOLUTE_MS } from '../../platform/auth/sessions.js';
import { DomainError } from '../../platform/errors.js';
import { clientIp, requestContext, SESSION_COOKIE } from '../../platform/http/auth-hook.js';
import type { AuthService, ClientMeta } from './auth.service.js';

const tags = ['auth'];

function meta(req: FastifyRequest): ClientMeta {
  return { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null, requestId: String(req.id) };
}

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    signed: true,
    maxAge: ABSOLUTE_MS / 1000,
  });
}

function session(req: FastifyRequest) {
  if (!req.session) throw new DomainError('forbidden', 'This needs a signed-in user, not an API token.');
  return req.session;
}

export const authRoutes: FastifyPluginAsyncZod<{ service: AuthService; loginRatePerMinute: number }> = async (
  app,
  { service, loginRatePerMinute },
) => {
  app.post(
    '/auth/login',
    {
      schema: {
        operationId: 'login',
        tags,
        summary: 'Sign in with username, password and, when enrolled, a two-factor code',
        security: [],
        body: loginBody,
        response: { 200: sessionInfo },
      },
      config: { public: true, rateLimit: { max: loginRatePerMinute, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const result = await service.login(req.body, meta(req));
      setSessionCookie(req, reply, result.sessionToken);
      return result.info;
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        operationId: 'logout',
        tags,
        summary: 'Sign out: the session ends on the server',
        response: { 204: z.null() },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req, reply) => {
      await service.logout(requestContext(req), session(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        operationId: 'getMe',
        tags,
        summary: 'The signed-in user, the CSRF token and the permissions',
        response: { 200: sessionInfo },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req) => {
      const s = session(req);
      return service.sessionInfo(s.userId, s.csrfToken);
    },
  );

  app.patch(
    '/auth/me',
    {
      schema: {
        operationId: 'updatePreferences',
        tags,
        summary: 'Keep the caller’s language and elderly-friendly mode',
        body: updatePreferencesBody,
        response: { 200: sessionInfo },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req) => service.updatePreferences(requestContext(req), session(req), req.body),
  );

  app.post(
    '/auth/password',
    {
      schema: {
        operationId: 'changePassword',
        tags,
        summary: 'Change the caller’s password; other sessions end',
        body: changePasswordBody,
        response: { 200: sessionInfo },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req, reply) => {
      session(req);
      const result = await service.changePassword(requestContext(req), req.body, meta(req));
      setSessionCookie(req, reply, result.sessionToken);
      return result.info;
    },
  );

  app.post(
    '/auth/totp/enroll',
    {
      schema: {
        operationId: 'enrollTotp',
        tags,
        summary: 'Start two-factor enrolment: a secret for the authenticator app',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req) => {
      session(req);
      return service.enrollTotp(requestContext(req));
    },
  );

  app.post(
    '/auth/totp/confirm',
    {
      schema: {
        operationId: 'confirmTotp',
        tags,
        summary: 'Finish enrolment with a code; answers single-use recovery codes once',
        body: confirmTotpBody,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
      config: { allowDuringMfaSetup: true },
    },
    async (req) => {
      session(req);
      return service.confirmTotp(requestContext(req), req.body.code);
    },
  );

  app.post(
    '/auth/totp/disable',
    {
      schema: {
        operationId: 'disableTotp',
        tags,
        summary: 'Turn two-factor sign-in off (password and a code required)',
        body: disableTotpBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      session(req);
      await service.disableTotp(requestContext(req), req.body);
      return reply.code(204).send(null);
    },
  );
};
