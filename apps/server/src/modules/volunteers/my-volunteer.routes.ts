import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  listMyVolunteerHoursQuery,
  listShiftsQuery,
  logMyVolunteerHoursBody,
  volunteer,
  volunteerHours,
  volunteerShift,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { VolunteerHoursService } from './volunteer-hours.service.js';

const tags = ['volunteers'];
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A volunteer's own view (permission volunteer:own): the record staff linked to their account, its
 * hours and points, the shifts of its subdistrict, and logging their own hours. Without a linked
 * record every route answers 404.
 */
export const myVolunteerRoutes: FastifyPluginAsyncZod<{ hours: VolunteerHoursService }> = async (app, { hours }) => {
  app.get(
    '/my/volunteer',
    {
      schema: {
        operationId: 'getMyVolunteer',
        tags,
        summary: 'The volunteer record linked to the caller’s account, with approved hours and points',
        response: { 200: volunteer },
      },
      config: { permission: 'volunteer:own' },
    },
    async (req) => hours.getMine(requestContext(req)),
  );

  app.get(
    '/my/volunteer-hours',
    {
      schema: {
        operationId: 'listMyVolunteerHours',
        tags,
        summary: 'The hours logged for the caller’s own volunteer record, newest first',
        querystring: listMyVolunteerHoursQuery,
        response: { 200: page(volunteerHours) },
      },
      config: { permission: 'volunteer:own' },
    },
    async (req) => hours.listMyHours(requestContext(req), req.query),
  );

  app.post(
    '/my/volunteer-hours',
    {
      schema: {
        operationId: 'logMyVolunteerHours',
        tags,
        summary: 'Log hours the caller gave as a volunteer; pending until center staff approve them',
        body: logMyVolunteerHoursBody,
        response: { 201: volunteerHours },
      },
      config: { permission: 'volunteer:own' },
    },
    async (req, reply) => reply.code(201).send(await hours.logMyHours(requestContext(req), req.body)),
  );

  app.get(
    '/my/volunteer-shifts',
    {
      schema: {
        operationId: 'listMyVolunteerShifts',
        tags,
        summary: 'Shifts of the subdistrict the caller volunteers in, newest first',
        querystring: listShiftsQuery,
        response: { 200: page(volunteerShift) },
      },
      config: { permission: 'volunteer:own' },
    },
    async (req) => hours.listMyShifts(requestContext(req), req.query),
  );
};
