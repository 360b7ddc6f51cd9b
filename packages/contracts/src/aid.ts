import { z } from 'zod';
import { documentContentTypes } from './applications.js';
import { dateSchema, idSchema, textBlock, textLine } from './text.js';

export const aidKinds = ['financial', 'medical'] as const;
export type AidKind = (typeof aidKinds)[number];

/** pending → (awaiting_second_approval →) approved → disbursed; pending or awaiting → rejected. */
export const aidStatuses = ['pending', 'awaiting_second_approval', 'approved', 'disbursed', 'rejected'] as const;
export type AidStatus = (typeof aidStatuses)[number];

export const disbursementMethods = ['bank_transfer', 'cash', 'in_kind', 'other'] as const;

/** Amounts in integer fen, at most ¥10,000,000. */
export const fenAmount = z.number().int('whole fen only').min(1).max(1_000_000_000);

export const applyForAidBody = z.strictObject({
  householdId: idSchema,
  kind: z.enum(aidKinds),
  amountFen: fenAmount,
  reason: textBlock(1000).pipe(z.string().min(2, 'say why the household needs it')),
  /** The evidence documents seen: one line each (what, issued by, number or date). */
  evidence: z.array(textLine(200)).min(1, 'name at least one evidence document').max(20),
});
export type ApplyForAidBody = z.infer<typeof applyForAidBody>;

export const approveAidBody = z.strictObject({ note: textBlock(500).optional() });
export const rejectAidBody = z.strictObject({
  reason: textBlock(500).pipe(z.string().min(2, 'say why')),
});

export const recordDisbursementBody = z.strictObject({
  amountFen: fenAmount,
  paidOn: dateSchema,
  method: z.enum(disbursementMethods),
  reference: textLine(100).optional(),
});

export const aidDisbursement = z.object({
  id: z.number(),
  amountFen: z.number(),
  paidOn: z.string(),
  method: z.enum(disbursementMethods),
  reference: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});

export const aidApplication = z.object({
  id: z.number(),
  householdId: z.number(),
  householdName: z.string(),
  jurisdictionId: z.number(),
  kind: z.enum(aidKinds),
  amountFen: z.number(),
  year: z.number(),
  reason: z.string(),
  evidence: z.array(z.string()),
  status: z.enum(aidStatuses),
  needsSecondApproval: z.boolean(),
  appliedBy: z.string().nullable(),
  firstApproval: z.object({ by: z.string().nullable(), at: z.string() }).nullable(),
  secondApproval: z.object({ by: z.string().nullable(), at: z.string() }).nullable(),
  decisionNote: z.string().nullable(),
  disbursedFen: z.number(),
  disbursements: z.array(aidDisbursement),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AidApplication = z.infer<typeof aidApplication>;

export const listAidApplicationsQuery = z.strictObject({
  status: z.enum(aidStatuses).optional(),
  householdId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});
export type ListAidApplicationsQuery = z.infer<typeof listAidApplicationsQuery>;

/** A household's aid in one Asia/Shanghai year against the city's cap. */
export const householdAidYear = z.object({
  year: z.number(),
  capFen: z.number(),
  committedFen: z.number(),
  approvedFen: z.number(),
  disbursedFen: z.number(),
  remainingFen: z.number(),
});

/** A scanned evidence file (PDF, JPEG or PNG, typed by its content) attached to an aid application. */
export const aidEvidenceFile = z.object({
  id: z.number(),
  applicationId: z.number(),
  fileName: z.string(),
  contentType: z.enum(documentContentTypes),
  size: z.number(),
  sha256: z.string(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type AidEvidenceFile = z.infer<typeof aidEvidenceFile>;
