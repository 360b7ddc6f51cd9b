import { z } from 'zod';
import { phoneSchema } from './text.js';

/**
 * The kinds this codebase sends. A module adds its own; the web translates a known kind with the
 * notification's params and shows the stored title for any other.
 */
export const notificationKinds = [
  'case.assigned',
  'case.escalated',
  'case.referred',
  'case.referral_declined',
  'case.resolved',
  'case.reopened',
  'case.comment_to_reporter',
  'household.reverify_due',
  'organization.change_approved',
  'organization.change_rejected',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationChannels = ['email', 'sms'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export const notification = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  link: z.string().nullable(),
  jurisdictionId: z.number(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof notification>;

export const listNotificationsQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'not a cursor')
    .optional(),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationPage = z.object({
  items: z.array(notification),
  nextCursor: z.string().nullable(),
  unread: z.number(),
});

export const unreadCount = z.object({ unread: z.number() });
export const emptyBody = z.strictObject({});

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'not an email address' }));

/** Where a user's notifications go beyond the inbox; a channel needs its address. */
export const notificationContactsBody = z
  .strictObject({
    email: email.nullable(),
    phone: phoneSchema.nullable(),
    emailEnabled: z.boolean(),
    smsEnabled: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.emailEnabled && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'required' });
    if (v.smsEnabled && !v.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'required' });
  });
export type NotificationContactsBody = z.infer<typeof notificationContactsBody>;

export const notificationContacts = z.object({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  emailEnabled: z.boolean(),
  smsEnabled: z.boolean(),
  /** False when the server has no SMTP settings: email cannot be switched on. */
  emailAvailable: z.boolean(),
});
export type NotificationContacts = z.infer<typeof notificationContacts>;

export const outboxStatuses = ['pending', 'sent', 'failed'] as const;
export const outboxItem = z.object({
  id: z.number(),
  channel: z.enum(notificationChannels),
  recipient: z.string(),
  subject: z.string(),
  status: z.enum(outboxStatuses),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export const listOutboxQuery = z.strictObject({
  status: z.enum(outboxStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
