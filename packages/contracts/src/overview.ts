import { z } from 'zod';
import { roles } from './roles.js';

/** The home page's figures for the caller's subtree. */
export const overview = z.object({
  jurisdictions: z.object({ district: z.number(), subdistrict: z.number(), centers: z.number() }),
  usersByRole: z.record(z.enum(roles), z.number()),
  auditByDay: z.array(z.object({ day: z.string(), count: z.number() })),
});
export type Overview = z.infer<typeof overview>;
