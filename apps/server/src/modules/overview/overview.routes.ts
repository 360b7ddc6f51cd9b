import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { overview } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { OverviewService } from './overview.service.js';

export const overviewRoutes: FastifyPluginAsyncZod<{ service: OverviewService }> = async (app, { service }) => {
  app.get(
    '/overview',
    {
      schema: {
        operationId: 'getOverview',
        tags: ['overview'],
        summary: 'Counts for the caller’s subtree: jurisdictions, centers, accounts by role, activity per day',
        response: { 200: overview },
      },
      config: { permission: 'overview:read' },
    },
    async (req) => service.getOverview(requestContext(req)),
  );
};
