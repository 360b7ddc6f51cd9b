import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createShiftBody,
  createVolunteerBody,
  idParams,
  listShiftsQuery,
  listVolunteerHoursQuery,
  listVolunteersQuery,
  logVolunteerHoursBody,
  rejectVolunteerHoursBody,
  updateVolunteerBody,
  volunteer,
  volunteerHours,
  volunteerShift,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { VolunteerHoursService } from './volunteer-hours.service.js';
import type { VolunteerService } from './volunteers.service.js';

const tags = ['volunteers'];
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const volunteerRoutes: FastifyPluginAsyncZod<{
  service: VolunteerService;
  hours: VolunteerHoursService;
}> = async (app, { service, hours }) => {
  app.get(
    '/volunteers',
    {
      schema: {
        operationId: 'listVolunteers',
        tags,
        summary: 'Volunteers of the caller’s subtree with their approved hours and points',
        querystring: listVolunteersQuery,
        response: { 200: page(volunteer) },
      },
      config: { permission: 'volunteer:read' },
    },
    async (req) => service.listVolunteers(requestContext(req), req.query),
  );

  app.post(
    '/volunteers',
    {
      schema: {
        operationId: 'createVolunteer',
        tags,
        summary: 'Register a volunteer of a subdistrict, possibly a member of a household in hardship',
        body: createVolunteerBody,
        response: { 201: volunteer },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createVolunteer(requestContext(req), req.body)),
  );

  app.get(
    '/volunteers/:id',
    {
      schema: {
        operationId: 'getVolunteer',
        tags,
        summary: 'One volunteer, phone masked, with approved hours and points',
        params: idParams,
        response: { 200: volunteer },
      },
      config: { permission: 'volunteer:read' },
    },
    async (req) => service.getVolunteer(requestContext(req), req.params.id),
  );

  app.patch(
    '/volunteers/:id',
    {
      schema: {
        operationId: 'updateVolunteer',
        tags,
        summary: 'Change a volunteer’s details or mark them inactive',
        params: idParams,
        body: updateVolunteerBody,
        response: { 200: volunteer },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req) => service.updateVolunteer(requestContext(req), req.params.id, req.body),
  );

  app.get(
    '/volunteer-shifts',
    {
      schema: {
        operationId: 'listVolunteerShifts',
        tags,
        summary: 'Volunteer shifts of the caller’s subtree, newest first',
        querystring: listShiftsQuery,
        response: { 200: page(volunteerShift) },
      },
      config: { permission: 'volunteer:read' },
    },
    async (req) => service.listShifts(requestContext(req), req.query),
  );

  app.post(
    '/volunteer-shifts',
    {
      schema: {
        operationId: 'createVolunteerShift',
        tags,
        summary: 'Plan a volunteer shift (till, warehouse, visits) in a subdistrict',
        body: createShiftBody,
        response: { 201: volunteerShift },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req, reply) => reply.code(201).send(await service.createShift(requestContext(req), req.body)),
  );

  app.get(
    '/volunteer-hours',
    {
      schema: {
        operationId: 'listVolunteerHours',
        tags,
        summary: 'Logged volunteer hours of the caller’s subtree, filterable by status and volunteer',
        querystring: listVolunteerHoursQuery,
        response: { 200: page(volunteerHours) },
      },
      config: { permission: 'volunteer:read' },
    },
    async (req) => hours.listHours(requestContext(req), req.query),
  );

  app.post(
    '/volunteer-hours',
    {
      schema: {
        operationId: 'logVolunteerHours',
        tags,
        summary: 'Log hours a volunteer gave, for approval',
        body: logVolunteerHoursBody,
        response: { 201: volunteerHours },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req, reply) => reply.code(201).send(await hours.logHours(requestContext(req), req.body)),
  );

  app.post(
    '/volunteer-hours/:id/approve',
    {
      schema: {
        operationId: 'approveVolunteerHours',
        tags,
        summary: 'Approve logged hours; they convert to points at the city’s rate',
        params: idParams,
        response: { 200: volunteerHours },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req) => hours.decideHours(requestContext(req), req.params.id, 'approve'),
  );

  app.post(
    '/volunteer-hours/:id/reject',
    {
      schema: {
        operationId: 'rejectVolunteerHours',
        tags,
        summary: 'Return logged hours that were not worked as logged, with a reason',
        params: idParams,
        body: rejectVolunteerHoursBody,
        response: { 200: volunteerHours },
      },
      config: { permission: 'volunteer:manage' },
    },
    async (req) => hours.decideHours(requestContext(req), req.params.id, 'reject', req.body.reason),
  );
};
