import { z } from 'zod';
import { dateSchema, idSchema, instantSchema, phoneSchema, textBlock, textLine } from './text.js';

export const volunteerStatuses = ['active', 'inactive'] as const;
export const volunteerHoursStatuses = ['pending', 'approved', 'rejected'] as const;

export const createVolunteerBody = z.strictObject({
  name: textLine(50),
  jurisdictionId: idSchema,
  phone: phoneSchema.optional(),
  /** A resident of a household in hardship volunteering (mutual aid). */
  householdId: idSchema.optional(),
  skills: textLine(200).optional(),
  /** The volunteer's own user account (role volunteer, same subdistrict): they then log their own hours. */
  userId: idSchema.optional(),
});

export const updateVolunteerBody = z.strictObject({
  name: textLine(50).optional(),
  phone: phoneSchema.nullable().optional(),
  householdId: idSchema.nullable().optional(),
  skills: textLine(200).nullable().optional(),
  status: z.enum(volunteerStatuses).optional(),
  userId: idSchema.nullable().optional(),
});

export const volunteer = z.object({
  id: z.number(),
  jurisdictionId: z.number(),
  name: z.string(),
  phone: z.string().nullable(),
  householdId: z.number().nullable(),
  skills: z.string().nullable(),
  status: z.enum(volunteerStatuses),
  /** The linked user account, if any, and its user name. */
  userId: z.number().nullable(),
  username: z.string().nullable(),
  approvedMinutes: z.number(),
  /** Points the approved hours are worth (time bank), at the rate in force when each was approved. */
  earnedPoints: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listVolunteersQuery = z.strictObject({
  q: textLine(50).optional(),
  status: z.enum(volunteerStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});

export const createShiftBody = z.strictObject({
  jurisdictionId: idSchema,
  title: textLine(100),
  place: textLine(100).optional(),
  startsAt: instantSchema,
  endsAt: instantSchema,
});

export const volunteerShift = z.object({
  id: z.number(),
  jurisdictionId: z.number(),
  title: z.string(),
  place: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  createdAt: z.string(),
});

export const listShiftsQuery = z.strictObject({
  /** Shifts ending at or after this instant; defaults to all. */
  from: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});

export const logVolunteerHoursBody = z.strictObject({
  volunteerId: idSchema,
  shiftId: idSchema.optional(),
  workedOn: dateSchema,
  /** Whole minutes, at most a day. */
  minutes: z.number().int('whole minutes').min(1).max(1440),
  description: textBlock(500).optional(),
});

export const rejectVolunteerHoursBody = z.strictObject({
  reason: textBlock(500).pipe(z.string().min(2, 'say why')),
});

export const volunteerHours = z.object({
  id: z.number(),
  volunteerId: z.number(),
  volunteerName: z.string(),
  shiftId: z.number().nullable(),
  workedOn: z.string(),
  minutes: z.number(),
  description: z.string().nullable(),
  status: z.enum(volunteerHoursStatuses),
  loggedBy: z.string().nullable(),
  /** Logged by the volunteer themselves through their own account. */
  selfLogged: z.boolean(),
  decisionNote: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  points: z.number().nullable(),
  createdAt: z.string(),
});

export const listVolunteerHoursQuery = z.strictObject({
  status: z.enum(volunteerHoursStatuses).optional(),
  volunteerId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});

/** A volunteer logging their own hours: the volunteer is the caller's linked record. */
export const logMyVolunteerHoursBody = logVolunteerHoursBody.omit({ volunteerId: true });

export const listMyVolunteerHoursQuery = listVolunteerHoursQuery.omit({ volunteerId: true });
