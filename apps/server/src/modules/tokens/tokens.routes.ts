import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiToken, createApiTokenBody, idParams } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { TokenService } from './tokens.service.js';

const tags = ['tokens'];

export const tokenRoutes: FastifyPluginAsyncZod<{ service: TokenService }> = async (app, { service }) => {
  app.get(
    '/tokens',
    {
      schema: {
        operationId: 'listApiTokens',
        tags,
        summary: 'API tokens in the caller’s subtree',
        response: { 200: z.object({ items: z.array(apiToken) }) },
      },
      config: { permission: 'token:manage' },
    },
    async (req) => ({ items: await service.listApiTokens(requestContext(req)) }),
  );

  app.post(
    '/tokens',
    {
      schema: {
        operationId: 'createApiToken',
        tags,
        summary: 'Create an API token for a machine client; the secret is shown once',
        body: createApiTokenBody,
        response: { 201: apiToken.extend({ token: z.string() }) },
      },
      config: { permission: 'token:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createApiToken(requestContext(req), req.body)),
  );

  app.post(
    '/tokens/:id/revoke',
    {
      schema: {
        operationId: 'revokeApiToken',
        tags,
        summary: 'Revoke an API token at once',
        params: idParams,
        response: { 200: apiToken },
      },
      config: { permission: 'token:manage' },
    },
    async (req) => service.revokeApiToken(requestContext(req), req.params.id),
  );
};
