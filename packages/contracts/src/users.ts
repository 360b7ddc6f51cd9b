import { z } from 'zod';
import { roles } from './roles.js';
import { idSchema, textLine } from './text.js';

/** A string; the server applies the whole policy (length, classes, username, common list) and names each rule broken. */
export const passwordSchema = z
  .string()
  .min(1, 'required')
  .max(1024, 'at most 128 characters')
  .meta({ examples: ['Str0ng-Enough-Pass!'] });

export const usernameSchema = textLine(64)
  .pipe(z.string().regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only'))
  .meta({ examples: ['zhang.san'] });

export const createUserBody = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: textLine(64),
  role: z.enum(roles),
  jurisdictionId: idSchema,
  departmentId: idSchema.optional(),
  /** For an ngo_officer: the organization (in the same subdistrict) the account acts for. */
  organizationId: idSchema.optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  displayName: textLine(64).optional(),
  role: z.enum(roles).optional(),
  jurisdictionId: idSchema.optional(),
  departmentId: idSchema.nullable().optional(),
  organizationId: idSchema.nullable().optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.strictObject({ password: passwordSchema });

export const userStatuses = ['active', 'disabled'] as const;

export const user = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  jurisdictionId: z.number(),
  departmentId: z.number().nullable(),
  organizationId: z.number().nullable(),
  status: z.enum(userStatuses),
  totpEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  elderlyMode: z.boolean(),
  locale: z.enum(['zh-CN', 'en']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

export const listUsersQuery = z.strictObject({
  q: textLine(64).optional(),
  role: z.enum(roles).optional(),
  status: z.enum(userStatuses).optional(),
  jurisdictionId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;
