import { z } from 'zod';
import { textLine } from './text.js';

/**
 * A field of service's code: what organizations, activities and applications store. The codes
 * themselves live in the service_fields table (the configurable taxonomy, seeded with the twelve
 * `serviceFields`); a body only has to carry a well-formed code, the server checks it is known and
 * not retired (422, codes unknown_field / retired_field).
 */
export const serviceFieldCode = z
  .string()
  .max(40)
  .regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'a code of lowercase letters, digits and _' })
  .meta({ examples: ['elderly_care'] });

/** At most this many fields on one organization or application. */
export const MAX_FIELDS_PER_RECORD = 30;

export const serviceFieldCodes = z.array(serviceFieldCode).max(MAX_FIELDS_PER_RECORD);

export const serviceField = z.object({
  code: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  /** Retired fields stay on the records that have them and in filters, and are refused for new values. */
  retired: z.boolean(),
  position: z.number(),
  updatedAt: z.string(),
});
export type ServiceField = z.infer<typeof serviceField>;

export const listServiceFieldsResponse = z.object({ items: z.array(serviceField) });

/** What the public directory needs to name a field. */
export const publicServiceField = serviceField.pick({ code: true, labelZh: true, labelEn: true, retired: true });
export const listPublicServiceFieldsResponse = z.object({ items: z.array(publicServiceField) });

export const createServiceFieldBody = z.strictObject({
  code: serviceFieldCode,
  labelZh: textLine(30),
  labelEn: textLine(60),
});
export type CreateServiceFieldBody = z.infer<typeof createServiceFieldBody>;

export const updateServiceFieldBody = z.strictObject({
  labelZh: textLine(30).optional(),
  labelEn: textLine(60).optional(),
  retired: z.boolean().optional(),
});
export type UpdateServiceFieldBody = z.infer<typeof updateServiceFieldBody>;

/** The field's code in the path, named id like every other path parameter. */
export const serviceFieldParams = z.strictObject({ id: serviceFieldCode });
