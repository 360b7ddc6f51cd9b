import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  amendApplicationBody,
  application,
  applicationReasonBody,
  applicationWithFlags,
  idParams,
  listApplicationsQuery,
  submitApplicationBody,
} from '@qiao/contracts';
import { clientIp, requestContext } from '../../platform/http/auth-hook.js';
import type { ApplicationService } from './applications.service.js';

const tags = ['applications'];

export const applicationRoutes: FastifyPluginAsyncZod<{ service: ApplicationService; ratePerMinute: number }> = async (
  app,
  { service, ratePerMinute },
) => {
  app.post(
    '/public/applications',
    {
      schema: {
        operationId: 'submitApplication',
        tags,
        summary: 'Apply for an organization without an account: the organization, its person in charge, a new account',
        security: [],
        body: submitApplicationBody,
        response: { 201: application },
      },
      config: { public: true, rateLimit: { max: ratePerMinute, timeWindow: '1 minute' } },
    },
    async (req, reply) =>
      reply.code(201).send(await service.submitApplication(req.body, { requestId: String(req.id), ip: clientIp(req) })),
  );

  app.get(
    '/applications/mine',
    {
      schema: {
        operationId: 'getMyApplication',
        tags,
        summary: 'The signed-in applicant’s own application, with the reason when it was returned or rejected',
        response: { 200: application },
      },
      config: { permission: 'application:own' },
    },
    async (req) => service.getMyApplication(requestContext(req)),
  );

  app.patch(
    '/applications/mine',
    {
      schema: {
        operationId: 'amendMyApplication',
        tags,
        summary: 'Amend one’s own application while it is submitted or returned (a returned one is resubmitted)',
        body: amendApplicationBody,
        response: { 200: application },
      },
      config: { permission: 'application:own' },
    },
    async (req) => service.amendMyApplication(requestContext(req), req.body),
  );

  app.get(
    '/applications',
    {
      schema: {
        operationId: 'listApplications',
        tags,
        summary: 'The review queue of the caller’s subtree, newest first, keyset pages',
        querystring: listApplicationsQuery,
        response: { 200: z.object({ items: z.array(application), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.listApplications(requestContext(req), req.query),
  );

  app.get(
    '/applications/:id',
    {
      schema: {
        operationId: 'getApplication',
        tags,
        summary: 'One application with duplicate flags: same USCC, similar name in the district, same person in charge',
        params: idParams,
        response: { 200: applicationWithFlags },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.getApplication(requestContext(req), req.params.id),
  );

  app.post(
    '/applications/:id/review',
    {
      schema: {
        operationId: 'startApplicationReview',
        tags,
        summary: 'Take a submitted application up for review',
        params: idParams,
        response: { 200: application },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.startApplicationReview(requestContext(req), req.params.id),
  );

  app.post(
    '/applications/:id/approve',
    {
      schema: {
        operationId: 'approveApplication',
        tags,
        summary: 'Approve: the organization becomes active and the applicant its officer',
        params: idParams,
        body: z.strictObject({ reason: applicationReasonBody.shape.reason.optional() }).optional(),
        response: { 200: application },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.approveApplication(requestContext(req), req.params.id, req.body?.reason),
  );

  app.post(
    '/applications/:id/reject',
    {
      schema: {
        operationId: 'rejectApplication',
        tags,
        summary: 'Reject, with a reason the applicant sees',
        params: idParams,
        body: applicationReasonBody,
        response: { 200: application },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.rejectApplication(requestContext(req), req.params.id, req.body.reason),
  );

  app.post(
    '/applications/:id/return',
    {
      schema: {
        operationId: 'returnApplication',
        tags,
        summary: 'Return to the applicant to amend and resubmit, with a reason',
        params: idParams,
        body: applicationReasonBody,
        response: { 200: application },
      },
      config: { permission: 'application:review' },
    },
    async (req) => service.returnApplication(requestContext(req), req.params.id, req.body.reason),
  );
};
