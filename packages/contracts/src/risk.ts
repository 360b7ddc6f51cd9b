import { z } from 'zod';
import { idSchema, textBlock } from './text.js';

/** Levels from calm to alarming; an organization with no open signal is green. */
export const riskLevels = ['green', 'yellow', 'orange', 'red'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Why an organization is on the abnormal-activity list (活动异常名录). */
export const abnormalListingReasons = ['unreachable', 'no_party_organization'] as const;
export type AbnormalListingReason = (typeof abnormalListingReasons)[number];

/** How a listing ended: rectified by staff with evidence, or expired after six months. */
export const abnormalRemovalKinds = ['rectified', 'expired'] as const;

/** A rule id: lower-case words joined by underscores. */
const ruleId = z.string().regex(/^[a-z][a-z_]{0,39}$/, 'not a rule id');

export const ruleIdParams = z.strictObject({ id: ruleId });

/** One parameter of a rule: an integer in a range, with its default. */
export const riskRuleParameter = z.object({
  name: z.string(),
  unit: z.enum(['days', 'count']),
  min: z.number(),
  max: z.number(),
  default: z.number(),
  value: z.number(),
});

export const riskRule = z.object({
  id: z.string(),
  module: z.string(),
  description: z.object({ 'zh-CN': z.string(), en: z.string() }),
  enabled: z.boolean(),
  weight: z.number(),
  defaultWeight: z.number(),
  parameters: z.array(riskRuleParameter),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RiskRule = z.infer<typeof riskRule>;

/** Score thresholds: a score at or above `yellow` is yellow, and so on; below is green. */
export const riskThresholds = z.object({ yellow: z.number(), orange: z.number(), red: z.number() });

export const riskSettings = riskThresholds.extend({
  /** Hour of the nightly scan in Asia/Shanghai time, 0–23. */
  scanHour: z.number(),
  lastScanAt: z.string().nullable(),
});

export const listRiskRulesResponse = z.object({ items: z.array(riskRule), settings: riskSettings });

/** Only what is sent changes; each parameter is checked against the rule's own range. */
export const updateRiskRuleBody = z.strictObject({
  weight: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
  parameters: z.record(z.string().regex(/^[a-zA-Z]{1,40}$/, 'not a parameter name'), z.number().int()).optional(),
});
export type UpdateRiskRuleBody = z.infer<typeof updateRiskRuleBody>;

const weightThreshold = z.number().int().min(1).max(100_000);
export const updateRiskSettingsBody = z
  .strictObject({
    yellow: weightThreshold,
    orange: weightThreshold,
    red: weightThreshold,
    scanHour: z.number().int().min(0).max(23),
  })
  .superRefine((v, ctx) => {
    if (v.orange <= v.yellow)
      ctx.addIssue({ code: 'custom', path: ['orange'], message: 'must be above yellow', params: { code: 'order' } });
    if (v.red <= v.orange)
      ctx.addIssue({ code: 'custom', path: ['red'], message: 'must be above orange', params: { code: 'order' } });
  });
export type UpdateRiskSettingsBody = z.infer<typeof updateRiskSettingsBody>;

export const runRiskScanBody = z.strictObject({});
export const runRiskScanResponse = z.object({ scanned: z.number(), signals: z.number(), durationMs: z.number() });

export const riskSignal = z.object({
  rule: z.string(),
  since: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  weight: z.number(),
});

export const organizationRisk = z.object({
  level: z.enum(riskLevels),
  score: z.number(),
  signals: z.array(riskSignal),
  levelSince: z.string().nullable(),
  evaluatedAt: z.string().nullable(),
  history: z.array(z.object({ level: z.enum(riskLevels), score: z.number(), on: z.string() })),
  abnormalListings: z.array(
    z.object({
      id: z.number(),
      reason: z.enum(abnormalListingReasons),
      listedOn: z.string(),
      removedOn: z.string().nullable(),
    }),
  ),
});
export type OrganizationRisk = z.infer<typeof organizationRisk>;

export const listRiskOrganizationsQuery = z.strictObject({
  level: z.enum(riskLevels).optional(),
  jurisdictionId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,9}\.\d{1,15}$/, 'not a cursor')
    .optional(),
});

export const riskOrganization = z.object({
  organizationId: z.number(),
  name: z.string(),
  jurisdictionId: z.number(),
  level: z.enum(riskLevels),
  score: z.number(),
  rules: z.array(z.string()),
  levelSince: z.string(),
});
export const listRiskOrganizationsResponse = z.object({
  items: z.array(riskOrganization),
  nextCursor: z.string().nullable(),
});

export const riskSummaryQuery = z.strictObject({ jurisdictionId: idSchema.optional() });
export const riskSummary = z.object({
  byLevel: z.object({ green: z.number(), yellow: z.number(), orange: z.number(), red: z.number() }),
  /** Signals raised in the last seven days (Asia/Shanghai), by rule. */
  newSignalsThisWeek: z.array(z.object({ rule: z.string(), count: z.number() })),
  abnormalListed: z.number(),
});

export const listAbnormalListingsQuery = z.strictObject({
  jurisdictionId: idSchema.optional(),
  current: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});

export const abnormalListing = z.object({
  id: z.number(),
  organizationId: z.number(),
  organizationName: z.string(),
  jurisdictionId: z.number(),
  reason: z.enum(abnormalListingReasons),
  listedOn: z.string(),
  details: z.record(z.string(), z.unknown()),
  removedOn: z.string().nullable(),
  removalKind: z.enum(abnormalRemovalKinds).nullable(),
  removalEvidence: z.string().nullable(),
  removedBy: z.string().nullable(),
});
export type AbnormalListing = z.infer<typeof abnormalListing>;
export const listAbnormalListingsResponse = z.object({
  items: z.array(abnormalListing),
  nextCursor: z.string().nullable(),
});

export const removeAbnormalListingBody = z.strictObject({
  evidence: textBlock(1000).pipe(z.string().min(4, 'describe how the organization rectified it')),
});
