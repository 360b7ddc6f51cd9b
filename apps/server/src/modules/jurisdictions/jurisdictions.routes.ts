import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  centerBody,
  createDepartmentBody,
  createJurisdictionBody,
  department,
  idParams,
  jurisdiction,
  listDepartmentsQuery,
  publicSubdistrict,
  updateDepartmentBody,
  updateJurisdictionBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { JurisdictionService } from './jurisdictions.service.js';

const tags = ['jurisdictions'];

export const jurisdictionRoutes: FastifyPluginAsyncZod<{ service: JurisdictionService }> = async (app, { service }) => {
  app.get(
    '/public/subdistricts',
    {
      schema: {
        operationId: 'listPublicSubdistricts',
        tags: ['public'],
        summary: 'Subdistricts with their district and service center, for the public application form',
        security: [],
        response: { 200: z.object({ items: z.array(publicSubdistrict) }) },
      },
      config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async () => ({ items: await service.listPublicSubdistricts() }),
  );

  app.get(
    '/jurisdictions',
    {
      schema: {
        operationId: 'listJurisdictions',
        tags,
        summary: 'The jurisdictions in the caller’s subtree, parents first',
        response: { 200: z.object({ items: z.array(jurisdiction) }) },
      },
      config: { permission: 'jurisdiction:read' },
    },
    async (req) => ({ items: await service.listJurisdictions(requestContext(req)) }),
  );

  app.post(
    '/jurisdictions',
    {
      schema: {
        operationId: 'createJurisdiction',
        tags,
        summary: 'Add a district under the city or a subdistrict under a district',
        body: createJurisdictionBody,
        response: { 201: jurisdiction },
      },
      config: { permission: 'jurisdiction:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createJurisdiction(requestContext(req), req.body)),
  );

  app.get(
    '/jurisdictions/:id',
    {
      schema: {
        operationId: 'getJurisdiction',
        tags,
        summary: 'One jurisdiction with its center',
        params: idParams,
        response: { 200: jurisdiction },
      },
      config: { permission: 'jurisdiction:read' },
    },
    async (req) => service.getJurisdiction(requestContext(req), req.params.id),
  );

  app.patch(
    '/jurisdictions/:id',
    {
      schema: {
        operationId: 'updateJurisdiction',
        tags,
        summary: 'Rename a jurisdiction',
        params: idParams,
        body: updateJurisdictionBody,
        response: { 200: jurisdiction },
      },
      config: { permission: 'jurisdiction:manage' },
    },
    async (req) => service.updateJurisdiction(requestContext(req), req.params.id, req.body),
  );

  app.put(
    '/jurisdictions/:id/center',
    {
      schema: {
        operationId: 'upsertCenter',
        tags,
        summary: 'Set the service center a subdistrict hosts',
        params: idParams,
        body: centerBody,
        response: { 200: jurisdiction },
      },
      config: { permission: 'center:manage' },
    },
    async (req) => service.upsertCenter(requestContext(req), req.params.id, req.body),
  );

  app.get(
    '/departments',
    {
      schema: {
        operationId: 'listDepartments',
        tags,
        summary: 'Government departments in the caller’s subtree',
        querystring: listDepartmentsQuery,
        response: { 200: z.object({ items: z.array(department) }) },
      },
      config: { permission: 'department:read' },
    },
    async (req) => ({ items: await service.listDepartments(requestContext(req), req.query.jurisdictionId) }),
  );

  app.post(
    '/departments',
    {
      schema: {
        operationId: 'createDepartment',
        tags,
        summary: 'Add a government department to a jurisdiction',
        body: createDepartmentBody,
        response: { 201: department },
      },
      config: { permission: 'department:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createDepartment(requestContext(req), req.body)),
  );

  app.get(
    '/departments/:id',
    {
      schema: {
        operationId: 'getDepartment',
        tags,
        summary: 'One department',
        params: idParams,
        response: { 200: department },
      },
      config: { permission: 'department:read' },
    },
    async (req) => service.getDepartment(requestContext(req), req.params.id),
  );

  app.patch(
    '/departments/:id',
    {
      schema: {
        operationId: 'updateDepartment',
        tags,
        summary: 'Rename a department or change the kinds of work it takes',
        params: idParams,
        body: updateDepartmentBody,
        response: { 200: department },
      },
      config: { permission: 'department:manage' },
    },
    async (req) => service.updateDepartment(requestContext(req), req.params.id, req.body),
  );
};
