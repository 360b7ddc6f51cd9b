import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createServiceFieldBody,
  listPublicServiceFieldsResponse,
  listServiceFieldsResponse,
  serviceField,
  serviceFieldParams,
  updateServiceFieldBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { ServiceFieldService } from './service-fields.service.js';

const tags = ['service-fields'];

// The public list is bounded per IP like the directory it serves.
const rateLimit = { max: 120, timeWindow: '1 minute' };

export const serviceFieldRoutes: FastifyPluginAsyncZod<{ service: ServiceFieldService }> = async (app, { service }) => {
  app.get(
    '/service-fields',
    {
      schema: {
        operationId: 'listServiceFields',
        tags,
        summary: 'The fields of service, retired ones included (flagged), in display order',
        response: { 200: listServiceFieldsResponse },
      },
    },
    async () => service.listServiceFields(),
  );

  app.get(
    '/public/service-fields',
    {
      schema: {
        operationId: 'listPublicServiceFields',
        tags,
        summary: 'The fields of service with their labels, for the public directory (no login)',
        security: [],
        response: { 200: listPublicServiceFieldsResponse },
      },
      config: { public: true, rateLimit },
    },
    async () => service.listPublicServiceFields(),
  );

  app.post(
    '/service-fields',
    {
      schema: {
        operationId: 'createServiceField',
        tags,
        summary: 'Add a field of service (code, Chinese and English label)',
        body: createServiceFieldBody,
        response: { 201: serviceField },
      },
      config: { permission: 'taxonomy:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createServiceField(requestContext(req), req.body)),
  );

  app.patch(
    '/service-fields/:id',
    {
      schema: {
        operationId: 'updateServiceField',
        tags,
        summary:
          'Rename a field of service’s labels, or retire it (kept where used, refused for new values) or bring it back',
        params: serviceFieldParams,
        body: updateServiceFieldBody,
        response: { 200: serviceField },
      },
      config: { permission: 'taxonomy:manage' },
    },
    async (req) => service.updateServiceField(requestContext(req), req.params.id, req.body),
  );
};
