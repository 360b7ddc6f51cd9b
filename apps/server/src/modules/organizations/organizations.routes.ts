import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  activity,
  changeOrganizationStatusBody,
  createOrganizationBody,
  idParams,
  listOrganizationsQuery,
  organization,
  organizationVersion,
  recordActivityBody,
  revealBody,
  updateOrganizationBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { ActivityService } from './activities.service.js';
import type { OrganizationService } from './organizations.service.js';

const tags = ['organizations'];

export const organizationRoutes: FastifyPluginAsyncZod<{
  service: OrganizationService;
  activities: ActivityService;
}> = async (app, { service, activities }) => {
  app.get(
    '/organizations',
    {
      schema: {
        operationId: 'listOrganizations',
        tags,
        summary:
          'Organizations in the caller’s subtree: filters, name search, exact USCC or filing number, keyset pages',
        querystring: listOrganizationsQuery,
        response: { 200: z.object({ items: z.array(organization), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'organization:read' },
    },
    async (req) => service.listOrganizations(requestContext(req), req.query),
  );

  app.post(
    '/organizations',
    {
      schema: {
        operationId: 'createOrganization',
        tags,
        summary: 'Enter an organization (draft); a community organization is filed with its number',
        body: createOrganizationBody,
        response: { 201: organization },
      },
      config: { permission: 'organization:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createOrganization(requestContext(req), req.body)),
  );

  app.get(
    '/organizations/:id',
    {
      schema: {
        operationId: 'getOrganization',
        tags,
        summary: 'One organization, personal data masked',
        params: idParams,
        response: { 200: organization },
      },
      config: { permission: 'organization:read' },
    },
    async (req) => service.getOrganization(requestContext(req), req.params.id),
  );

  app.patch(
    '/organizations/:id',
    {
      schema: {
        operationId: 'updateOrganization',
        tags,
        summary:
          'Change an organization’s profile (kind + USCC upgrade a community organization); its own officer’s key-field changes wait for review',
        params: idParams,
        body: updateOrganizationBody,
        response: { 200: organization },
      },
      // Staff with organization:manage; the organization's own officer (organization:read) through review.
      config: { permission: ['organization:manage', 'organization:read'] },
    },
    async (req) => service.updateOrganization(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/organizations/:id/status',
    {
      schema: {
        operationId: 'changeOrganizationStatus',
        tags,
        summary: 'Move an organization through its lifecycle, with a reason',
        params: idParams,
        body: changeOrganizationStatusBody,
        response: { 200: organization },
      },
      config: { permission: ['organization:manage', 'organization:deregister', 'organization:read'] },
    },
    async (req) => service.changeOrganizationStatus(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/organizations/:id/reveal',
    {
      schema: {
        operationId: 'revealPersonInCharge',
        tags,
        summary: 'The person in charge’s ID number and phone in clear, for a reason the audit trail keeps',
        params: idParams,
        body: revealBody,
        response: { 200: z.object({ idNumber: z.string().nullable(), phone: z.string().nullable() }) },
      },
      config: { permission: 'organization:reveal' },
    },
    async (req) => service.revealPersonInCharge(requestContext(req), req.params.id, req.body.reason),
  );

  app.get(
    '/organizations/:id/versions',
    {
      schema: {
        operationId: 'listOrganizationVersions',
        tags,
        summary: 'The change history: who changed which field from what to what, and when',
        params: idParams,
        response: { 200: z.object({ items: z.array(organizationVersion) }) },
      },
      config: { permission: 'organization:read' },
    },
    async (req) => ({ items: await service.listOrganizationVersions(requestContext(req), req.params.id) }),
  );

  app.get(
    '/organizations/:id/activities',
    {
      schema: {
        operationId: 'listActivities',
        tags,
        summary: 'What an organization has done, newest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(activity) }) },
      },
      config: { permission: 'organization:read' },
    },
    async (req) => ({ items: await activities.listActivities(requestContext(req), req.params.id) }),
  );

  app.post(
    '/organizations/:id/activities',
    {
      schema: {
        operationId: 'recordActivity',
        tags,
        summary: 'Record an activity of an organization',
        params: idParams,
        body: recordActivityBody,
        response: { 201: activity },
      },
      config: { permission: 'activity:record' },
    },
    async (req, reply) =>
      reply.code(201).send(await activities.recordActivity(requestContext(req), req.params.id, req.body)),
  );
};
