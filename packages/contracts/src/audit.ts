import { z } from 'zod';
import { instantSchema, textLine } from './text.js';

export const auditOutcomes = ['success', 'failure', 'denied'] as const;

/** Every action the audit trail records; the server cannot write one that is not here, the web translates each. */
export const auditActions = [
  'auth.login',
  'auth.logout',
  'auth.lockout',
  'auth.password_change',
  'auth.totp_enroll',
  'auth.totp_enable',
  'auth.totp_disable',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.preferences',
  'jurisdiction.create',
  'jurisdiction.update',
  'center.create',
  'center.update',
  'department.create',
  'department.update',
  'api_token.create',
  'api_token.revoke',
  'audit.export',
  'permission.denied',
  'organization.create',
  'organization.update',
  'organization.status',
  'organization.reveal',
  'organization.export',
  'registry.import',
  'registry.reconcile',
  'activity.record',
  'application.submit',
  'application.amend',
  'application.review',
  'application.approve',
  'application.reject',
  'application.return',
  'document.upload',
  'risk.rule_update',
  'risk.settings_update',
  'risk.scan',
  'abnormal_list.remove',
  'notification.read',
  'notification.contacts',
  'case.create',
  'case.acknowledge',
  'case.assign',
  'case.comment',
  'case.refer',
  'case.referral_accept',
  'case.referral_decline',
  'case.resolve',
  'case.reopen',
  'case.escalate',
  'case_routing.update',
  'case_routing.delete',
  'sla.update',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditEntityTypes = [
  'user',
  'jurisdiction',
  'center',
  'department',
  'api_token',
  'audit_event',
  'organization',
  'activity',
  'application',
  'document',
  'risk_rule',
  'risk_settings',
  'abnormal_listing',
  'notification',
  'case',
  'case_routing_rule',
  'sla_policy',
] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];

export const auditChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const auditEvent = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  jurisdictionId: z.number().nullable(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  changes: z.array(auditChange),
  details: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(auditOutcomes),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const listAuditEventsQuery = z.strictObject({
  actor: textLine(64).optional(),
  entityType: textLine(64).optional(),
  entityId: textLine(64).optional(),
  action: textLine(64).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});
export type ListAuditEventsQuery = z.infer<typeof listAuditEventsQuery>;

export const auditChainReport = z.object({ ok: z.boolean(), checked: z.number(), brokenAt: z.number().optional() });
