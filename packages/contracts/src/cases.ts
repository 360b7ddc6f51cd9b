import { z } from 'zod';
import { householdSummary } from './households.js';
import { idSchema, textBlock, textLine } from './text.js';

export const caseCategories = [
  'resident_in_hardship',
  'elder_unreachable',
  'safety_hazard',
  'dispute',
  'public_health',
  'organization_complaint',
  'other',
] as const;
export type CaseCategory = (typeof caseCategories)[number];

export const caseSeverities = ['low', 'medium', 'high', 'critical'] as const;
export type CaseSeverity = (typeof caseSeverities)[number];

export const caseStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Who is responsible now: the subdistrict (its center or a department), or the level it escalated to. */
export const caseLevels = ['subdistrict', 'district', 'city'] as const;
export type CaseLevel = (typeof caseLevels)[number];

export const caseQueues = ['center', 'department'] as const;
export const referralStatuses = ['pending', 'accepted', 'declined'] as const;

/** Steps on a case's timeline. */
export const caseEventKinds = [
  'reported',
  'routed',
  'acknowledged',
  'assigned',
  'commented',
  'referred',
  'referral_accepted',
  'referral_declined',
  'escalated',
  'resolved',
  'reopened',
] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

export const createCaseBody = z.strictObject({
  category: z.enum(caseCategories),
  severity: z.enum(caseSeverities),
  description: textBlock(2000).pipe(z.string().min(1, { message: 'required' })),
  jurisdictionId: idSchema,
  householdId: idSchema.optional(),
  organizationId: idSchema.optional(),
});
export type CreateCaseBody = z.infer<typeof createCaseBody>;

export const resolveCaseBody = z.strictObject({
  outcome: textBlock(2000).pipe(z.string().min(1, { message: 'required' })),
});
export const assignCaseBody = z.strictObject({ assigneeId: idSchema });
export const commentCaseBody = z.strictObject({
  text: textBlock(2000).pipe(z.string().min(1, { message: 'required' })),
  /**
   * Also shown to the person who reported the case (and they are told). Comments by those working the
   * case are internal otherwise; a reporter's own comments are always theirs to read.
   */
  toReporter: z.boolean().optional(),
});
export const referCaseBody = z.strictObject({ departmentId: idSchema, reason: textLine(500) });
export const declineReferralBody = z.strictObject({ reason: textLine(500) });
export const reopenCaseBody = z.strictObject({ reason: textLine(500) });

const booleanQuery = z.enum(['true', 'false']);
export const listCasesQuery = z.strictObject({
  overdue: booleanQuery.optional(),
  status: z.enum(caseStatuses).optional(),
  jurisdictionId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only cases escalated above their subdistrict. */
  escalated: booleanQuery.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'not a cursor')
    .optional(),
});
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

export const caseEvent = z.object({
  id: z.number(),
  kind: z.enum(caseEventKinds),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type CaseEvent = z.infer<typeof caseEvent>;

export const caseReferral = z.object({
  id: z.number(),
  toDepartmentId: z.number(),
  toDepartmentName: z.string(),
  reason: z.string(),
  status: z.enum(referralStatuses),
  decisionNote: z.string().nullable(),
  createdByName: z.string(),
  decidedByName: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const caseSummary = z.object({
  id: z.number(),
  category: z.enum(caseCategories),
  severity: z.enum(caseSeverities),
  status: z.enum(caseStatuses),
  jurisdictionId: z.number(),
  jurisdictionName: z.string(),
  jurisdictionNameEn: z.string().nullable(),
  queue: z.enum(caseQueues),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  assigneeName: z.string().nullable(),
  level: z.enum(caseLevels),
  acknowledgeDueAt: z.string(),
  resolveDueAt: z.string(),
  overdue: z.boolean(),
  reporterName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const caseDetail = caseSummary.extend({
  description: z.string(),
  householdId: z.number().nullable(),
  /** The household the case concerns, masked, when the caller may see it (null otherwise or when none). */
  household: householdSummary.nullable(),
  organizationId: z.number().nullable(),
  organizationName: z.string().nullable(),
  levelJurisdictionId: z.number(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  timeline: z.array(caseEvent),
  /**
   * `reporter`: the caller reported the case but does not work it, and sees its milestones (reported,
   * acknowledged, escalated, resolved, reopened), their own comments and those shared with them;
   * routing, assignment, referrals and internal comments stay with those who work it.
   */
  timelineView: z.enum(['full', 'reporter']),
  referrals: z.array(caseReferral),
  /** What the caller may do now, so the page shows only those buttons. */
  actions: z.array(
    z.enum(['acknowledge', 'assign', 'comment', 'refer', 'accept_referral', 'decline_referral', 'resolve', 'reopen']),
  ),
});
export type CaseDetail = z.infer<typeof caseDetail>;
export type CaseAction = CaseDetail['actions'][number];

export const casePage = z.object({ items: z.array(caseSummary), nextCursor: z.string().nullable() });

export const slaPolicy = z.object({
  severity: z.enum(caseSeverities),
  acknowledgeMinutes: z.number(),
  resolveMinutes: z.number(),
  updatedAt: z.string(),
});
const minutes = z
  .number({ message: 'must be a whole number of minutes' })
  .int({ message: 'must be a whole number of minutes' })
  .min(0, { message: 'must be 0 or more' })
  .max(525_600, { message: 'at most a year' });
export const updateSlaPolicyBody = z.strictObject({
  severity: z.enum(caseSeverities),
  acknowledgeMinutes: minutes,
  resolveMinutes: minutes,
});
export type UpdateSlaPolicyBody = z.infer<typeof updateSlaPolicyBody>;

export const routingTargets = caseQueues;
export const caseRoutingRule = z.object({
  id: z.number(),
  category: z.enum(caseCategories),
  jurisdictionId: z.number(),
  jurisdictionName: z.string(),
  target: z.enum(routingTargets),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  updatedAt: z.string(),
});
export type CaseRoutingRule = z.infer<typeof caseRoutingRule>;
export const setCaseRoutingRuleBody = z
  .strictObject({
    category: z.enum(caseCategories),
    jurisdictionId: idSchema,
    target: z.enum(routingTargets),
    departmentId: idSchema.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.target === 'department' && !v.departmentId)
      ctx.addIssue({ code: 'custom', path: ['departmentId'], message: 'required' });
    if (v.target === 'center' && v.departmentId)
      ctx.addIssue({ code: 'custom', path: ['departmentId'], message: 'only for a department target' });
  });
export type SetCaseRoutingRuleBody = z.infer<typeof setCaseRoutingRuleBody>;

export const runEscalationsResult = z.object({ escalated: z.number() });

/** Open and overdue cases per subdistrict of the caller's subtree (the dashboard's case section). */
export const caseStatsQuery = z.strictObject({
  jurisdictionId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export const caseStats = z.object({
  bySubdistrict: z.array(
    z.object({
      jurisdictionId: z.number(),
      name: z.string(),
      nameEn: z.string().nullable(),
      open: z.number(),
      overdue: z.number(),
      escalated: z.number(),
    }),
  ),
  totals: z.object({ open: z.number(), overdue: z.number(), escalated: z.number() }),
});
export type CaseStats = z.infer<typeof caseStats>;

/** Who may be given a case, and which departments it may be referred to: computed from the case. */
export const caseAssignees = z.object({
  items: z.array(z.object({ id: z.number(), displayName: z.string(), role: z.string(), jurisdictionName: z.string() })),
});
export const caseReferralTargets = z.object({
  items: z.array(z.object({ id: z.number(), name: z.string(), jurisdictionName: z.string() })),
});
