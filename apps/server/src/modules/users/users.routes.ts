import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUserBody, idParams, listUsersQuery, resetPasswordBody, updateUserBody, user } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { UserService } from './users.service.js';

const tags = ['users'];

export const userRoutes: FastifyPluginAsyncZod<{ service: UserService }> = async (app, { service }) => {
  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'Accounts in the caller’s subtree, in id order (keyset pages)',
        querystring: listUsersQuery,
        response: { 200: z.object({ items: z.array(user), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'user:read' },
    },
    async (req) => service.listUsers(requestContext(req), req.query),
  );

  app.post(
    '/users',
    {
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create an account',
        body: createUserBody,
        response: { 201: user },
      },
      config: { permission: ['user:manage', 'user:create_volunteer'] },
    },
    async (req, reply) => reply.code(201).send(await service.createUser(requestContext(req), req.body)),
  );

  app.get(
    '/users/:id',
    {
      schema: { operationId: 'getUser', tags, summary: 'One account', params: idParams, response: { 200: user } },
      config: { permission: 'user:read' },
    },
    async (req) => service.getUser(requestContext(req), req.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Change an account’s name, role, jurisdiction or department',
        params: idParams,
        body: updateUserBody,
        response: { 200: user },
      },
      config: { permission: ['user:manage', 'user:create_volunteer'] },
    },
    async (req) => service.updateUser(requestContext(req), req.params.id, req.body),
  );

  const statusRoute = (operationId: string, summary: string, fn: typeof service.disableUser) =>
    app.post(
      `/users/:id/${operationId === 'disableUser' ? 'disable' : 'enable'}`,
      {
        schema: { operationId, tags, summary, params: idParams, response: { 200: user } },
        config: { permission: 'user:manage' },
      },
      async (req) => fn(requestContext(req), req.params.id),
    );
  statusRoute('disableUser', 'Disable an account and end its sessions', service.disableUser);
  statusRoute('enableUser', 'Enable an account again and lift any lock', service.enableUser);

  app.post(
    '/users/:id/password',
    {
      schema: {
        operationId: 'resetUserPassword',
        tags,
        summary: 'Set a new password for an account; its sessions end',
        params: idParams,
        body: resetPasswordBody,
        response: { 204: z.null() },
      },
      config: { permission: 'user:manage' },
    },
    async (req, reply) => {
      await service.resetUserPassword(requestContext(req), req.params.id, req.body.password);
      return reply.code(204).send(null);
    },
  );
};
