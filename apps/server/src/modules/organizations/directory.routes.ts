import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, publicOrganization, textLine } from '@qiao/contracts';
import type { DirectoryService } from './directory.service.js';

const tags = ['public'];
// Public and unauthenticated: bounded per IP so nobody scrapes the city's registry at machine pace.
const rateLimit = { max: 120, timeWindow: '1 minute' };

export const directoryRoutes: FastifyPluginAsyncZod<{ service: DirectoryService }> = async (app, { service }) => {
  app.get(
    '/public/organizations',
    {
      schema: {
        operationId: 'listPublicOrganizations',
        tags,
        summary: 'The public directory of active organizations (no login, no personal data)',
        security: [],
        querystring: z.strictObject({
          q: textLine(50).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().max(300).optional(),
        }),
        response: { 200: z.object({ items: z.array(publicOrganization), nextCursor: z.string().nullable() }) },
      },
      config: { public: true, rateLimit },
    },
    async (req) => service.listPublicOrganizations(req.query),
  );

  app.get(
    '/public/organizations/:id',
    {
      schema: {
        operationId: 'getPublicOrganization',
        tags,
        summary: 'One organization of the public directory, with its status history',
        security: [],
        params: idParams,
        response: { 200: publicOrganization },
      },
      config: { public: true, rateLimit },
    },
    async (req) => service.getPublicOrganization(req.params.id),
  );
};
