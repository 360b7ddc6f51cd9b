import { z } from 'zod';
import { jurisdictionLevels, permissions } from './roles.js';
import { idSchema, instantSchema, textLine } from './text.js';
import { passwordSchema, user } from './users.js';

export const totpCode = z
  .string()
  .trim()
  .regex(/^(\d{6}|[a-z0-9]{4}-[a-z0-9]{4})$/i, 'a 6-digit code or a recovery code');

export const loginBody = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
  totp: totpCode.optional(),
});

export const sessionInfo = z.object({
  user,
  csrfToken: z.string(),
  permissions: z.array(z.enum(permissions)),
  /** The user's jurisdiction, for the header: every role may read its own, whatever its permissions. */
  jurisdiction: z.object({
    id: z.number(),
    name: z.string(),
    nameEn: z.string().nullable(),
    level: z.enum(jurisdictionLevels),
  }),
  /** The role requires two-factor sign-in and it is not set up: only My account works until it is. */
  mfaSetupRequired: z.boolean(),
  /** The role requires two-factor sign-in (QIAO_MFA_ROLES), so it cannot be turned off. */
  mfaRequired: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});

export const updatePreferencesBody = z.strictObject({
  elderlyMode: z.boolean().optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});

export const confirmTotpBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'a 6-digit code'),
});
export const disableTotpBody = z.strictObject({ password: z.string().min(1).max(1024), code: totpCode });

export const createApiTokenBody = z.strictObject({
  name: textLine(64),
  jurisdictionId: idSchema,
  permissions: z.array(z.enum(permissions)).min(1).max(permissions.length),
  expiresAt: instantSchema,
});

export const apiToken = z.object({
  id: z.number(),
  name: z.string(),
  jurisdictionId: z.number(),
  permissions: z.array(z.enum(permissions)),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
