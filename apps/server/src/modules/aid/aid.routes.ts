import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  aidApplication,
  applyForAidBody,
  approveAidBody,
  householdAidYear,
  idParams,
  listAidApplicationsQuery,
  recordDisbursementBody,
  rejectAidBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { AidService } from './aid.service.js';

const tags = ['aid'];

export const aidRoutes: FastifyPluginAsyncZod<{ service: AidService }> = async (app, { service }) => {
  app.get(
    '/aid-applications',
    {
      schema: {
        operationId: 'listAidApplications',
        tags,
        summary: 'Financial and medical aid applications in the caller’s subtree, newest first',
        querystring: listAidApplicationsQuery,
        response: { 200: z.object({ items: z.array(aidApplication), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'aid:read' },
    },
    async (req) => service.listAidApplications(requestContext(req), req.query),
  );

  app.post(
    '/aid-applications',
    {
      schema: {
        operationId: 'applyForAid',
        tags,
        summary: 'Apply for financial or medical aid for a verified household (amount in fen, reason, evidence)',
        body: applyForAidBody,
        response: { 201: aidApplication },
      },
      config: { permission: 'aid:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.applyForAid(requestContext(req), req.body)),
  );

  app.get(
    '/aid-applications/:id',
    {
      schema: {
        operationId: 'getAidApplication',
        tags,
        summary: 'One aid application with its approvals and payments',
        params: idParams,
        response: { 200: aidApplication },
      },
      config: { permission: 'aid:read' },
    },
    async (req) => service.getAidApplication(requestContext(req), req.params.id),
  );

  app.post(
    '/aid-applications/:id/approve',
    {
      schema: {
        operationId: 'approveAidApplication',
        tags,
        summary: 'Approve: center staff first; above the city’s threshold a district officer (another person) second',
        params: idParams,
        body: approveAidBody,
        response: { 200: aidApplication },
      },
      config: { permission: ['aid:manage', 'aid:approve_large'] },
    },
    async (req) => service.approveAid(requestContext(req), req.params.id, req.body.note),
  );

  app.post(
    '/aid-applications/:id/reject',
    {
      schema: {
        operationId: 'rejectAidApplication',
        tags,
        summary: 'Reject a pending application, with a reason',
        params: idParams,
        body: rejectAidBody,
        response: { 200: aidApplication },
      },
      config: { permission: ['aid:manage', 'aid:approve_large'] },
    },
    async (req) => service.rejectAid(requestContext(req), req.params.id, req.body.reason),
  );

  app.post(
    '/aid-applications/:id/disbursements',
    {
      schema: {
        operationId: 'recordAidDisbursement',
        tags,
        summary: 'Record a payment of an approved grant; payments never exceed the grant',
        params: idParams,
        body: recordDisbursementBody,
        response: { 201: aidApplication },
      },
      config: { permission: 'aid:manage' },
    },
    async (req, reply) =>
      reply.code(201).send(await service.recordDisbursement(requestContext(req), req.params.id, req.body)),
  );

  app.get(
    '/households/:id/aid-year',
    {
      schema: {
        operationId: 'getHouseholdAidYear',
        tags,
        summary: 'A household’s aid this year (Asia/Shanghai) against the city’s yearly cap',
        params: idParams,
        response: { 200: householdAidYear },
      },
      config: { permission: 'aid:read' },
    },
    async (req) => service.householdAidYear(requestContext(req), req.params.id),
  );
};
