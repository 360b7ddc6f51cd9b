import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, listChangeRequestsQuery, organizationChangeRequest, rejectChangeRequestBody } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { ChangeRequestService } from './change-requests.service.js';

const tags = ['organizations'];

export const changeRequestRoutes: FastifyPluginAsyncZod<{ service: ChangeRequestService }> = async (
  app,
  { service },
) => {
  app.get(
    '/organizations/:id/change-request',
    {
      schema: {
        operationId: 'getOrganizationChangeRequest',
        tags,
        summary: 'The latest change of key fields asked for by the organization’s officer, personal data masked',
        params: idParams,
        response: { 200: z.object({ item: organizationChangeRequest.nullable() }) },
      },
      config: { permission: 'organization:read' },
    },
    async (req) => service.getOrganizationChangeRequest(requestContext(req), req.params.id),
  );

  app.get(
    '/organization-change-requests',
    {
      schema: {
        operationId: 'listOrganizationChangeRequests',
        tags,
        summary: 'Key-field changes waiting for review in the caller’s subtree, oldest first',
        querystring: listChangeRequestsQuery,
        response: { 200: z.object({ items: z.array(organizationChangeRequest) }) },
      },
      config: { permission: 'organization:manage' },
    },
    async (req) => service.listChangeRequests(requestContext(req), req.query),
  );

  app.post(
    '/organization-change-requests/:id/approve',
    {
      schema: {
        operationId: 'approveOrganizationChangeRequest',
        tags,
        summary: 'Apply a requested key-field change, with a version and audit event',
        params: idParams,
        response: { 200: organizationChangeRequest },
      },
      config: { permission: 'organization:manage' },
    },
    async (req) => service.approveChangeRequest(requestContext(req), req.params.id),
  );

  app.post(
    '/organization-change-requests/:id/reject',
    {
      schema: {
        operationId: 'rejectOrganizationChangeRequest',
        tags,
        summary: 'Refuse a requested key-field change, with a reason the officer sees',
        params: idParams,
        body: rejectChangeRequestBody,
        response: { 200: organizationChangeRequest },
      },
      config: { permission: 'organization:manage' },
    },
    async (req) => service.rejectChangeRequest(requestContext(req), req.params.id, req.body.reason),
  );
};
