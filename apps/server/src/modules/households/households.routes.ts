import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addHouseholdMemberBody,
  createHouseholdBody,
  dueHouseholdsQuery,
  duplicateTask,
  household,
  householdConsentBody,
  householdReveal,
  householdSettings,
  householdSummary,
  householdVerification,
  idParams,
  listDuplicateTasksQuery,
  listHouseholdsQuery,
  resolveDuplicateTaskBody,
  revealBody,
  updateHouseholdBody,
  updateHouseholdSettingsBody,
  verifyHouseholdBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { HouseholdService } from './households.service.js';

const tags = ['households'];

export const householdRoutes: FastifyPluginAsyncZod<{ service: HouseholdService }> = async (app, { service }) => {
  app.get(
    '/households',
    {
      schema: {
        operationId: 'listHouseholds',
        tags,
        summary:
          'Households in the caller’s subtree, newest first; q finds a name, or exactly an ID number, phone or card number',
        querystring: listHouseholdsQuery,
        response: { 200: z.object({ items: z.array(householdSummary), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'household:read' },
    },
    async (req) => service.listHouseholds(requestContext(req), req.query),
  );

  app.post(
    '/households',
    {
      schema: {
        operationId: 'createHousehold',
        tags,
        summary: 'Enter a household in hardship; an ID number already registered anywhere in the city is refused (409)',
        body: createHouseholdBody,
        response: { 201: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createHousehold(requestContext(req), req.body)),
  );

  app.get(
    '/households/due-for-reverification',
    {
      schema: {
        operationId: 'listHouseholdsDueForReverification',
        tags,
        summary:
          'Verified households whose verification runs out within the notice period (or already has), soonest first',
        querystring: dueHouseholdsQuery,
        response: {
          200: z.object({ items: z.array(householdSummary), until: z.string(), nextCursor: z.string().nullable() }),
        },
      },
      config: { permission: 'household:read' },
    },
    async (req) => service.listDueForReverification(requestContext(req), req.query),
  );

  app.get(
    '/households/:id',
    {
      schema: {
        operationId: 'getHousehold',
        tags,
        summary: 'One household with its members, personal data masked',
        params: idParams,
        response: { 200: household },
      },
      config: { permission: 'household:read' },
    },
    async (req) => service.getHousehold(requestContext(req), req.params.id),
  );

  app.patch(
    '/households/:id',
    {
      schema: {
        operationId: 'updateHousehold',
        tags,
        summary: 'Change a household’s head name, category, phone or address',
        params: idParams,
        body: updateHouseholdBody,
        response: { 200: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req) => service.updateHousehold(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/households/:id/verify',
    {
      schema: {
        operationId: 'verifyHousehold',
        tags,
        summary:
          'Verify (or re-verify) a household’s eligibility from today; the first verification issues its card number',
        params: idParams,
        body: verifyHouseholdBody,
        response: { 200: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req) => service.verifyHousehold(requestContext(req), req.params.id, req.body),
  );

  app.get(
    '/households/:id/verifications',
    {
      schema: {
        operationId: 'listHouseholdVerifications',
        tags,
        summary: 'Every verification of a household: who, when, evidence note, valid until',
        params: idParams,
        response: { 200: z.object({ items: z.array(householdVerification) }) },
      },
      config: { permission: 'household:read' },
    },
    async (req) => ({ items: await service.listVerifications(requestContext(req), req.params.id) }),
  );

  app.post(
    '/households/:id/consent',
    {
      schema: {
        operationId: 'recordHouseholdConsent',
        tags,
        summary: 'Record the resident’s consent to data use and to sharing with organizations, with its date and scope',
        params: idParams,
        body: householdConsentBody,
        response: { 200: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req) => service.recordConsent(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/households/:id/members',
    {
      schema: {
        operationId: 'addHouseholdMember',
        tags,
        summary: 'Add a member (relation, birth year; disability or serious illness held sealed)',
        params: idParams,
        body: addHouseholdMemberBody,
        response: { 201: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.addMember(requestContext(req), req.params.id, req.body)),
  );

  app.delete(
    '/household-members/:id',
    {
      schema: {
        operationId: 'removeHouseholdMember',
        tags,
        summary: 'Remove a member entered by mistake or who has left the household',
        params: idParams,
        response: { 200: household },
      },
      config: { permission: 'household:manage' },
    },
    async (req) => service.removeMember(requestContext(req), req.params.id),
  );

  app.post(
    '/households/:id/reveal',
    {
      schema: {
        operationId: 'revealHousehold',
        tags,
        summary:
          'The head’s ID number and phone and the members’ health data in clear, for a reason the audit trail keeps',
        params: idParams,
        body: revealBody,
        response: { 200: householdReveal },
      },
      config: { permission: 'household:reveal' },
    },
    async (req) => service.revealHousehold(requestContext(req), req.params.id, req.body.reason),
  );

  app.get(
    '/household-duplicate-tasks',
    {
      schema: {
        operationId: 'listHouseholdDuplicateTasks',
        tags,
        summary: 'Refused duplicate entries for the district to resolve (one household, one assistance chain)',
        querystring: listDuplicateTasksQuery,
        response: { 200: z.object({ items: z.array(duplicateTask), nextCursor: z.string().nullable() }) },
      },
      config: { permission: 'household:resolve_duplicate' },
    },
    async (req) => service.listDuplicateTasks(requestContext(req), req.query),
  );

  app.post(
    '/household-duplicate-tasks/:id/resolve',
    {
      schema: {
        operationId: 'resolveHouseholdDuplicateTask',
        tags,
        summary: 'Close a duplicate task, saying how it was resolved',
        params: idParams,
        body: resolveDuplicateTaskBody,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
      config: { permission: 'household:resolve_duplicate' },
    },
    async (req) => service.resolveDuplicateTask(requestContext(req), req.params.id, req.body.resolution),
  );

  app.get(
    '/household-settings',
    {
      schema: {
        operationId: 'getHouseholdSettings',
        tags,
        summary: 'The city’s settings: verification period, reminder notice, aid thresholds and cap, time-bank rate',
        response: { 200: householdSettings },
      },
      config: { permission: 'household:read' },
    },
    async () => service.getSettings(),
  );

  app.patch(
    '/household-settings',
    {
      schema: {
        operationId: 'updateHouseholdSettings',
        tags,
        summary: 'Change the city’s household, aid and time-bank settings',
        body: updateHouseholdSettingsBody,
        response: { 200: householdSettings },
      },
      config: { permission: 'household:configure' },
    },
    async (req) => service.updateSettings(requestContext(req), req.body),
  );
};
